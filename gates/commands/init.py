"""`gate init [--preset gitflow|trunk|strict] [--force]`: a .gate.yaml tuned to the repository.

It looks at the branches (main or master, develop or not), the version sources,
the changelog and coverage.py's settings, writes only what differs from the
preset, with a comment saying why, adds the hooks to an existing
.pre-commit-config.yaml, and prints the next steps. Nothing is overwritten
without --force.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from gates.adapters.project_scan import ProjectFacts
    from gates.knowledge.conventions import Detection

PRESETS = ("gitflow", "trunk", "strict")
POLICY_FILE = ".gate.yaml"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="write a .gate.yaml tuned to this repository",
        description=(
            "Write a commented .gate.yaml tuned to what the repository has (main or master, "
            "develop, version sources, CHANGELOG.md, coverage settings), add the hooks to an "
            "existing .pre-commit-config.yaml, and print the next steps. Without --preset, "
            "gitflow when a develop branch exists, trunk when the history has none."
        ),
    )
    parser.add_argument("--preset", choices=PRESETS, help="the built-in policy to start from")
    parser.add_argument("--force", action="store_true", help="overwrite an existing .gate.yaml")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates.adapters.project_scan import PRE_COMMIT_CONFIG, scan
    from gates.commands._common import repository_root
    from gates.errors import UsageError

    root = repository_root()
    if not (root / ".git").exists():
        raise UsageError(
            f"not a git repository: {root}", hint="run `git init` first, then `gate init`"
        )
    target = root / POLICY_FILE
    existing = _existing_policy(root)
    if existing is not None and existing.name == "pyproject.toml" and args.force:
        raise UsageError(
            "the policy lives in pyproject.toml [tool.gate]; a .gate.yaml would be a second one",
            hint="edit it there, or remove [tool.gate] and run gate init --force again",
        )
    from gates.adapters.conventions import detect

    facts = scan(root)
    detection = detect(root) if facts.has_commits else None
    written = []
    if existing is not None and not args.force:
        print(f"kept the policy in {existing.name} (gate init --force rewrites it)")
    else:
        written.append(POLICY_FILE)
        preset, reason = choose_preset(args.preset, facts, detection)
        text = render_policy(facts, preset, reason, detection)
        if facts.has_commits:
            text += _components(root)
        _validate(root, text)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {POLICY_FILE}: preset {preset} ({reason})")
        for line in _summary(facts):
            print(f"  {line}")
    edited, hooks_line = _add_to_pre_commit(facts)
    if edited:
        written.append(PRE_COMMIT_CONFIG)
    print("\nnext steps:")
    steps = ["gate policy show            # the effective policy; edit .gate.yaml to change it"]
    if facts.pre_commit_config is not None:
        if hooks_line:
            print(f"  ({hooks_line})")
        steps.append(
            "pre-commit install --hook-type pre-commit --hook-type commit-msg --hook-type pre-push"
        )
    else:
        steps.append("gate hooks install           # or use pre-commit: see docs/hooks.md")
    steps += [
        "gate doctor                 # checks the set-up",
        "gate run --stage ci         # what CI will run; add it to the pipeline before deploy",
    ]
    if written:
        steps.append(f"git add {' '.join(written)} && git commit -m 'ci: add the gate policy'")
    for number, step in enumerate(steps, 1):
        print(f"  {number}. {step}")
    return 0


def _existing_policy(root: Path) -> Path | None:
    from gates.errors import PolicyError
    from gates.policy.loader import POLICY_FILES, find_policy_file

    try:
        return find_policy_file(root)
    except PolicyError:  # more than one policy already: name the YAML one
        return next(root / name for name in POLICY_FILES if (root / name).is_file())


def choose_preset(
    asked: str | None, facts: ProjectFacts, detection: Detection | None = None
) -> tuple[str, str]:
    if asked:
        return asked, "chosen with --preset"
    if detection is not None:
        if detection.preset == "gitflow":
            return "gitflow", "a develop branch exists, detected"
        return "trunk", "no develop branch, detected; --preset gitflow for git-flow"
    if facts.develop_found:
        return "gitflow", "a develop branch exists"
    if facts.has_commits:
        return "trunk", "no develop branch; --preset gitflow for git-flow"
    return "gitflow", "a new repository; --preset trunk for trunk-based work"


def render_policy(
    facts: ProjectFacts, preset: str, reason: str, detection: Detection | None = None
) -> str:
    from gates.policy import load_preset

    base = load_preset(preset)
    detected = _detected_sections(detection)
    out = [
        "# The delivery policy of this repository, read by every `gate` command and hook.",
        "# Written by `gate init`: it starts from a built-in preset and sets only what this",
        "# repository needs on top of it (mappings merge key by key, lists replace).",
        "# `gate policy show` prints the effective policy, `gate policy schema` documents",
        "# every key, `gate explain GATE` every gate.",
        f"# Preset {preset}: {reason}.",
        f"extends: {preset}",
        "",
        "# Which gates each stage runs; the preset's plan applies. To change one stage,",
        "# uncomment it and list its gates (`gate explain` lists them all).",
        "# stages:",
    ]
    for stage, gates in base.data.get("stages", {}).items():
        out.append(f"#   {stage}: [{', '.join(gates)}]")
    if detection is not None and detection.remarks:
        out += ["", "# Also detected (`gate run` prints the same note):"]
        out += [f"#   {remark}" for remark in detection.remarks]
    branches = [] if "branches" in detected else _branches(facts, base.section("branches"))
    out += ["", *_merged("branches", branches, detected.pop("branches", []))]
    out += ["", *_merged("versioning", _versioning(facts), detected.pop("versioning", []))]
    changelog = _changelog(facts, base.section("changelog"))
    out += ["", *_merged("changelog", changelog, detected.pop("changelog", []))]
    out += ["", *_coverage(facts, base.section("coverage"))]
    for section, lines in detected.items():
        out += ["", *_merged(section, [], lines)]
    out += [
        "",
        "# Exceptions with a reason and an end date, shown in every report:",
        "# waivers:",
        "#   - rule: coverage.changed",
        "#     path: 'legacy/**'",
        "#     reason: legacy module, tests come with the rewrite",
        "#     expires: 2030-01-31",
    ]
    return "\n".join(out) + "\n"


def _detected_sections(detection: Detection | None) -> dict[str, list[str]]:
    """The detected values by top-level section, as indented YAML lines under it, each with
    a comment saying where it came from: what `gate run` applies when the policy is silent."""
    import json

    if detection is None:
        return {}
    tree: dict[str, Any] = {}
    for item in detection.values:
        *parents, leaf = item.key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = item
    out: dict[str, list[str]] = {}

    def emit(node: dict[str, Any], indent: int, lines: list[str]) -> None:
        pad = " " * indent
        for key, value in node.items():
            if isinstance(value, dict):
                lines.append(f"{pad}{key}:")
                emit(value, indent + 2, lines)
            else:
                lines.append(f"{pad}# detected: {value.source}")
                lines.append(f"{pad}{key}: {json.dumps(value.value)}")

    for section, node in tree.items():
        lines: list[str] = []
        emit(node, 2, lines)
        out[section] = lines
    return out


def _merged(section: str, lines: list[str], detected: list[str]) -> list[str]:
    """A section's lines with the detected lines under its header (a key already written
    there wins: a duplicate key would be a policy error)."""
    if not detected:
        return lines
    written = {line.split(":")[0] for line in lines if line.startswith("  ") and ":" in line}
    keep: list[str] = []
    for index, line in enumerate(detected):
        if line.startswith("  # "):
            following = detected[index + 1] if index + 1 < len(detected) else ""
            if following.split(":")[0] in written:
                continue
        elif line.split(":")[0] in written and not line.startswith("   "):
            continue
        keep.append(line)
    if f"{section}:" in lines:
        at = lines.index(f"{section}:") + 1
        return [*lines[:at], *keep, *lines[at:]]
    return [*lines, f"{section}:", *keep]


def _branches(facts: ProjectFacts, preset: dict[str, object]) -> list[str]:
    main_branch = facts.main_branch
    if main_branch == preset.get("main"):
        found = "found" if facts.main_found else "the preset's name"
        return [
            f"# The production branch is `{main_branch}` ({found}).",
            "# branches:",
            f"#   main: {main_branch}",
        ]
    protected = [
        main_branch if name == preset.get("main") else name
        for name in preset.get("protected") or []
    ]
    return [
        "branches:",
        f"  # The production branch of this repository is `{main_branch}`.",
        f"  main: {main_branch}",
        f"  protected: [{', '.join(protected)}]",
    ]


def _versioning(facts: ProjectFacts) -> list[str]:
    if not facts.version_sources:
        return [
            "# No version source found (pyproject.toml, package.json, Chart.yaml, VERSION,",
            "# __version__).",
            "# The version gate finds them when they appear; list them to be explicit:",
            "# versioning:",
            "#   sources:",
            "#     - file: pyproject.toml",
            "#       kind: pyproject",
        ]
    out = [
        "versioning:",
        "  # Where the version is written (found by gate init); `gate version` reads them.",
        "  sources:",
    ]
    for source in facts.version_sources:
        out.append(f"    - file: {_quote(source.file)}")
        out.append(f"      kind: {source.kind}")
        if source.key:
            out.append(f"      key: {source.key}")
    return out


def _changelog(facts: ProjectFacts, preset: dict[str, object]) -> list[str]:
    if facts.changelog is None:
        return [
            "changelog:",
            "  # No CHANGELOG.md yet, so no branch needs an entry. Once there is one",
            "  # (`gate changelog --write` starts it), remove this to use the preset's",
            f"  # list: [{', '.join(map(str, preset.get('required_on') or []))}].",
            "  required_on: []",
        ]
    kinds = ", ".join(map(str, preset.get("required_on") or [])) or "no"
    if facts.changelog == preset.get("file"):
        return [f"# {facts.changelog} found: changes on {kinds} branches need an entry in it."]
    return [
        "changelog:",
        f"  # This repository's changelog (found by gate init); {kinds} branches need an entry.",
        f"  file: {facts.changelog}",
    ]


def _coverage(facts: ProjectFacts, preset: dict[str, object]) -> list[str]:
    settings = facts.coverage
    if settings is None or (settings.fail_under is None and settings.branch is None):
        return [
            "# No coverage.py threshold found; the preset asks for "
            f"{preset.get('total_min')}% in total,",
            f"# {preset.get('changed_min')}% of changed lines.",
            "# coverage:",
            f"#   total_min: {preset.get('total_min')}",
        ]
    out = ["coverage:", f"  # From coverage.py's settings in {settings.source}."]
    if settings.fail_under is not None:
        out.append(f"  total_min: {_number(settings.fail_under)}")
    if settings.branch is not None:
        out.append(f"  branch: {'true' if settings.branch else 'false'}")
    return out


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _quote(text: str) -> str:
    import json

    return (
        text
        if text.replace("/", "").replace(".", "").replace("_", "").replace("-", "").isalnum()
        else json.dumps(text)
    )


def _components(root: Path) -> str:
    """The components the workspace files name, written as `gate` reads them; commented out
    when the root declares a version of its own (it is released as one)."""
    from gates.adapters import workspaces
    from gates.context import Context
    from gates.policy import load_policy

    ctx = Context(root, load_policy(root))
    found = workspaces.components(ctx)
    if not found:
        return ""
    alone = workspaces.is_monorepo(ctx)
    mark = "" if alone else "# "
    lines = ["", "# Components, detected from the workspace files (`gate components` lists them)."]
    if not alone:
        lines.append("# Left commented: the root declares a version of its own, released as one.")
    lines.append(f"{mark}components:")
    for component in found:
        fields = [f"name: {_quote(component.name)}", f"path: {_quote(component.path)}"]
        fields.append(f"tag_format: {_quote(component.tag_format)}")
        if component.depends:
            fields.append("depends: [" + ", ".join(map(_quote, component.depends)) + "]")
        lines.append(f"{mark}  - {{{', '.join(fields)}}}")
    return "\n".join(lines) + "\n"


def _summary(facts: ProjectFacts) -> list[str]:
    lines = [
        f"production branch: {facts.main_branch}"
        + ("" if facts.main_found else " (not created yet)"),
        "develop branch: " + ("yes" if facts.develop_found else "no"),
        "version sources: " + (", ".join(s.file for s in facts.version_sources) or "none found"),
        "changelog: " + (facts.changelog or "none found"),
    ]
    if facts.coverage is not None:
        lines.append(f"coverage settings: {facts.coverage.source}")
    return lines


def _validate(root: Path, text: str) -> None:
    """The policy must load before it is written; a failure here is a bug in gate init."""
    import tempfile
    from pathlib import Path

    from gates.policy import load_policy

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / POLICY_FILE
        path.write_text(text, encoding="utf-8")
        load_policy(root, path)


def _add_to_pre_commit(facts: ProjectFacts) -> tuple[bool, str | None]:
    """Add the hooks to .pre-commit-config.yaml: whether it changed, and a line saying why."""
    import yaml

    from gates.knowledge.pre_commit_config import CannotEdit, add_gate_hooks, mentions_gate

    config = facts.pre_commit_config
    if config is None:
        return False, None
    text = config.read_text(encoding="utf-8")
    if mentions_gate(text):
        return False, f"{config.name} already runs gate hooks; left as it is"
    try:
        edited = add_gate_hooks(text)
        data = yaml.safe_load(edited)
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("repos"), list)
            or not any(
                isinstance(r, dict)
                and r.get("repo") == "local"
                and any(h.get("id") == "gate-commit-msg" for h in r.get("hooks", []))
                for r in data["repos"]
            )
        ):
            raise CannotEdit("the edited file did not read back as intended")
    except (CannotEdit, yaml.YAMLError) as exc:
        from gates.knowledge.pre_commit_config import LOCAL_BLOCK

        print(
            f"\ncould not add the hooks to {config.name} ({exc}); add this under `repos:` yourself:"
        )
        print("".join("  " + line for line in LOCAL_BLOCK.splitlines(keepends=True)), end="")
        return False, None
    config.write_text(edited, encoding="utf-8")
    return True, f"added the gate hooks to {config.name}, comments kept"
