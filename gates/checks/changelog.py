"""Gate `changelog`: a valid changelog, in its own format, that gains an entry with every
user-visible change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.errors import GateError
from gates.model import Finding, Result, Severity
from gates.options import Shared
from gates.policy.sections import BranchesOptions, ChangelogOptions, VersioningOptions
from gates.registry import Doc, Gate, rule
from gates.registry import hint as explained

if TYPE_CHECKING:
    from gates.adapters.changelog_tooling import Tooling
    from gates.context import Context
    from gates.knowledge.changelog_formats import ChangelogFormat
    from gates.knowledge.keepachangelog import Changelog, Problem

GATE_ID = "changelog"


RULES = (
    rule(
        GATE_ID,
        "missing",
        "The policy requires a changelog file and there is none.",
        "Fails when `changelog.required` is true and `changelog.file` does not exist.",
        "Users and release managers read the changelog; a release without one hides what changed.",
        "Create CHANGELOG.md with `gate changelog --write`.",
    ),
    rule(
        GATE_ID,
        "unreleased",
        "The file has no `## [Unreleased]` section at the top.",
        "Keep a Changelog keeps upcoming changes under `## [Unreleased]`, above every release.",
        "Entries need a place to land before a version exists; `gate release` turns it into a "
        "release.",
        "## [Unreleased]\n\n### Added\n\n- New export format.",
    ),
    rule(
        GATE_ID,
        "heading",
        "A `## ` heading is malformed.",
        "Release headings are `## [X.Y.Z] - YYYY-MM-DD`, optionally followed by `[YANKED]`.",
        "Tools and readers find releases by their headings.",
        "## [1.2.0] - 2026-11-20",
        "## Version 1.2.0 (November)",
    ),
    rule(
        GATE_ID,
        "version",
        "A release heading's version is not a semantic version.",
        "Each release heading names a SemVer 2.0.0 version: MAJOR.MINOR.PATCH with optional "
        "pre-release.",
        "The file says it adheres to Semantic Versioning; `0.3` or `1.0.O` cannot be compared "
        "or tagged.",
        "## [0.3.0] - 2015-12-03",
        "## [0.3] - 2015-12-03",
    ),
    rule(
        GATE_ID,
        "date",
        "A release has no date, or not a real ISO 8601 date.",
        "Every release heading carries its date as YYYY-MM-DD, a real calendar day.",
        "Dates in one unambiguous form tell readers when a change shipped; 15/02/2019 is read "
        "two ways.",
        "## [1.1.0] - 2019-02-15",
        "## [1.1.0] - 15/02/2019",
    ),
    rule(
        GATE_ID,
        "order",
        "Releases are not in descending version order.",
        "Releases are listed newest first, ordered by SemVer precedence.",
        "Readers look at the top for the latest release; tooling inserts new sections there.",
    ),
    rule(
        GATE_ID,
        "duplicate",
        "A version (or Unreleased) appears twice.",
        "Each version has exactly one section.",
        "Two sections for one release split its changes and confuse every reader and tool.",
    ),
    rule(
        GATE_ID,
        "category",
        "A `### ` heading is not one of the six Keep a Changelog categories.",
        "Entries are grouped under Added, Changed, Deprecated, Removed, Fixed or Security.",
        "The fixed set lets readers scan for what matters to them (Security, Removed) in any "
        "project.",
        "### Fixed",
        "### Bugfixes",
    ),
    rule(
        GATE_ID,
        "link",
        "A version heading has no link reference (warning).",
        "When the file uses link references, each `[version]` heading has one at the bottom.",
        "The link takes readers to the diff of that release.",
    ),
    rule(
        GATE_ID,
        "project-version",
        "The project's version and the newest release section disagree.",
        "The version in the version sources (pyproject.toml, package.json…) has a section, and"
        " no section is newer.",
        "A release bumps both together; a mismatch means one of them was forgotten.",
        "Run `gate release`, which bumps both in one commit.",
    ),
    rule(
        GATE_ID,
        "entry",
        "The change adds no entry to the changelog.",
        "On feature, bugfix and hotfix branches (`changelog.required_on`) the Unreleased "
        "section — or the hotfix's version section — must gain an entry compared with the "
        "base, unless the change is exempt: only exempt commit types "
        "(`changelog.exempt_types`), a `Changelog: skip` trailer, or only paths listed in "
        "`changelog.exempt_paths`.",
        "The changelog is written when the change is fresh in mind, not reconstructed at "
        "release time.",
        "Add a line under `## [Unreleased]` (e.g. `gate changelog --unreleased --write`), or "
        "add the trailer `Changelog: skip` to a commit when no user sees the change.",
        "## [Unreleased]\n\n### Fixed\n\n- Login no longer fails for e-mail addresses with a "
        "plus sign.",
    ),
    rule(
        GATE_ID,
        "format",
        "The changelog is not in the format `changelog.format` names.",
        "When `changelog.format` names a format and the file clearly is in another one, the gate"
        " reports that once, and nothing else about the file. `auto` (the default) detects the"
        " format from the release tooling (release-please, semantic-release, commitizen,"
        " git-cliff, towncrier, changesets) and the file's headings.",
        "Checking a release-please file against Keep a Changelog would report every heading;"
        " the fix is one line of policy, not a rewrite of the file's history.",
        "changelog:\n  format: conventional-changelog   # or auto",
    ),
    rule(
        GATE_ID,
        "fragment",
        "A changelog fragment (towncrier) or changeset is malformed.",
        "towncrier fragments are named ISSUE.TYPE[.md|.rst] with a type of the configuration;"
        " a changeset starts with front matter naming each package and its bump (major, minor,"
        " patch) and has a summary.",
        "The release tool skips or fails on a fragment it cannot read, and the change loses its"
        " entry at release time.",
        "changelog.d/1234.feature.md, or .changeset/brave-cats.md with"
        ' `---\n"pkg": minor\n---\n\nSummary.`',
    ),
    rule(
        GATE_ID,
        "from-commits",
        "The change needs no edit of the changelog (note): a release tool writes it from the "
        "commits.",
        "With release-please, semantic-release, standard-version, commitizen or git-cliff (or a"
        " file in their formats), the Conventional Commit is the entry: the gate checks that"
        " every commit of the change is one, and notes that the tool writes the file.",
        "Editing a generated file by hand is lost at the next release; the commit message is"
        " where the entry is written.",
    ),
    rule(
        GATE_ID,
        "exempt",
        "The change needs no entry (note): the reason is shown.",
        "A note recording why the entry rule did not apply.",
        "Exemptions are visible in every report, so they can be reviewed.",
    ),
    rule(
        GATE_ID,
        "release-section",
        "The release branch's version has no dated section.",
        "On `release/X.Y.Z` (and `hotfix/X.Y.Z`) the section `## [X.Y.Z] - YYYY-MM-DD` exists.",
        "The release that goes out must say what is in it.",
        "Run `gate release` on the branch, or move the Unreleased entries under `## [X.Y.Z] - "
        "date`.",
    ),
    rule(
        GATE_ID,
        "tag",
        "On the main branch, the newest release section is not the latest release tag.",
        "The newest `## [X.Y.Z]` section on main matches the newest release tag"
        " (versioning.tag_format).",
        "What is on main is what was released; a section without its tag, or a tag without its "
        "section, means the release was only half done.",
        "Tag the release (`gate release` does both), or fix the section's version.",
    ),
)

DOC = Doc(
    summary=(
        "The changelog is valid in its format and gains an entry with every user-visible change."
    ),
    what=(
        "Parses the changelog in its format (changelog.format, auto-detected: Keep a Changelog "
        "1.1.0, conventional-changelog/release-please, commitizen, git-cliff, the Pallets "
        "style, reStructuredText, towncrier, changesets) and reports each problem with its "
        "line: versions and dates, descending order, duplicates, known section names, the "
        "unreleased area where the format has one. Then, by branch: on feature/bugfix/hotfix "
        "branches the change must gain its entry as the format does it (a line under the "
        "unreleased section, a towncrier fragment or a changeset, or — where a release tool "
        "writes the file — a Conventional Commit) unless it is exempt; on release branches the "
        "release's section exists with a date; on main the newest section matches the latest "
        "release tag."
    ),
    why=(
        "A changelog kept with every change makes releases routine: the release notes are"
        " already written."
    ),
    example=(
        "## [Unreleased]\n\n### Added\n\n- Export to CSV.\n\n## [1.0.0] - 2026-11-20\n\n###"
        " Added\n\n- First release."
    ),
    options=(
        "changelog.file, changelog.format, changelog.required, changelog.required_on, "
        "changelog.exempt_types, changelog.exempt_paths, changelog.skip_trailer; "
        "versioning.tag_format for the tag on main."
    ),
    inputs=(
        "CHANGELOG.md at HEAD and at the base; commits and changed files in base..head; "
        "release tags."
    ),
)


def _finding(
    name: str,
    message: str,
    path: str,
    line: int | None = None,
    *,
    hint: str | None = None,
    severity: Severity = Severity.ERROR,
    commit: str | None = None,
) -> Finding:
    hint_text = explained(hint or "", f"{GATE_ID}.{name}")
    return Finding(
        f"{GATE_ID}.{name}",
        message,
        severity=severity,
        hint=hint_text,
        path=path,
        line=line,
        commit=commit,
    )


class ChangelogGateOptions(ChangelogOptions):
    versioning = Shared(VersioningOptions)
    branches = Shared(BranchesOptions)


def run(ctx: Context, section: ChangelogGateOptions) -> Result:
    from gates.adapters.changelog_tooling import changelog_path, scan
    from gates.adapters.repo_paths import inside
    from gates.knowledge import changelog_formats

    tooling = scan(ctx.root)
    path_name = changelog_path(ctx.root, section.file, tooling)
    path = inside(ctx.root, path_name, "changelog.file")
    if not path.is_file() and tooling.package_changelogs:
        return _packages(ctx, section, tooling)
    if not path.is_file():
        if section.required:
            return Result.of(
                GATE_ID,
                [
                    _finding(
                        "missing",
                        f"{path_name} does not exist",
                        path_name,
                        hint="create it with `gate changelog --write`",
                    )
                ],
                f"{path_name} missing",
            )
        return Result.skip(
            GATE_ID, f"no {path_name} in this repository (changelog.required is false)"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"cannot read {path_name}: {exc}", hint="save it as UTF-8 text") from None
    configured = section.format
    fmt = changelog_formats.get(changelog_formats.resolve(configured, text, tooling.format))
    if configured != changelog_formats.AUTO:
        other = changelog_formats.mismatch(fmt.name, text)
        if other is not None:
            finding = _finding(
                "format",
                f"{path_name} looks like {other}, not {fmt.name}",
                path_name,
                1,
                hint=f"set `changelog.format: {other}` (or auto, to let it be detected)",
            )
            return Result.of(GATE_ID, [finding], f"{path_name}: not in the {fmt.name} format")
    changelog = fmt.parse(text)
    problems = fmt.validate(changelog)
    unknown = configured == changelog_formats.AUTO and tooling.format is None
    if (
        unknown
        and changelog_formats.detect(text)[0] is None
        and len({p.line for p in problems}) > 1
    ):
        finding = _finding(
            "format",
            f"{path_name} is in none of the changelog formats gate reads",
            path_name,
            1,
            hint="set `changelog.format` to the nearest of " + ", ".join(changelog_formats.NAMES),
        )
        return Result.of(GATE_ID, [finding], f"{path_name}: format not recognized")
    findings = _problem_findings(problems, path_name)
    findings += _project_version(ctx, section, changelog, path_name, fmt)
    findings += _branch_rules(ctx, section, changelog, path_name, (fmt, tooling))
    return Result.of(GATE_ID, findings, _summary(findings, path_name, changelog, fmt.title))


def _problem_findings(problems: list[Problem], path_name: str) -> list[Finding]:
    """The format's problems with a file, as findings on that file."""
    return [
        _finding(
            p.rule,
            p.message,
            path_name,
            p.line,
            hint=p.hint,
            severity=Severity.WARNING if p.warning else Severity.ERROR,
        )
        for p in problems
    ]


