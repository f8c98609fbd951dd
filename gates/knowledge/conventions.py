"""A repository's own conventions, read from what it already has (pure; the adapter reads).

With no policy, and for every key a policy leaves out, `gate` applies what is detected
here and says so once (DESIGN.md, "Policy"). Each kind of convention is one detector: a
function from the facts the adapter gathered to the values it found, each value with the
place it came from, so that the report's note and `gate init`'s comments say the same.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

# The keys the trunk preset changes, applied where a repository has no develop branch.
TRUNK_PRESET = "trunk"
GITFLOW_PRESET = "gitflow"


class Facts(NamedTuple):
    """What the adapter read: refs, tags, tracked files and the text of a few of them."""

    origin_head: str | None  # the branch origin/HEAD points to, e.g. "main"
    branches: frozenset[str]  # local and remote branch names, without "origin/"
    tags: tuple[tuple[str, str], ...]  # (name, commit sha)
    files: tuple[str, ...]  # tracked paths
    read: Callable[[str], str | None]  # a tracked file's text, None when absent


class Detected(NamedTuple):
    """One policy value found in the repository: `key` dotted, `source` where it came from."""

    key: str
    value: Any
    source: str
    label: str  # how the note names it ("default branch", "tag format"); "" for none


class Detection(NamedTuple):
    """Everything detected: the preset to start from, the values, and remarks for the note."""

    preset: str
    values: tuple[Detected, ...]
    remarks: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()

    def layer(self, skip: Iterable[str] = ()) -> dict[str, Any]:
        """The detected values as a policy document (nested), leaving out the keys in `skip`."""
        skipped = set(skip)
        out: dict[str, Any] = {}
        for item in self.values:
            if item.key in skipped:
                continue
            node = out
            *parents, last = item.key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = item.value
        return out

    def note(self, left_out: Callable[[str], bool] = lambda key: True) -> str | None:
        """The one line the report carries: each detected value in use and where it came from."""
        parts = [f"preset {self.preset}"]
        parts += [
            f"{item.label} {_shown(item.value)} ({item.source})"
            for item in self.values
            if item.label and left_out(item.key)
        ]
        parts += list(self.remarks)
        if len(parts) == 1 and self.preset == GITFLOW_PRESET:
            return None
        return "detected: " + "; ".join(parts)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]" if value else "no branch"
    return str(value)


# --- branches -------------------------------------------------------------------------------

MAIN_NAMES = ("main", "master")
DEVELOP_NAMES = ("develop", "development", "dev")


def detect_branches(facts: Facts) -> tuple[str, list[Detected], list[str]]:
    """The preset (gitflow with a develop branch, trunk without), the production branch and
    the develop branch, from origin/HEAD first, then the usual names."""
    develop = next((name for name in DEVELOP_NAMES if name in facts.branches), None)
    if facts.origin_head in DEVELOP_NAMES:
        develop = facts.origin_head
    values: list[Detected] = []
    main: str | None = None
    source = ""
    if facts.origin_head and facts.origin_head != develop:
        main, source = facts.origin_head, "origin/HEAD"
    else:
        found = next((name for name in MAIN_NAMES if name in facts.branches), None)
        if found:
            main = found
            source = "branch exists" + (
                f"; origin/HEAD is {facts.origin_head}" if facts.origin_head else ""
            )
    if main is not None:
        values.append(Detected("branches.main", main, source, "default branch"))
        values.append(
            Detected(
                "deploy.environments.production.tag_branch",
                main,
                "the default branch",
                "",
            )
        )
    remarks: list[str] = []
    if develop is None:
        remarks.append("no develop branch: trunk rules (policies/trunk.yaml)")
        preset = TRUNK_PRESET
        protected = [main or "main"]
    else:
        preset = GITFLOW_PRESET
        if develop != "develop":
            values.append(Detected("branches.develop", develop, "branch exists", "develop branch"))
        protected = [main or "main", develop]
    if main is not None and main != "main":
        values.append(Detected("branches.protected", protected, "the branches", ""))
    values += detect_prefixes(facts.branches)
    return preset, values, remarks


# Other spellings of the branch prefixes that teams use, by kind; the first is the preset's.
PREFIX_SPELLINGS = {
    "feature": ("feature/", "feat/", "features/"),
    "bugfix": ("bugfix/", "fix/", "bug/", "bugs/"),
}
# A spelling counts once this many branches use it.
MIN_BRANCHES = 2


def detect_prefixes(branches: Iterable[str]) -> list[Detected]:
    """The branch prefixes already in use where they are not the preset's (`feat/` for
    `feature/`): the names a team already types stay valid."""
    used = Counter(name.split("/", 1)[0] + "/" for name in branches if "/" in name)
    found = []
    for kind, (preset, *others) in PREFIX_SPELLINGS.items():
        if used[preset]:
            continue
        best = max(others, key=lambda prefix: used[prefix])
        if used[best] >= MIN_BRANCHES:
            found.append(
                Detected(
                    f"branches.prefixes.{kind}",
                    best,
                    f"{used[best]} branches named {best}…",
                    f"{kind} prefix",
                )
            )
    return found


# --- tag format -----------------------------------------------------------------------------

_VERSION_AT_END = re.compile(r"^(?P<prefix>.*?)(?P<version>\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$")
# The prefixes a release tag may carry, as tag formats (name stands for a package name).
_PREFIX_SHAPES = (
    (re.compile(r"^$"), "{version}"),
    (re.compile(r"^v$"), "v{version}"),
    (re.compile(r"^(?P<name>.+)@$"), "{name}@{version}"),
    (re.compile(r"^(?P<name>.+)-v$"), "{name}-v{version}"),
    (re.compile(r"^(?P<name>.+)/v$"), "{name}/v{version}"),
)


def tag_format_of(tag: str) -> str | None:
    """The tag format one tag follows (`1.2.3` → `{version}`, `cli@1.2.3` → `cli@{version}`)."""
    match = _VERSION_AT_END.match(tag)
    if match is None:
        return None
    prefix = match.group("prefix")
    for shape, template in _PREFIX_SHAPES:
        found = shape.match(prefix)
        if found is not None:
            name = found.groupdict().get("name")
            return template.replace("{name}", name) if name else template
    return None


def detect_tag_format(
    tags: Sequence[tuple[str, str]], scheme: str = "semver"
) -> tuple[list[Detected], list[str]]:
    """The tag format most release tags follow, and a remark naming the tags that do not."""
    from gates.knowledge.history import _listed, classify_tags

    formats = Counter(f for f in (tag_format_of(name) for name, _ in tags) if f)
    if not formats:
        return [], []
    named = [f for f in formats if not f.startswith(("{version}", "v{version}"))]
    best = formats.most_common(1)[0][0]
    if len(named) > 1 and best in named:
        return [], [
            f"{sum(formats[f] for f in named)} tags name {len(named)} packages "
            f"({_listed(sorted(named))}): one release line per package, not one tag format"
        ]
    tagset = classify_tags(tags, best, scheme)
    remarks = []
    if tagset.others:
        remarks.append(
            f"{len(tagset.others)} tag(s) outside the tag format: {_listed(tagset.others)}"
        )
    source = f"{len(tagset.releases)} of {len(tags)} tags"
    return [Detected("versioning.tag_format", best, source, "tag format")], remarks


def deploy_tag_glob(tag_format: str) -> str:
    """The production deploy's tag glob for a tag format (`v{version}` → `v*`)."""
    return tag_format.replace("{version}", "[0-9]*")


