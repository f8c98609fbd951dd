"""Fuzz targets: every parser that takes outside text, fed arbitrary bytes.

Each target decodes the bytes as the real entry point would and calls the
parser. The errors a parser is meant to raise for bad input (a clear verdict)
are caught; anything else escapes and is a bug. `run.py` drives these with
atheris (coverage-guided); the test suite drives them with hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable

from gates.errors import GateToolError

Target = Callable[[bytes], None]
TARGETS: dict[str, Target] = {}


def target(name: str) -> Callable[[Target], Target]:
    def register(fn: Target) -> Target:
        TARGETS[name] = fn
        return fn

    return register


def text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


@target("policy-yaml")
def policy_yaml(data: bytes) -> None:
    from gates.policy.loader import parse_policy_text

    try:
        parse_policy_text(data.decode("utf-8", "replace"))
    except GateToolError:
        pass


@target("policy-toml")
def policy_toml(data: bytes) -> None:
    from gates.policy.loader import parse_policy_text

    try:
        parse_policy_text(data.decode("utf-8", "replace"), "pyproject.toml")
    except GateToolError:
        pass


def _lines(data: bytes, count: int) -> list[str]:
    """The first `count` lines of the input (padded with empty ones): several fields from one input."""
    parts = text(data).split("\n", count - 1)
    return parts + [""] * (count - len(parts))


@target("commit-message")
def commit_message(data: bytes) -> None:
    """The commit-msg hook's path: raw bytes -> decode -> git's cleanup -> Conventional Commits."""
    from gates.knowledge import commit_message as cm
    from gates.knowledge import commit_rules, conventional

    encoding = "latin-1" if data[:1] == b"\x01" else None
    try:
        raw = cm.decode(data, encoding)
    except cm.MessageDecodeError:
        raw = text(data)
    for comment_char in ("#", "auto", None):
        message = cm.clean(raw, comment_char)
        conventional.trailers(message)
        parsed = conventional.try_parse(message)
        try:
            conventional.parse(message)
        except conventional.ParseError as exc:
            assert parsed is None
            str(exc)
        else:
            assert parsed is not None
            parsed.render()
            parsed.footer("BREAKING CHANGE")
            _ = parsed.breaking, parsed.header
        policy = commit_rules.CommitPolicy(
            scopes=("api", "core"), scope_required=comment_char is None
        )
        commit_rules.check_message(message, policy)
        commit_rules.check_message(message, policy, merge=True)
        commit_rules.repair_header(message.split("\n", 1)[0], policy)


@target("branch-name")
def branch_name(data: bytes) -> None:
    """A branch name from git, CI variables or the command line: git's ref rules, then git-flow."""
    from gates.knowledge import gitflow, refname

    name = text(data)
    refname.problems(name)
    refname.is_valid(name)
    refname.sanitize(name)
    for policy in (
        gitflow.BranchPolicy(),
        gitflow.BranchPolicy(develop=None, version_prefix=True, extra=("renovate/*",)),
    ):
        verdict = gitflow.check(name, policy)
        _ = verdict.ok
        gitflow.suggest(name, policy)
        gitflow.protected_by(name, policy)
        if verdict.kind:
            gitflow.merge_allowed(verdict.kind, name, policy)
    gitflow.display(name)


@target("version")
def version(data: bytes) -> None:
    """Versions and release tags as they come from tags, version files and `gate version`."""
    from gates.knowledge import keepachangelog, semver

    first, tag, part = _lines(data, 3)
    for scheme in semver.SCHEMES:
        try:
            parsed = semver.to_version(first, scheme)
        except semver.VersionError:
            assert semver.parse_version(first, scheme) is None
            continue
        if scheme == "semver":
            semver.format_version(parsed, scheme)
        for bump_part in semver.PARTS:
            try:
                semver.bump(parsed, bump_part, part or None)
            except semver.VersionError:
                pass
        semver.breaking_bump(parsed)
    for tag_format in ("v{version}", "release-{version}-final", tag or "{version}"):
        try:
            semver.tag_version(tag, tag_format)
            semver.latest_release([(tag, "a" * 40), (first, "b" * 40)], tag_format)
        except semver.VersionError:
            pass
    keepachangelog.semver_key(first)
    keepachangelog.is_semver(first)


@target("changelog")
def changelog(data: bytes) -> None:
    """CHANGELOG.md (Keep a Changelog): parse, validate, and the edits `gate release` makes."""
    from gates.knowledge import keepachangelog as kac

    content = text(data)
    parsed = kac.parse(content)
    kac.validate(parsed)
    for section in parsed.sections:
        parsed.body(section)
        _ = section.version, section.entries
    entries = {"Added": ["a change"], "Fixed": ["a fix"]}
    try:
        merged = kac.merge_unreleased(content, entries)
    except kac.ChangelogError:
        pass  # the clear verdict: no place for the section (an unclosed code fence)
    else:
        assert kac.parse(merged).unreleased is not None
        assert kac.merge_unreleased(merged, entries) == merged, "merging twice changes nothing"
    kac.insert_release(content, "1.2.3", "2026-11-26", entries)
    kac.release_unreleased(content, "1.2.3", "2026-11-26")
    kac.set_link(content, "1.2.3", "https://example.com/compare/v1.2.2...v1.2.3")


def _coverage_mapper():
    from gates.knowledge.coverage_math import PathMapper

    return PathMapper(["src/app/x.py", "src/app/y.py", "tests/test_x.py"], ["/repo"])