def _packages(ctx: Context, section: ChangelogGateOptions, tooling: Tooling) -> Result:
    """A monorepo without a root changelog (changesets): every package's file valid in the
    format, and the change's fragment as the entry."""
    from gates.knowledge import changelog_formats

    fmt = changelog_formats.get(changelog_formats.resolve(section.format, None, tooling.format))
    findings: list[Finding] = []
    from gates.adapters.repo_paths import inside

    for name in tooling.package_changelogs:
        try:
            text = inside(ctx.root, name, "a package changelog").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GateError(f"cannot read {name}: {exc}", hint="save it as UTF-8 text") from None
        findings += _problem_findings(fmt.validate(fmt.parse(text)), name)
    kind, rest = _branch_kind(ctx, section)
    where = "the package changelogs"
    if kind in section.required_on:
        findings += _entry(
            ctx, section, fmt.parse(""), where, branch=(kind, rest), kind_of=(fmt, tooling)
        )
    count = len(tooling.package_changelogs)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    summary = (
        f"{count} package changelog(s): {errors} problem(s)"
        if errors
        else f"{count} package changelog(s): valid ({fmt.title})"
    )
    return Result.of(GATE_ID, findings, summary)


def _summary(findings: list[Finding], path_name: str, changelog: Changelog, title: str) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    if errors:
        return f"{path_name}: {errors} problem(s)" + (
            f", {warnings} warning(s)" if warnings else ""
        )
    base = f"{path_name}: valid ({title}), {len(changelog.releases)} release(s)"
    note = next(
        (f for f in findings if f.rule in (f"{GATE_ID}.exempt", f"{GATE_ID}.from-commits")), None
    )
    return f"{base}; {note.message}" if note else base