# --- release tooling ------------------------------------------------------------------------


class Tool(NamedTuple):
    """A release tool, and how a repository shows that it uses it: one row per tool."""

    name: str
    writes_changelog: bool  # the tool writes the changelog at release time
    files: tuple[str, ...] = ()  # any of these tracked paths
    prefixes: tuple[str, ...] = ()  # a tracked path starting with one of these
    pyproject_table: str | None = None  # `[tool.X]` in pyproject.toml
    package_key: str | None = None  # a top-level key of package.json


TOOLS = (
    Tool("git-cliff", True, ("cliff.toml",), pyproject_table="git-cliff"),
    Tool("release-please", True, ("release-please-config.json", ".release-please-manifest.json")),
    Tool(
        "semantic-release",
        True,
        tuple(
            f"{base}{ext}"
            for base, exts in (
                (".releaserc", ("", ".json", ".yaml", ".yml", ".js", ".cjs", ".mjs")),
                ("release.config", (".js", ".cjs", ".mjs", ".ts")),
            )
            for ext in exts
        ),
        package_key="release",
    ),
    Tool("changesets", True, prefixes=(".changeset/",)),
    Tool("towncrier", True, ("towncrier.toml", "changelog.d/towncrier.toml"), (), "towncrier"),
    Tool(
        "commitizen",
        True,
        (".cz.toml", ".cz.json", "cz.json", ".cz.yaml", "cz.yaml"),
        pyproject_table="commitizen",
    ),
)


