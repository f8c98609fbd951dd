"""Finding, reading, merging and validating the policy.

Sources, lowest first: the preset named by `extends` (gitflow by default),
then `.gate.yaml` or `[tool.gate]` in pyproject.toml. Mappings merge key by
key; lists and scalars replace. Every document is validated against the
schema before merging, so each error names its own file and line.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from gates.errors import PolicyError
from gates.policy.schema import STAGES, document_schema
from gates.policy.validate import KeyPath, dotted, validate

POLICY_FILES = (".gate.yaml", ".gate.yml")
DEFAULT_PRESET = "gitflow"
# A policy is a page of settings; anything larger is refused before it is parsed.
MAX_POLICY_BYTES = 256 * 1024


class Policy(NamedTuple):
    data: dict[str, Any]
    sources: list[str]
    # What was detected in the repository and applied where the policy leaves a key out
    # (a knowledge.conventions.Detection holding only the values applied), or None.
    detected: Any = None

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.data, sort_keys=True, separators=(",", ":"), default=str)
        return "sha256:" + _sha256_hex(canonical.encode())

    def section(self, name: str | None) -> dict[str, Any]:
        if not name:
            return {}
        return copy.deepcopy(self.data.get(name, {}))

    def stage(self, stage: str) -> list[str]:
        return list(self.data.get("stages", {}).get(stage, []))


def _sha256_hex(data: bytes) -> str:
    """SHA-256 without starting OpenSSL, which hashlib does (2 ms on every commit-msg hook):
    CPython's built-in implementation gives the same digest; hashlib where it is missing."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
        except ImportError:
            from hashlib import sha256
    return sha256(data).hexdigest()