def _project_version(
    ctx: Context,
    section: ChangelogGateOptions,
    changelog: Changelog,
    path_name: str,
    fmt: ChangelogFormat,
) -> list[Finding]:
    """The version in the version sources has its section, and no section is newer."""
    from gates.knowledge.keepachangelog import semver_key

    releases = [(semver_key(s.title), s) for s in changelog.releases]
    releases = [(k, s) for k, s in releases if k is not None]
    if not releases:
        return []
    from gates.adapters.version_files import read_sources

    try:
        sources = read_sources(ctx.root, section.versioning.to_dict())
    except GateError:  # an unreadable version source is the version gate's finding, not ours
        return []
    versions = {s.version for s in sources if s.version and not s.dynamic}
    if len(versions) != 1:
        return []
    version = versions.pop()
    key = semver_key(version)
    if key is None or len(key[3]) > 1:  # not SemVer, or a pre-release in progress
        return []
    newest_key, newest = max(releases, key=lambda r: r[0])
    if newest_key > key:
        return [
            _finding(
                "project-version",
                f"the newest section is {newest.title} but the project version is {version}",
                path_name,
                newest.line,
                hint=f"bump the version sources to {newest.title}, or fix the section",
            )
        ]
    if (
        changelog.section(version) is None
        and key > newest_key
        and not _pending(ctx, section, changelog, version)
    ):
        return [
            _finding(
                "project-version",
                f"the project version {version} has no section (newest is {newest.title})",
                path_name,
                newest.line,
                hint=f"add `{_heading_of(fmt, version)}` above line {newest.line}, with its"
                " changes",
            )
        ]
    return []