def detect_release_tools(facts: Facts) -> list[tuple[Tool, str]]:
    """The release tools the repository configures, each with the file that says so."""
    files = set(facts.files)
    pyproject = facts.read("pyproject.toml") if "pyproject.toml" in files else None
    package = _json(facts.read("package.json")) if "package.json" in files else None
    found: list[tuple[Tool, str]] = []
    for tool in TOOLS:
        where = _configured_in(tool, files, pyproject, package)
        if where is not None:
            found.append((tool, where))
    return found


def _configured_in(tool: Tool, files: set[str], pyproject: str | None, package: Any) -> str | None:
    """Where the repository configures `tool`: a file of its own, a file under one of its
    folders, its table in pyproject.toml or its key in package.json; None when nowhere."""
    where = next((name for name in tool.files if name in files), None)
    if where is None and tool.prefixes:
        where = next((p for p in tool.prefixes if any(f.startswith(p) for f in files)), None)
    if where is not None:
        return where
    table = f"[tool.{tool.pyproject_table}" if tool.pyproject_table else None
    if table and pyproject and table in pyproject:
        return f"pyproject.toml {table}]"
    key = tool.package_key
    if key and isinstance(package, dict) and key in package:
        return f"package.json ({key})"
    return None


def _json(text: str | None) -> Any:
    import json

    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def detect_tooling(facts: Facts) -> tuple[list[Detected], list[str], list[str]]:
    """The release tools, and `changelog.required_on: []` when one writes the changelog."""
    tools = detect_release_tools(facts)
    if not tools:
        return [], [], []
    names = [f"{tool.name} ({where})" for tool, where in tools]
    values = []
    writers = [tool.name for tool, _ in tools if tool.writes_changelog]
    if writers:
        values.append(
            Detected(
                "changelog.required_on",
                [],
                f"{writers[0]} writes the changelog at release time",
                "changelog entry required on",
            )
        )
    return values, ["release tooling: " + ", ".join(names)], [t.name for t, _ in tools]


# --- languages ------------------------------------------------------------------------------


class Language(NamedTuple):
    name: str
    extensions: tuple[str, ...]
    source: tuple[str, ...]
    tests: tuple[str, ...]


