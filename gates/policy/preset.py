"""The built-in preset `policies/gitflow.yaml`, written from the option declarations.

Its values are the declared defaults and its comments their documentation, so the
preset a user reads and copies never disagrees with the code. A test keeps the
committed file equal to what `python -m gates.policy.preset` writes.
"""

from __future__ import annotations

import sys
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gates.options import Options

HEADER = """\
# The git-flow preset: the default policy of every repository without one.
#
# A repository's .gate.yaml (or [tool.gate] in pyproject.toml) starts from
# this file with `extends: gitflow` and overrides only what it needs.
# Mappings merge key by key; lists replace. `gate policy show` prints the
# effective result, `gate policy schema` documents every key.
#
# Written by `python -m gates.policy.preset` from the options each gate
# declares: edit the declarations, not this file.
"""

STAGES = {
    "pre-commit": ["branch-name", "protected-branch"],
    "commit-msg": ["commit-msg"],
    "pre-push": ["branch-name", "commits", "changelog"],
    "ci": [
        "branch-name",
        "merge-target",
        "commits",
        "tests-with-code",
        "coverage",
        "version",
        "changelog",
        "lint",
        "tests",
        "build-time",
    ],
    "deploy": ["deploy"],
}

WAIVERS = """\
# Waivers set a rule aside until a date, never further than max_days from today.
waivers:
  max_days: 90
  entries: []
"""

WIDTH = 92


def _scalar(value: Any) -> str:
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
    return text.removesuffix("\n...\n").rstrip("\n")


def _comment(doc: str, indent: str) -> list[str]:
    return textwrap.wrap(doc, WIDTH, initial_indent=indent + "# ", subsequent_indent=indent + "# ")


def _block(name: str, value: Any, indent: str) -> list[str]:
    """A value in YAML: lists and scalars on one line, mappings as blocks."""
    if isinstance(value, dict) and value:
        lines = [f"{indent}{name}:"]
        for key, item in value.items():
            lines += _block(str(key), item, indent + "  ")
        return lines
    return [f"{indent}{name}: {_scalar(value)}"]


def _options(options: type[Options], indent: str) -> list[str]:
    from gates.options import Group

    lines: list[str] = []
    defaults = options.defaults()
    for name, option in options.declared.items():
        if name not in defaults:
            if not option.required:
                lines += _comment(f"{name} (not set here): {option.doc}", indent)
            continue
        lines += _comment(option.doc, indent)
        if isinstance(option, Group):
            lines.append(f"{indent}{name}:")
            lines += _options(option.options, indent + "  ")
        else:
            lines += _block(name, defaults[name], indent)
    return lines


def render() -> str:
    """The text of policies/gitflow.yaml."""
    from gates.policy.schema import section_options

    out = [HEADER, *_block("stages", STAGES, "")]
    for name, options in section_options(plugins=False).items():
        out += ["", *_comment(options.summary, ""), f"{name}:", *_options(options, "  ")]
    return "\n".join(out) + "\n\n" + WAIVERS


def main(argv: list[str] | None = None) -> int:
    """Print the preset, or write it to the path given."""
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args:
        from pathlib import Path

        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