def _heading_of(fmt: ChangelogFormat, version: str) -> str:
    """A release's heading as the format writes it: the first line of a rendered release."""
    return fmt.render_release(version, "YYYY-MM-DD", {}, None).strip().split("\n")[0]


def _branch_kind(ctx: Context, section: ChangelogGateOptions) -> tuple[str | None, str]:
    from gates.knowledge.gitflow import classify

    return classify(ctx.branch, section.branches.to_dict())


def _branch_rules(
    ctx: Context,
    section: ChangelogGateOptions,
    changelog: Changelog,
    path_name: str,
    kind_of: tuple[ChangelogFormat, Tooling],
) -> list[Finding]:
    kind, rest = _branch_kind(ctx, section)
    findings: list[Finding] = []
    if kind in ("release", "hotfix") and not _pending(ctx, section, changelog, _named(rest)):
        findings += _release_section(changelog, _named(rest), path_name, required=kind == "release")
    if kind in section.required_on:
        findings += _entry(ctx, section, changelog, path_name, branch=(kind, rest), kind_of=kind_of)
    if kind == "main":
        findings += _tag_on_main(ctx, section, changelog, path_name)
    return findings


def _named(rest: str) -> str:
    """The version a release or hotfix branch names (`release/v1.2.0` names 1.2.0)."""
    return rest[1:] if rest[:1] in ("v", "V") else rest


def _pending(
    ctx: Context, section: ChangelogGateOptions, changelog: Changelog, version: str
) -> bool:
    """On the release or hotfix branch of `version`, its section is still Unreleased: the
    finish (`gate release`) writes `## [version] - date` from it, so the gate judges the
    state the release is about to write."""
    kind, rest = _branch_kind(ctx, section)
    return (
        kind in ("release", "hotfix")
        and _named(rest) == version
        and changelog.section(version) is None
        and changelog.unreleased is not None
    )