LANGUAGES = (
    Language(
        "Python",
        (".py",),
        ("src/**", "lib/**", "*.py", "**/*.py"),
        ("tests/**", "test/**", "**/test_*.py", "**/*_test.py", "**/tests/**", "**/conftest.py"),
    ),
    Language(
        "JavaScript/TypeScript",
        (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"),
        tuple(
            f"**/*{ext}" for ext in (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
        ),
        ("test/**", "tests/**", "**/__tests__/**", "**/*.test.*", "**/*.spec.*", "**/test/**"),
    ),
    Language("Go", (".go",), ("**/*.go",), ("**/*_test.go", "**/testdata/**")),
    Language("Rust", (".rs",), ("**/*.rs",), ("tests/**", "**/tests/**", "benches/**")),
    Language(
        "Java/Kotlin",
        (".java", ".kt", ".kts"),
        ("**/*.java", "**/*.kt"),
        ("**/src/test/**", "**/*Test.java", "**/*Test.kt", "**/*Tests.java", "**/*Tests.kt"),
    ),
)
# For any other language: every file that is not docs or config is source.
OTHER_SOURCE = ("**",)
OTHER_TESTS = ("test/**", "tests/**", "**/test/**", "**/tests/**", "**/*_test.*", "**/test_*")
DOCS_AND_CONFIG = (
    "**/*.md",
    "**/*.rst",
    "**/*.txt",
    "**/*.adoc",
    "docs/**",
    "doc/**",
    ".github/**",
    ".gitlab/**",
    ".*",
    "**/.*",
    "**/*.yaml",
    "**/*.yml",
    "**/*.toml",
    "**/*.json",
    "**/*.cfg",
    "**/*.ini",
    "**/*.lock",
    "LICENSE*",
    "COPYING*",
    "AUTHORS*",
    "Makefile",
)
# Folders whose files say nothing of the project's own language (at any depth).
_NOT_THE_PROJECT = frozenset(
    {"node_modules", "vendor", "third_party", "docs", "doc", "examples", "fixtures", "testdata"}
)
# A language counts from this many files (a stray script does not make a Go project).
MIN_FILES = 3


def detect_languages(files: Sequence[str]) -> tuple[list[Detected], list[str]]:
    """The languages of the tracked files, and the source and test globs they imply."""
    counts: Counter[str] = Counter()
    for path in files:
        if not _NOT_THE_PROJECT.isdisjoint(path.split("/")[:-1]):
            continue
        dot = path.rfind(".")
        if dot > path.rfind("/"):
            counts[path[dot:].lower()] += 1
    present = [lang for lang in LANGUAGES if sum(counts[e] for e in lang.extensions) >= MIN_FILES]
    names = ", ".join(lang.name for lang in present)
    if [lang.name for lang in present] == ["Python"]:
        return [], ["languages: Python"]
    if present:
        source = [glob for lang in present for glob in lang.source]
        tests = [glob for lang in present for glob in lang.tests]
        where = f"{names} files"
    else:
        source, tests = list(OTHER_SOURCE), list(OTHER_TESTS)
        where = "no Python, JavaScript/TypeScript, Go, Rust, Java or Kotlin: every file "
        where += "that is not docs or config"
    values = [
        Detected("tests_with_code.source", _unique(source), where, ""),
        Detected("tests_with_code.tests", _unique(tests), where, ""),
    ]
    if not present:
        values.append(Detected("tests_with_code.exempt_paths", list(DOCS_AND_CONFIG), where, ""))
        return values, [
            "languages: none of Python, JavaScript/TypeScript, Go, Rust, Java, "
            "Kotlin (tests-with-code: every file that is not docs or config)"
        ]
    return values, [f"languages: {names} (the source and test globs of tests-with-code)"]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- version sources ------------------------------------------------------------------------


def detect_scheme(declared: Sequence[tuple[str, str, bool]]) -> list[Detected]:
    """PEP 440 where a Python version source declares a version SemVer cannot read
    (`8.5.0.dev`): `declared` is (label, version, is_python) for each static source."""
    from gates.knowledge.semver import VersionError, to_version

    for label, version, python in declared:
        if not python:
            continue
        try:
            to_version(version, "semver")
        except VersionError:
            try:
                to_version(version, "pep440")
            except VersionError:
                continue
            return [Detected("versioning.scheme", "pep440", f"{label} = {version}", "scheme")]
    return []


# --- all of it ------------------------------------------------------------------------------


def detect(facts: Facts, declared_versions: Sequence[tuple[str, str, bool]] = ()) -> Detection:
    """Every detector in turn: the repository's conventions, each value with its source."""
    preset, values, remarks = detect_branches(facts)
    scheme = detect_scheme(declared_versions)
    tag_values, tag_remarks = detect_tag_format(facts.tags, scheme[0].value if scheme else "semver")
    tag_format = next((d.value for d in tag_values), None)
    if tag_format is not None:
        glob = deploy_tag_glob(tag_format)
        tag_values.append(
            Detected("deploy.environments.production.tags", [glob], "the tag format", "")
        )
    tool_values, tool_remarks, tools = detect_tooling(facts)
    language_values, language_remarks = detect_languages(facts.files)
    return Detection(
        preset,
        tuple([*values, *scheme, *tag_values, *tool_values, *language_values]),
        tuple([*remarks, *tag_remarks, *tool_remarks, *language_remarks]),
        tuple(tools),
    )


def left_out(data: Mapping[str, Any], key: str) -> bool:
    """Whether the policy document `data` leaves the dotted `key` out."""
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return True
        node = node[part]
    return False
