"""Policy options, declared beside the code that reads them.

A gate declares its policy section as a class of options, each with its type,
default and one line of documentation::

    class LintOptions(Options, section="lint", summary="Ruff findings."):
        scope = Choice("changed", ("changed", "all"), "changed: only new findings block.")
        paths = Texts(["."], "Paths given to ruff, relative to the repository root.")

and its `run(ctx, options)` reads `options.scope`: a `str`, the default filled in.
The JSON Schema (validation with file, line and key; `gate policy schema`), the
defaults of the built-in preset, its comments and `gate explain` all come from
these declarations. A section that several gates read (branches, versioning) is
declared once and named by each reader with `Shared(...)`.

It imports nothing but typing, copy and collections.abc: the commit-msg hook builds its
options too.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar, overload

T = TypeVar("T")
Schema = dict[str, Any]

_MISSING: Any = object()


class Option(Generic[T]):
    """One key of a section: its JSON Schema type, its default and its documentation."""

    kind: ClassVar[str | list[str]] = ""

    def __init__(
        self, default: T, doc: str, *, nullable: bool = False, required: bool = False, **schema: Any
    ) -> None:
        self.default = default
        self.doc = doc
        self.nullable = nullable
        self.required = required
        self.extra = schema
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Option[T]: ...
    @overload
    def __get__(self, obj: Options, owner: type) -> T: ...
    def __get__(self, obj: Options | None, owner: type) -> Option[T] | T:
        if obj is None:
            return self
        return obj._values[self.name]  # type: ignore[no-any-return]

    def schema(self) -> Schema:
        kind = self.kind
        if self.nullable:
            kind = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
        return {"type": kind, "description": self.doc, **self.extra}

    def read(self, raw: Any) -> T:
        """The value for what the policy holds (already validated), or the default if absent."""
        if raw is _MISSING or (raw is None and not self.nullable):
            return copy.deepcopy(self.default)
        return raw  # type: ignore[no-any-return]

    def plain(self, value: T) -> Any:
        """The value as policy data (YAML/JSON)."""
        return value


class Text(Option[T]):
    kind = "string"


class Regex(Option[T]):
    kind = "string"

    def schema(self) -> Schema:
        return {**super().schema(), "format": "regex"}


class Date(Option[T]):
    kind = "string"

    def schema(self) -> Schema:
        return {**super().schema(), "format": "date"}


class Flag(Option[T]):
    kind = "boolean"


class Number(Option[T]):
    kind = "number"


class Integer(Option[T]):
    kind = "integer"


class Choice(Option[T]):
    """A string from a fixed list."""

    kind = "string"

    def __init__(self, default: T, choices: Sequence[str], doc: str, **schema: Any) -> None:
        super().__init__(default, doc, **schema)
        self.choices = list(choices)

    def schema(self) -> Schema:
        return {**super().schema(), "enum": self.choices}


class Texts(Option[T]):
    """A list of strings; `item` constrains each (a pattern, an enum)."""

    kind = "array"

    def __init__(self, default: T, doc: str, *, item: Schema | None = None, **schema: Any) -> None:
        super().__init__(default, doc, **schema)
        self.item = item or {"type": "string"}

    def schema(self) -> Schema:
        return {**super().schema(), "items": self.item}


class Group(Option[T]):
    """A nested mapping of options of its own (`branches.prefixes`)."""

    kind = "object"

    def __init__(self, options: type[Options], doc: str = "") -> None:
        super().__init__(None, doc or options.summary)  # type: ignore[arg-type]
        self.options = options

    def schema(self) -> Schema:
        return {**self.options.schema(), "description": self.doc}

    def read(self, raw: Any) -> T:
        return self.options({} if raw is _MISSING or raw is None else raw)  # type: ignore[return-value]

    def plain(self, value: T) -> Any:
        return value.to_dict()  # type: ignore[attr-defined]


class Records(Option[T]):
    """A list of mappings that each follow `options` (coverage.paths, deploy.freezes)."""

    kind = "array"

    def __init__(self, options: type[Options], default: T, doc: str) -> None:
        super().__init__(default, doc)
        self.options = options

    def schema(self) -> Schema:
        return {"type": "array", "items": self.options.schema(), "description": self.doc}

    def read(self, raw: Any) -> T:
        items = self.default if raw is _MISSING else raw
        return [self.options(item) for item in items or []]  # type: ignore[return-value]

    def plain(self, value: T) -> Any:
        return [item.to_dict() for item in value]  # type: ignore[attr-defined]


class Table(Option[T]):
    """A mapping from names the user chooses to values of one schema (or one options class)."""

    kind = "object"

    def __init__(self, values: Schema | type[Options], default: T, doc: str) -> None:
        super().__init__(default, doc)
        self.values = values

    def schema(self) -> Schema:
        values = self.values if isinstance(self.values, dict) else self.values.schema()
        return {"type": "object", "additionalProperties": values, "description": self.doc}

    def read(self, raw: Any) -> T:
        table = copy.deepcopy(self.default if raw is _MISSING or raw is None else raw)
        if isinstance(self.values, dict):
            return table  # type: ignore[no-any-return]
        return {name: self.values(item) for name, item in table.items()}  # type: ignore[return-value]

    def plain(self, value: T) -> Any:
        if isinstance(self.values, dict):
            return value
        return {name: item.to_dict() for name, item in value.items()}  # type: ignore[attr-defined]


class Shared(Generic[T]):
    """Another section a gate reads, named explicitly: `versioning = Shared(VersioningOptions)`.

    It is not a key of the gate's own section; its value is that section, with defaults."""

    def __init__(self, options: type[T]) -> None:
        self.options = options
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Shared[T]: ...
    @overload
    def __get__(self, obj: Options, owner: type) -> T: ...
    def __get__(self, obj: Options | None, owner: type) -> Shared[T] | T:
        if obj is None:
            return self
        return obj._shared[self.name]  # type: ignore[no-any-return]