def _release_section(
    changelog: Changelog, version: str, path_name: str, *, required: bool
) -> list[Finding]:
    from gates.knowledge.keepachangelog import is_semver

    if not is_semver(version):
        return []
    release = changelog.section(version)
    if release is None:
        if not required:
            return []
        return [
            _finding(
                "release-section",
                f"no section for release {version}",
                path_name,
                changelog.unreleased.line if changelog.unreleased else None,
                hint=(
                    f"run `gate release`, or add `## [{version}] - YYYY-MM-DD` with the release's"
                    f" entries"
                ),
            )
        ]
    if release.date is None:
        return [
            _finding(
                "release-section",
                f"release {version} has no date",
                path_name,
                release.line,
                hint=f"write `## [{version}] - YYYY-MM-DD`",
            )
        ]
    return []


def _entry(
    ctx: Context,
    section: ChangelogGateOptions,
    changelog: Changelog,
    path_name: str,
    *,
    branch: tuple[str, str],
    kind_of: tuple[ChangelogFormat, Tooling],
) -> list[Finding]:
    """An entry gained since the base, as the format or the release tool asks for it: a line
    in the unreleased area, a fragment file, or the Conventional Commit itself. `branch` is
    (kind, the name after the prefix)."""
    from gates.knowledge.changelog_formats import COMMIT, FRAGMENT

    kind, _rest = branch
    if ctx.base is None:
        raise GateError(
            f"cannot tell what this {kind} branch changes: no base to compare the changelog with",
            hint="pass --base REF or --target BRANCH; in CI, run on a pull/merge request",
        )
    commits = ctx.commits()
    if not commits:
        return []
    exemption = _exemption(ctx, section, commits, path_name)
    if exemption:
        return [_finding("exempt", exemption, path_name, severity=Severity.NOTE)]
    fmt, tooling = kind_of
    rule = tooling.entry_rule or fmt.entry_rule
    if rule == COMMIT:
        return _entry_from_commits(commits, path_name, tooling.tool or fmt.title)
    if rule == FRAGMENT:
        return _entry_fragment(ctx, section, path_name, kind_of)
    return _entry_in_file(ctx, section, changelog, path_name, branch=branch, fmt=fmt)


def _entry_in_file(
    ctx: Context,
    section: ChangelogGateOptions,
    changelog: Changelog,
    path_name: str,
    *,
    branch: tuple[str, str],
    fmt: ChangelogFormat,
) -> list[Finding]:
    kind, rest = branch
    assert ctx.base is not None
    commits = ctx.commits()
    before_text = ctx.git.show(ctx.base, path_name)
    before = fmt.parse(before_text) if before_text is not None else None
    version = rest[1:] if rest[:1] in ("v", "V") else rest
    watched = [changelog.unreleased] + ([changelog.section(version)] if kind == "hotfix" else [])
    for target in (s for s in watched if s is not None):
        old_section = None
        if before is not None:
            old_section = before.unreleased if target.unreleased else before.section(target.title)
        old_entries = {" ".join(e.split()) for e in old_section.entries()} if old_section else set()
        if any(" ".join(e.split()) not in old_entries for e in target.entries()):
            return []
    where = "the unreleased section" + (f" or {version}" if kind == "hotfix" else "")
    line = changelog.unreleased.line if changelog.unreleased else None
    return [
        _finding(
            "entry",
            f"the change adds no entry under {where} in {path_name} ({len(commits)} commit(s)"
            f" since the base)",
            path_name,
            line,
            hint=(
                "describe the change under the unreleased section (`gate changelog --unreleased"
                " --write` drafts it), or add the trailer"
                f" `{section.skip_trailer}: skip` when users do not see it"
            ),
        )
    ]


def _entry_from_commits(commits: list, path_name: str, tool: str) -> list[Finding]:
    """The release tool writes the changelog from the commits: each must be a Conventional
    Commit, or the tool leaves it out."""
    from gates.knowledge.conventional import try_parse

    for commit in commits:
        if not commit.is_merge and try_parse(commit.message) is None:
            return [
                _finding(
                    "entry",
                    f"commit {commit.short} is not a Conventional Commit, so {tool} cannot put it"
                    f" in {path_name}",
                    path_name,
                    commit=commit.sha,
                    hint="reword it as `type(scope): description` (git rebase -i)",
                )
            ]
    return [
        _finding(
            "from-commits",
            f"the Conventional Commits are the entries: {tool} writes {path_name} at release time",
            path_name,
            severity=Severity.NOTE,
        )
    ]