def data_dir(name: str) -> Path:
    """A folder shipped with the package: inside the wheel, or beside `gates/` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_data" / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise PolicyError(f"the built-in {name}/ folder is missing", hint="reinstall gates")


def preset_names() -> list[str]:
    return sorted(p.stem for p in data_dir("policies").glob("*.yaml"))


def _check_size(size: int, source: str) -> None:
    if size > MAX_POLICY_BYTES:
        raise PolicyError(
            f"the policy is {size} bytes, over the limit of {MAX_POLICY_BYTES}",
            source=source,
            hint="a policy is a page of settings: remove what is not needed",
        )


def _read_text(path: Path) -> str:
    try:
        if path.is_file():
            _check_size(path.stat().st_size, str(path))
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            f"not UTF-8 ({exc.reason})", source=str(path), hint="save it as UTF-8"
        ) from None
    except OSError as exc:
        raise PolicyError(
            f"cannot read: {exc.strerror}",
            source=str(path),
            hint="check that the file exists and is readable",
        ) from None


def _loader() -> type:
    """PyYAML's safe loader (C where built), with dates left as the strings the schema checks."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class PolicyLoader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class-level table
            first: [
                (tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"
            ]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

    return PolicyLoader


def _yaml_document(text: str, source: str) -> tuple[dict[str, Any], dict[KeyPath, int]]:
    """Parse YAML safely (no tags that run code), with the line of every key."""
    import yaml

    _check_size(len(text.encode("utf-8", "surrogatepass")), source)
    loader = _loader()
    try:
        _refuse_aliases(text, loader, source)
        node = yaml.compose(text, Loader=loader)
    except RecursionError:
        raise PolicyError("the YAML is nested too deeply", source=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(
            f"invalid YAML: {problem}", source=source, line=line, hint="fix the YAML syntax"
        ) from None
    if node is None:
        return {}, {}
    lines: dict[KeyPath, int] = {}
    _index_lines(node, (), lines, source)
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise PolicyError(
            f"invalid YAML value: {exc}", source=source, hint="fix the value"
        ) from None
    if not isinstance(data, dict):
        raise PolicyError(
            "the policy must be a mapping of keys",
            source=source,
            line=1,
            hint="start with `extends: gitflow`",
        )
    return _plain(data), lines


def _refuse_aliases(text: str, loader: type, source: str) -> None:
    """YAML aliases (`*name`) let a small file expand into gigabytes; a policy needs none."""
    import yaml

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise PolicyError(
                f"YAML aliases are not allowed in a policy (*{event.anchor})",
                source=source,
                line=mark.line + 1 if mark else None,
                hint="write the value out where it is needed",
            )


def _plain(value: Any) -> Any:
    """Dates as ISO strings, as the schema (and JSON) sees them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _index_lines(node: Any, path: KeyPath, lines: dict[KeyPath, int], source: str) -> None:
    import yaml

    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]`: a list or map as a key
                raise PolicyError(
                    "a key must be a plain name, not a list or a mapping",
                    source=source,
                    line=key_node.start_mark.line + 1,
                    key=dotted(path) or None,
                    hint="write `name: value`",
                )
            key = key_node.value
            if key in seen:
                raise PolicyError(
                    "duplicate key",
                    source=source,
                    line=key_node.start_mark.line + 1,
                    key=dotted((*path, key)),
                    hint="keep one of them",
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*path, key), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines, source)


def _toml_document(path: Path) -> tuple[dict[str, Any], dict[KeyPath, int]] | None:
    return _toml_text(_read_text(path), str(path))


def _toml_text(text: str, source: str) -> tuple[dict[str, Any], dict[KeyPath, int]] | None:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise PolicyError(
            f"invalid TOML: {exc}", source=source, line=int(match.group(1)) if match else None
        ) from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "gate" not in tool:
        return None
    if not isinstance(tool["gate"], dict):
        raise PolicyError(
            "[tool.gate] must be a table",
            source=source,
            hint="write [tool.gate] with keys under it",
        )
    return _plain(tool["gate"]), _toml_lines(text)


def _toml_lines(text: str) -> dict[KeyPath, int]:
    """Best-effort line of each key under [tool.gate] (tomllib keeps no positions)."""
    lines: dict[KeyPath, int] = {}
    table: tuple[str, ...] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            parts = tuple(p.strip().strip('"') for p in header.group(1).split("."))
            table = parts[2:] if parts[:2] == ("tool", "gate") else None
            if table is not None:
                lines.setdefault(table, number)
            continue
        key = re.match(r'^"?([A-Za-z0-9_-]+)"?\s*=', line)
        if key and table is not None:
            lines.setdefault((*table, key.group(1)), number)
    return lines


def _line_for(path: KeyPath, lines: dict[KeyPath, int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _check(data: dict[str, Any], lines: dict[KeyPath, int], source: str) -> None:
    problems = validate(data, document_schema(data))
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise PolicyError(
            first.message + more,
            source=source,
            line=_line_for(first.path, lines),
            key=dotted(first.path),
            hint=first.hint or "see `gate policy schema` for every key and its type",
        )
    _check_gate_ids(data, lines, source)
    _normalise(data)


def _normalise(data: dict[str, Any]) -> None:
    """One shape for what may be written two ways: `waivers: [...]` is `{entries: [...]}`, so
    that a preset's `waivers.max_days` survives a repository's list of waivers."""
    if isinstance(data.get("waivers"), list):
        data["waivers"] = {"entries": data["waivers"]}


def _check_gate_ids(data: dict[str, Any], lines: dict[KeyPath, int], source: str) -> None:
    from gates import registry

    builtin = set(registry.builtin_ids())
    for stage, ids in data.get("stages", {}).items():
        for index, gate_id in enumerate(ids):
            if gate_id not in builtin and not registry.exists(gate_id):
                raise PolicyError(
                    f"unknown gate '{gate_id}'",
                    source=source,
                    line=_line_for(("stages", stage, index), lines),
                    key=dotted(("stages", stage, index)),
                    hint="known gates: " + ", ".join(registry.all_ids()),
                )


def _checked_yaml(path: Path, source: str) -> dict[str, Any]:
    """A YAML policy file, parsed and validated. A valid document is remembered in the user's
    cache under its exact text, so the commit-msg hook, which runs on every commit, does not
    pay for PyYAML and validation each time."""
    text = _read_text(path)
    key = _cache_key(path)
    cached = _cache_read(key, text)
    if cached is not None:
        return cached
    data, lines = _yaml_document(text, source)
    _check(data, lines, source)
    _cache_write(key, text, data)
    return data


def _cache_key(path: Path) -> tuple[Path, list[Any]] | None:
    """The cache file for a policy file, and what else its validity depends on (the tool's
    version, the schema and validator sources, the built-in gate ids). os.path, not pathlib:
    this runs on every commit."""
    import os
    import zlib

    from gates import __version__, registry

    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(home):
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        code = [
            [name, stat.st_mtime_ns, stat.st_size]
            for name in ("schema.py", "validate.py", "loader.py")
            for stat in (os.stat(os.path.join(here, name)),)
        ]
    except OSError:
        return None
    name = f"policy-{zlib.crc32(os.path.abspath(path).encode()):08x}.json"
    return Path(home, "gates", name), [__version__, code, registry.builtin_ids()]


def _cache_read(key: tuple[Path, list[Any]] | None, text: str) -> dict[str, Any] | None:
    if key is None:
        return None
    cache, depends = key
    try:
        entry = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("text") != text or entry.get("depends") != depends:
        return None
    data = entry.get("data")
    return data if isinstance(data, dict) else None


def _cache_write(key: tuple[Path, list[Any]] | None, text: str, data: dict[str, Any]) -> None:
    if key is None:
        return
    cache, depends = key
    try:
        encoded = json.dumps({"text": text, "depends": depends, "data": data})
        if json.loads(encoded)["data"] != data:  # only documents JSON keeps exactly
            return
        from gates.adapters.atomic_files import atomic_write  # lazy: only a cache miss pays

        cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(cache, encoded, mode=0o600)  # the user's own cache, as it always was
    except (OSError, TypeError, ValueError):
        return


PRESET_GROUP = "gates.presets"
_PRESET_ONLY = ("locked", "floor")


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if key == "extends" or key in _PRESET_ONLY:
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _at(data: Any, dotted_key: str) -> Any:
    for part in dotted_key.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def extend(base: Policy, data: dict[str, Any], source: str) -> Policy:
    """`data` (from `source`) on top of `base`, within the locks and floors of base's presets:
    a locked key keeps the preset's value, a number with a floor may rise, never fall."""
    merged = merge(base.data, data)
    locked = list(base.data.get("locked") or [])
    floors = dict(base.data.get("floor") or {})
    for key in locked:
        if _at(merged, key) != _at(base.data, key):
            raise PolicyError(
                f"{key} is locked by the preset ({base.sources[-1]}); it cannot be changed here",
                source=source,
                key=key,
                hint="remove it from this policy, or ask the preset's owners",
            )
    for key, floor in floors.items():
        value = _at(merged, key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < floor:
            raise PolicyError(
                f"{key} is {value}, below the floor {floor:g} of the preset "
                f"({base.sources[-1]}): it may be raised, never lowered",
                source=source,
                key=key,
                hint=f"set {key} to {floor:g} or more",
            )
    for key in data.get("locked") or []:
        if key not in locked:
            locked.append(key)
    for key, floor in (data.get("floor") or {}).items():
        floors[key] = max(floor, floors.get(key, floor))
    if locked:
        merged["locked"] = locked
    if floors:
        merged["floor"] = floors
    return Policy(merged, [*base.sources, source])


def resolve_extends(value: Any, root: Path | None = None, _chain: tuple[str, ...] = ()) -> Policy:
    """The preset an `extends:` names: a built-in name, a preset of an installed package
    (entry points `gates.presets`), or `{file: PATH, sha256: HEX}`, a file pinned by its hash."""
    if isinstance(value, dict):
        return _file_preset(str(value.get("file")), str(value.get("sha256")), root, _chain)
    return load_preset(str(value or DEFAULT_PRESET), _chain)


def _file_preset(name: str, digest: str, root: Path | None, chain: tuple[str, ...]) -> Policy:
    path = Path(name)
    if not path.is_absolute() and root is not None:
        path = root / path
    source = f"{name} (sha256 {digest[:12]}…)"
    if source in chain:
        raise PolicyError(f"presets extend each other in a loop: {' -> '.join((*chain, source))}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(
            f"cannot read the preset file: {exc.strerror}", source=name, key="extends.file"
        ) from None
    _check_size(len(raw), name)
    actual = _sha256_hex(raw)
    if actual != digest.lower():
        raise PolicyError(
            f"the preset file's sha256 is {actual}, not the pinned {digest}",
            source=name,
            key="extends.sha256",
            hint="pin the hash of the preset you reviewed (sha256sum FILE)",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"not UTF-8 ({exc.reason})", source=name) from None
    data, lines = _yaml_document(text, name)
    _check(data, lines, name)
    base = resolve_extends(data.get("extends"), path.parent, (*chain, source))
    return extend(base, data, source)


def _entry_point_preset(name: str, chain: tuple[str, ...]) -> Policy | None:
    """A preset an installed package declares: `[project.entry-points."gates.presets"]`,
    `NAME = "package.module:ATTRIBUTE"`, the attribute a path to a YAML file or the text."""
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group=PRESET_GROUP) if ep.name == name]
    if not found:
        return None
    entry = found[0]
    source = f"preset {name} ({entry.value})"
    try:
        value = entry.load()
    except Exception as exc:
        raise PolicyError(
            f"the preset {name} cannot be loaded: {type(exc).__name__}: {exc}",
            key="extends",
            hint=f"check the package that declares it ({entry.value})",
        ) from None
    if isinstance(value, (str, Path)) and Path(value).suffix in (".yaml", ".yml"):
        text = _read_text(Path(value))
    elif isinstance(value, str):
        text = value
    else:
        raise PolicyError(
            f"the preset {name} is a {type(value).__name__}, not a YAML file or text",
            key="extends",
        )
    data, lines = _yaml_document(text, source)
    _check(data, lines, source)
    base = resolve_extends(data.get("extends"), None, (*chain, name))
    return extend(base, data, source)


def load_preset(name: str, _chain: tuple[str, ...] = ()) -> Policy:
    if name in _chain:
        raise PolicyError(f"presets extend each other in a loop: {' -> '.join((*_chain, name))}")
    path = data_dir("policies") / f"{name}.yaml"
    if not path.is_file():
        installed = _entry_point_preset(name, _chain)
        if installed is not None:
            return installed
        raise PolicyError(
            f"unknown preset '{name}'",
            key="extends",
            hint="built-in presets: "
            + ", ".join(preset_names())
            + f"; installed packages add theirs (entry points {PRESET_GROUP})",
        )
    source = f"policies/{name}.yaml"
    data = _checked_yaml(path, source)
    parent = data.get("extends")
    if parent:
        base = resolve_extends(parent, None, (*_chain, name))
        return extend(base, data, source)
    return Policy(data, [source])


def parse_policy_text(text: str, source: str = ".gate.yaml") -> dict[str, Any]:
    """Validate one policy document given as text (YAML, or TOML when `source` is
    pyproject.toml); PolicyError when it is not valid."""
    if source.endswith(".toml"):
        parsed = _toml_text(text, source)
        if parsed is None:
            raise PolicyError(
                "no [tool.gate] table", source=source, hint="add [tool.gate] or use .gate.yaml"
            )
        data, lines = parsed
    else:
        data, lines = _yaml_document(text, source)
    _check(data, lines, source)
    return data


def find_policy_file(root: Path) -> Path | None:
    # Anything by that name counts (a folder, a broken link): it fails to read, loudly, rather
    # than being passed over for the preset.
    found = [
        root / name for name in POLICY_FILES if (root / name).exists() or (root / name).is_symlink()
    ]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.gate" in _read_text(pyproject):
        found.append(pyproject)
    if len(found) > 1:
        raise PolicyError(
            "more than one policy: " + " and ".join(p.name for p in found),
            source=str(found[0]),
            hint="keep the policy in one place, .gate.yaml or [tool.gate] in pyproject.toml",
        )
    return found[0] if found else None


DETECTED_SOURCE = "detected in the repository"


def _base(data: dict[str, Any], root: Path | None, detection: Any) -> Policy:
    """The preset a policy document extends, with the detected conventions on top for every
    key the document leaves out (and no preset locks). Without `extends`, the detected
    preset (trunk where there is no develop branch)."""
    if detection is None:
        return resolve_extends(data.get("extends"), root)
    from gates.knowledge.conventions import left_out

    base = resolve_extends(data.get("extends") or detection.preset, root)
    locked = set(base.data.get("locked") or [])
    applied = tuple(
        item for item in detection.values if item.key not in locked and left_out(data, item.key)
    )
    if data.get("extends"):
        detection = detection._replace(preset=str(data["extends"]))
    detection = detection._replace(values=applied)
    layer = detection.layer()
    if not layer:
        return Policy(base.data, base.sources, detection)
    return Policy(merge(base.data, layer), [*base.sources, DETECTED_SOURCE], detection)


def _extend_detected(base: Policy, data: dict[str, Any], source: str) -> Policy:
    extended = extend(base, data, source)
    return extended._replace(detected=base.detected)


def policy_at(
    show: Any,
    ref: str,
    label: str | None = None,
    root: Path | None = None,
    detection: Any = None,
) -> Policy:
    """The effective policy committed at `ref`: `show(ref, path)` gives a file's text there
    (None where there is none), as GitRepo.show does. What the working tree holds does not
    count: in CI the policy of the change's target judges the change."""
    texts = {name: show(ref, name) for name in (*POLICY_FILES, "pyproject.toml")}
    pyproject = texts.pop("pyproject.toml")
    if pyproject is not None and "[tool.gate" in pyproject:
        texts["pyproject.toml"] = pyproject
    found = {name: text for name, text in texts.items() if text is not None}
    label = label or ref
    if len(found) > 1:
        raise PolicyError(
            "more than one policy at " + label + ": " + " and ".join(found),
            hint="keep the policy in one place, .gate.yaml or [tool.gate] in pyproject.toml",
        )
    if not found:
        base = _base({}, root, detection)
        return Policy(base.data, [*base.sources, f"{label}: no policy"], base.detected)
    name, text = next(iter(found.items()))
    source = f"{label}:{name}"
    if name == "pyproject.toml":
        _check_size(len(text.encode()), source)
        parsed = _toml_text(text, source)
        if parsed is None:  # pragma: no cover - "[tool.gate" was in the text
            raise PolicyError("no [tool.gate] table", source=source)
        data, lines = parsed
        source += " [tool.gate]"
    else:
        data, lines = _yaml_document(text, source)
    _check(data, lines, source)
    return _extend_detected(_base(data, root, detection), data, source)


def load_policy(
    root: Path, explicit: Path | None = None, *, detect: bool = True, detection: Any = None
) -> Policy:
    """The effective policy of the repository at `root` (or of the file given), with the
    repository's detected conventions for every key it leaves out (unless `detect` is
    False: the commit-msg hook needs none of them). `detection`: conventions already read."""
    if detect and detection is None:
        from gates.adapters.conventions import detect as detect_conventions

        detection = detect_conventions(root)
    path = explicit or find_policy_file(root)
    if path is None:
        if detection is None:
            return load_preset(DEFAULT_PRESET)
        return _base({}, root, detection)
    try:
        source = str(path.relative_to(root))
    except ValueError:
        source = str(path)
    if path.name == "pyproject.toml":
        parsed = _toml_document(path)
        if parsed is None:
            raise PolicyError(
                "no [tool.gate] table", source=source, hint="add [tool.gate] or use .gate.yaml"
            )
        data, lines = parsed
        source += " [tool.gate]"
        _check(data, lines, source)
    else:
        if not path.is_file():
            what = "is not a file" if path.exists() else "no such policy file"
            raise PolicyError(what, source=source, hint="make it a YAML file, or remove it")
        data = _checked_yaml(path, source)
    return _extend_detected(_base(data, root, detection), data, source)


def stage_names() -> tuple[str, ...]:
    return STAGES