def _map(raw) -> None:
    from pathlib import Path

    from gates.adapters.coverage_data import map_report

    map_report(raw, Path("/repo/coverage"), _coverage_mapper())


@target("coverage-xml")
def coverage_xml(data: bytes) -> None:
    """Cobertura XML (coverage.py `coverage xml`, other tools), through defusedxml."""
    from gates.adapters.coverage_data import parse_cobertura

    try:
        _map(parse_cobertura(data, "coverage.xml"))
    except GateToolError:
        pass


@target("coverage-json")
def coverage_json(data: bytes) -> None:
    """coverage.py's JSON report."""
    from gates.adapters.coverage_data import parse_coverage_json

    try:
        _map(parse_coverage_json(text(data), "coverage.json"))
    except GateToolError:
        pass


@target("coverage-lcov")
def coverage_lcov(data: bytes) -> None:
    """LCOV tracefiles."""
    from gates.adapters.coverage_data import parse_lcov

    try:
        _map(parse_lcov(text(data), "coverage.info"))
    except GateToolError:
        pass


def _scratch_file(name: str, data: bytes):
    """The input as a file (for parsers that take a path), in one reused scratch directory."""
    import tempfile
    from pathlib import Path

    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = Path(tempfile.mkdtemp(prefix="gate-fuzz-"))
    path = _SCRATCH / name
    path.write_bytes(data)
    return path


_SCRATCH = None


@target("coverage-file")
def coverage_file(data: bytes) -> None:
    """A coverage data file of unknown kind, as the coverage gate finds it: sniff, read, map."""
    from gates.adapters.coverage_data import load

    name = ("coverage.xml", "coverage.json", "coverage.info", "coverage-data")[
        data[0] % 4 if data else 0
    ]
    path = _scratch_file(name, data[1:])
    try:
        load(path, path.parent, ["src/app/x.py", "tests/test_x.py"])
    except GateToolError:
        pass


@target("junit-xml")
def junit_xml(data: bytes) -> None:
    """JUnit XML test reports (pytest --junitxml and other runners), through defusedxml."""
    from gates.adapters import junit

    path = _scratch_file("junit.xml", data)
    try:
        cases, seconds = junit.parse_file(path, path.parent)
    except GateToolError:
        return
    assert seconds >= 0
    for case in cases:
        _ = case.id, case.blocks


@target("attestation")
def attestation(data: bytes) -> None:
    """An attestation file handed to `gate verify` / the deploy gate: read, check signature, vouch."""
    from gates.adapters import attestation_file

    path = _scratch_file("attestation.json", data)
    keys = ({}, {"GATE_HMAC_KEY": "fuzz-secret"})
    for env in keys:
        try:
            attestation_file.verify(
                path, "a" * 40, "sha256:" + "0" * 64, env, ["commits", "branch-name"]
            )
        except GateToolError:
            pass


@target("pushed-refs")
def pushed_refs(data: bytes) -> None:
    """The pre-push hook's stdin and pre-commit's PRE_COMMIT_* variables."""
    from gates.knowledge import pushed_refs as pr

    content = text(data)
    for ref in pr.parse_pre_push(content):
        _ = ref.deleted, ref.is_tag, ref.branch, ref.checkable
    env = dict(line.partition("=")[::2] for line in content.splitlines())
    ref = pr.from_pre_commit_env({"PRE_COMMIT": "1", **env})
    if ref is not None:
        _ = ref.deleted, ref.is_tag, ref.branch, ref.checkable


def _plain_value(content: str, span: tuple[int, int], forbidden: str) -> str:
    """The text a scanner located: inside the document, without a `forbidden` character
    (its quotes, an escape, a line break)."""
    start, end = span
    assert 0 <= start <= end <= len(content), span
    value = content[start:end]
    assert not any(char in value for char in forbidden), value
    return value


@target("toml-scan")
def toml_scan(data: bytes) -> None:
    """pyproject.toml and Cargo.toml as the version reader scans them for the version's place."""
    from gates.knowledge import toml_scan as ts

    content = text(data)
    position = 0
    for offset, line in ts.logical_lines(content):
        assert offset >= position and content.startswith(line, offset)
        position = offset + len(line)
        ts.key_parts(line.partition("=")[0])
    for wanted in (("project", "version"), ("tool", "poetry", "version"), ("package", "version")):
        span = ts.string_value_span(content, wanted)
        if span is not None:
            _plain_value(content, span, "\"'\\\n\r")


@target("json-scan")
def json_scan(data: bytes) -> None:
    """package.json as the version reader scans it for the top-level "version"."""
    from gates.knowledge.json_scan import top_level_string_span

    content = text(data)
    span = top_level_string_span(content, "version")
    if span is not None:
        # the first top-level "version" whose value is a string, as written
        _plain_value(content, span, '"\\')
        strings = _top_level_strings(content, "version")
        assert strings is None or strings[:1] == [content[span[0] : span[1]]], (span, strings)


def _top_level_strings(content: str, key: str) -> list[str] | None:
    """The string values of `key` in a JSON object, in order, duplicates kept; None if no JSON."""
    import json

    try:
        pairs = json.loads(content, object_pairs_hook=list)
    except (ValueError, RecursionError):
        return None
    if not isinstance(pairs, list) or not all(isinstance(pair, tuple) for pair in pairs):
        return []
    return [value for name, value in pairs if name == key and isinstance(value, str)]