def _entry_fragment(
    ctx: Context,
    section: ChangelogGateOptions,
    path_name: str,
    kind_of: tuple[ChangelogFormat, Tooling],
) -> list[Finding]:
    """A fragment (towncrier) or a changeset added in base..head, each one well formed."""
    fmt, tooling = kind_of
    directory = tooling.fragment_dir or fmt.fragment_dir or ""
    added = [
        f.path
        for f in ctx.diff.files
        if f.status in ("A", "R")
        and f.path.startswith(directory + "/")
        and _is_fragment(f.path[len(directory) + 1 :])
    ]
    if not added:
        return [
            _finding(
                "entry",
                f"the change adds no {fmt.title} fragment in {directory}/ ({len(ctx.commits())}"
                f" commit(s) since the base); {path_name} is compiled from them at release time",
                path_name,
                hint=(
                    f"add one (`{fmt.fragment_hint}`), or add the trailer"
                    f" `{section.skip_trailer}: skip` when users do not"
                    " see the change"
                ),
            )
        ]
    findings = []
    from gates.adapters.repo_paths import inside

    for name in added:
        try:
            text = inside(ctx.root, name, "a changelog fragment").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GateError(f"cannot read {name}: {exc}", hint="save it as UTF-8 text") from None
        problems = fmt.fragment_problems(name.rsplit("/", 1)[-1], text, tooling.fragment_types)
        findings += [_finding(p.rule, p.message, name, p.line, hint=p.hint) for p in problems]
    return findings


def _is_fragment(name: str) -> bool:
    return (
        "/" not in name
        and not name.startswith(".")
        and name.lower()
        not in (
            "readme.md",
            "readme.rst",
            "readme",
            "config.json",
            "template.md",
            "template.rst",
        )
        and not name.endswith((".jinja", ".j2"))
    )


def _exemption(
    ctx: Context, section: ChangelogGateOptions, commits: list, path_name: str
) -> str | None:
    """Why this change needs no entry, or None when it needs one."""
    from gates.knowledge.conventional import trailers, try_parse

    token = section.skip_trailer.lower()
    for commit in commits:
        for key, value in trailers(commit.message):
            if key.lower() == token and value.strip().lower() == "skip":
                return f"exempt: commit {commit.short} has the trailer `{key}: {value.strip()}`"
    exempt_types = set(section.exempt_types)
    types = []
    for commit in commits:
        if commit.is_merge:
            continue
        parsed = try_parse(commit.message)
        if parsed is None or parsed.type not in exempt_types or parsed.breaking:
            types = []
            break
        types.append(parsed.type)
    if types:
        return "exempt: only commits of exempt types (" + ", ".join(sorted(set(types))) + ")"
    patterns = list(section.exempt_paths)
    if patterns:
        from gates.knowledge.globs import matcher

        exempt = matcher(patterns)
        files = [f.path for f in ctx.diff.files if f.path != path_name]
        if files and all(exempt(p) for p in files):
            return "exempt: only paths in changelog.exempt_paths changed"
    return None


def _tag_on_main(
    ctx: Context, section: ChangelogGateOptions, changelog: Changelog, path_name: str
) -> list[Finding]:
    from gates.knowledge.keepachangelog import semver_key
    from gates.release.next_version import tag_state

    final = tag_state(ctx, section.versioning).branch_final
    if final is None:
        return []
    tag, version = final.name, str(final.version)
    releases = [
        s
        for s in changelog.releases
        if semver_key(s.title) is not None and not _prerelease(s.title)
    ]
    newest = max(releases, key=lambda s: semver_key(s.title), default=None)
    if newest is None:
        return [
            _finding(
                "tag",
                f"the latest release tag is {tag} but {path_name} has no release section",
                path_name,
                hint=f"add `## [{version}] - YYYY-MM-DD` with its changes",
            )
        ]
    if newest.title != version:
        return [
            _finding(
                "tag",
                f"the newest section is {newest.title} but the latest release tag is {tag}",
                path_name,
                newest.line,
                hint=f"tag the release {newest.title}, or make the newest section [{version}]",
            )
        ]
    return []


def _prerelease(version: str) -> bool:
    from gates.knowledge.keepachangelog import semver_key

    key = semver_key(version)
    return key is not None and len(key[3]) > 1


GATE = Gate(id=GATE_ID, doc=DOC, run=run, options=ChangelogGateOptions, rules=RULES)