class Options:
    """A section of the policy: subclass it with `section=` and `summary=`, one attribute a key."""

    section: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    declared: ClassVar[dict[str, Option[Any]]] = {}
    shared: ClassVar[dict[str, Shared[Any]]] = {}

    def __init_subclass__(cls, section: str = "", summary: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.section = section or cls.section
        cls.summary = summary or cls.summary
        found = {}
        shared = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Option):
                    found[name] = value
                elif isinstance(value, Shared):
                    shared[name] = value
        cls.declared = found
        cls.shared = shared

    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        shared: Mapping[str, Any] | None = None,
    ) -> None:
        values = values or {}
        self._values = {
            name: option.read(values.get(name, _MISSING)) for name, option in self.declared.items()
        }
        self._shared = dict(shared or {})

    @classmethod
    def from_policy(cls, sections: Any) -> Self:
        """The section, and each shared section it names, from a policy (`section(name)`)."""
        shared = {
            name: ref.options(sections.section(ref.options.section))  # type: ignore[attr-defined]
            for name, ref in cls.shared.items()
        }
        return cls(sections.section(cls.section) if cls.section else {}, shared)

    @classmethod
    def schema(cls) -> Schema:
        schema: Schema = {
            "type": "object",
            "properties": {name: option.schema() for name, option in cls.declared.items()},
            "additionalProperties": False,
        }
        if cls.summary:
            schema["description"] = cls.summary
        required = [name for name, option in cls.declared.items() if option.required]
        if required:
            schema["required"] = required
        return schema

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """The section as the built-in preset writes it: every key that has a default."""
        out: dict[str, Any] = {}
        for name, option in cls.declared.items():
            absent = option.default is None and not option.nullable
            if option.required or (absent and not isinstance(option, Group)):
                continue
            out[name] = option.plain(option.read(_MISSING))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The values as policy data, for code that takes a plain mapping."""
        return {
            name: option.plain(self._values[name])
            for name, option in self.declared.items()
            if self._values[name] is not None or option.nullable
        }

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values == self._values  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._values!r})"


def describe(options: type[Options], prefix: str = "") -> list[tuple[str, str, str]]:
    """(key, default, doc) of every option, nested groups flattened: `gate explain`'s list."""
    import json

    rows: list[tuple[str, str, str]] = []
    base = prefix or options.section
    for name, option in options.declared.items():
        key = f"{base}.{name}" if base else name
        if isinstance(option, Group):
            rows += describe(option.options, key)
            continue
        default = option.plain(option.read(_MISSING))
        items = getattr(option, "options", None) or getattr(option, "values", None)
        if isinstance(items, type) and issubclass(items, Options):
            if isinstance(option, Table):
                shown = ", ".join(default) or "none"
                rows.append((key, f"{{{shown}}}" if default else "{}", option.doc))
                rows += describe(items, f"{key}.NAME")
            else:
                rows.append((key, json.dumps(default, ensure_ascii=False), option.doc))
                rows += describe(items, f"{key}[]")
            continue
        if option.required:
            shown = "required"
        elif default is None and not option.nullable:
            shown = "not set"
        else:
            shown = json.dumps(default, ensure_ascii=False)
        rows.append((key, shown, option.doc))
    return rows
