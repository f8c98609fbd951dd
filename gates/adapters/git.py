"""The one place that talks to git.

GitPython for refs, config and state; history is read as a stream from one
`git log` with a machine-readable format, never as an object per commit.
Every git failure becomes a GateError with what to do about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from gates.errors import GateError

_FIELD = "\x1f"
_RECORD = "\x1e"
LOG_FORMAT = _FIELD.join(["%H", "%P", "%an", "%ae", "%at", "%ct", "%B"]) + _RECORD
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored: int
    committed: int
    message: str

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True)
class ChangedFile:
    status: str
    path: str
    old_path: str | None = None


@dataclass
class Diff:
    files: list[ChangedFile] = field(default_factory=list)
    added_lines: dict[str, set[int]] = field(default_factory=dict)


def parse_log(stream: Iterator[str]) -> Iterator[Commit]:
    """Commits from `git log --format=LOG_FORMAT` output, read chunk by chunk."""
    pending = ""
    for chunk in stream:
        pending += chunk
        *records, pending = pending.split(_RECORD)
        for record in records:
            commit = _commit(record)
            if commit:
                yield commit
    commit = _commit(pending)
    if commit:
        yield commit


def _commit(record: str) -> Commit | None:
    record = record.lstrip("\n")
    if not record:
        return None
    sha, parents, author, email, authored, committed, message = record.split(_FIELD, 6)
    return Commit(
        sha,
        tuple(parents.split()),
        author,
        email,
        int(authored),
        int(committed),
        message.rstrip("\n"),
    )


def parse_diff(text: str) -> Diff:
    """Changed files and added line numbers from `git diff -M --unified=0 --no-color` output."""
    diff = Diff()
    current: str | None = None
    status = "M"
    old: str | None = None
    for line in text.splitlines():
        if line.startswith("diff --git "):
            current, status, old = None, "M", None
        elif line.startswith("new file mode"):
            status = "A"
        elif line.startswith("deleted file mode"):
            status = "D"
        elif line.startswith("rename from "):
            status, old = "R", line[len("rename from ") :]
        elif line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            current = None if target == "/dev/null" else _unquote(target)[2:]
            if current is not None:
                diff.files.append(ChangedFile(status, current, old))
                diff.added_lines.setdefault(current, set())
        elif line.startswith("--- ") and status == "D":
            diff.files.append(ChangedFile("D", _unquote(line[4:].rstrip("\t"))[2:]))
        elif line.startswith("rename to ") and status == "R":
            # a pure rename has no +++ line
            diff.files.append(ChangedFile("R", line[len("rename to ") :], old))
        elif current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                diff.added_lines[current].update(range(start, start + count))
    unique: dict[str, ChangedFile] = {}
    for changed in diff.files:
        unique[changed.path] = changed
    diff.files = list(unique.values())
    return diff


def _unquote(path: str) -> str:
    if path.startswith('"') and path.endswith('"'):
        return (
            path[1:-1]
            .encode("latin-1", "backslashreplace")
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8", "replace")
        )
    return path


class GitRepo:
    def __init__(self, path: Path | str = ".") -> None:
        try:
            import git
        except ImportError as exc:  # GitPython refuses to import when `git version` fails
            text = str(exc)
            if "git executable" in text:
                raise GateError(
                    "git is not installed or not on PATH",
                    hint="install git, or set GIT_PYTHON_GIT_EXECUTABLE to the git program",
                ) from None
            if not text.startswith("Failed to initialize"):
                raise
            said = re.search(r"stderr: '([^'\n]*)", text)
            raise GateError(
                f"git does not run: `git version` failed ({said.group(1) if said else 'no output'})",
                hint="check the git installation (`git version`) and GIT_PYTHON_GIT_EXECUTABLE",
            ) from None

        self._git_module = git
        try:
            self.repo = git.Repo(path, search_parent_directories=True)
        except git.exc.InvalidGitRepositoryError:
            raise GateError(
                f"not a git repository: {Path(path).resolve()}",
                hint="run gate inside a git checkout, or `git init` first",
            ) from None
        except git.exc.NoSuchPathError:
            raise GateError(f"no such folder: {path}") from None
        except git.exc.GitCommandNotFound:  # pragma: no cover - depends on the machine
            raise GateError("git is not installed or not on PATH", hint="install git") from None

    @cached_property
    def root(self) -> Path:
        return Path(self.repo.working_tree_dir or self.repo.git_dir)

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        """A git command (`env` adds variables); a failure is a GateError that quotes git."""
        try:
            return self.repo.git.execute(["git", *args], strip_newline_in_stdout=False, env=env)
        except self._git_module.exc.GitCommandError as exc:
            detail = (exc.stderr or "").strip().replace("stderr: ", "").strip("'\n ") or str(exc)
            raise GateError(
                f"git {args[0]} failed: {detail.splitlines()[-1] if detail else ''}"
            ) from None
        except self._git_module.exc.GitCommandNotFound:  # pragma: no cover
            raise GateError("git is not installed or not on PATH", hint="install git") from None

    # HEAD is asked of git itself: GitPython reads .git/HEAD with str.splitlines(), so a branch
    # named `main\u2028x` (U+2028 and U+0085 are legal in a ref) would read as `main`.
    def _quiet(self, *args: str) -> str | None:
        """A git command's output without its final newline; None when git answers no (exit 1)."""
        try:
            out = self.repo.git.execute(["git", *args], strip_newline_in_stdout=False)
        except self._git_module.exc.GitCommandError as exc:
            if exc.status == 1:
                return None
            detail = (exc.stderr or "").strip().replace("stderr: ", "").strip("'\n ") or str(exc)
            raise GateError(
                f"git {args[0]} failed: {detail.splitlines()[-1] if detail else ''}",
                hint="check `git status` in this checkout",
            ) from None
        except self._git_module.exc.GitCommandNotFound:  # pragma: no cover
            raise GateError("git is not installed or not on PATH", hint="install git") from None
        return out.removesuffix("\n")

    def has_commits(self) -> bool:
        return self.head_sha() is not None

    def head_sha(self) -> str | None:
        return self._quiet("rev-parse", "--verify", "-q", "HEAD^{commit}")

    def current_branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        ref = self._quiet("symbolic-ref", "-q", "HEAD")
        return None if ref is None else ref.removeprefix("refs/heads/")

    def is_shallow(self) -> bool:
        """Shallow clone? Asked of git, since worktrees keep the marker in the shared git dir."""
        try:
            return self.repo.git.rev_parse("--is-shallow-repository").strip() == "true"
        except self._git_module.exc.GitCommandError:
            return (Path(self.repo.common_dir) / "shallow").exists()

    def rev_parse(self, ref: str) -> str | None:
        try:
            return self.repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
        except self._git_module.exc.GitCommandError:
            return None

    def resolve(self, ref: str) -> str:
        sha = self.rev_parse(ref)
        if sha is None:
            hint = "fetch it first (git fetch origin REF), or check the spelling"
            if self.is_shallow():
                hint = "this is a shallow clone: git fetch --unshallow (or fetch-depth: 0 in actions/checkout)"
            raise GateError(f"unknown revision '{ref}'", hint=hint)
        return sha

    def merge_base(self, a: str, b: str) -> str:
        try:
            return self.repo.git.merge_base(a, b)
        except self._git_module.exc.GitCommandError:
            hint = "the two have no common history"
            if self.is_shallow():
                hint = "this is a shallow clone without the common history: git fetch --unshallow (or fetch-depth: 0)"
            raise GateError(f"no merge base between {a} and {b}", hint=hint) from None

    def branch_ref(self, name: str) -> str | None:
        """A local branch, else its remote-tracking branch on origin (as CI checkouts have)."""
        for ref in (f"refs/heads/{name}", f"refs/remotes/origin/{name}"):
            if self.rev_parse(ref):
                return ref
        return None

    def commits(
        self, base: str | None, head: str = "HEAD", *, first_parent: bool = False
    ) -> Iterator[Commit]:
        """Commits in base..head, newest first, streamed from one git log."""
        args = ["log", f"--format={LOG_FORMAT}", "--no-color"]
        if first_parent:
            args.append("--first-parent")
        args.append(f"{base}..{head}" if base else head)
        yield from self.stream_log(args)

    def stream_log(self, args: list[str]) -> Iterator[Commit]:
        if not self.has_commits():
            return
        process = self.repo.git.execute(["git", *args], as_process=True)
        stdout = process.proc.stdout
        import io

        text = io.TextIOWrapper(stdout, encoding="utf-8", errors="replace")
        yield from parse_log(iter(lambda: text.read(1 << 16), ""))
        process.wait()

    def diff(self, base: str, head: str = "HEAD") -> Diff:
        """Files changed and lines added in base..head, renames followed."""
        return parse_diff(
            self.run("diff", "-M", "--unified=0", "--no-color", "--no-ext-diff", f"{base}...{head}")
        )

    def tags(self) -> list[tuple[str, str]]:
        """(tag name, commit sha) of every tag."""
        out = self.run(
            "for-each-ref",
            "--format=%(refname:short)%09%(*objectname)%09%(objectname)",
            "refs/tags",
        )
        tags = []
        for line in out.splitlines():
            name, peeled, direct = line.split("\t")
            tags.append((name, peeled or direct))
        return tags

    def config(self, key: str) -> str | None:
        try:
            return self.repo.git.config("--get", key)
        except self._git_module.exc.GitCommandError:
            return None

    def is_dirty(self) -> bool:
        return self.repo.is_dirty(untracked_files=False)

    def remote_url(self, name: str = "origin") -> str | None:
        return self.config(f"remote.{name}.url")

    def show(self, rev: str, path: str) -> str | None:
        """A file's text at a revision, or None where it does not exist there."""
        try:
            return self.repo.git.show(f"{rev}:{path}")
        except self._git_module.exc.GitCommandError:
            return None

    def is_ancestor(self, ancestor: str, descendant: str = "HEAD") -> bool:
        """Whether `ancestor` is in the history of `descendant`."""
        try:
            self.repo.git.merge_base("--is-ancestor", ancestor, descendant)
        except self._git_module.exc.GitCommandError:
            return False
        return True

    def export(self, rev: str, folder: str, dest: Path, suffixes: tuple[str, ...] = ()) -> bool:
        """Copy the files under `folder` at a revision into `dest`, without a worktree or checkout.

        Only regular files (no symlinks, no submodules), only `suffixes` when given;
        False when the revision has no such folder.
        """
        try:
            tree = self.repo.commit(rev).tree
            sub = tree / folder if folder else tree
        except (KeyError, ValueError, self._git_module.exc.BadName):
            return False
        if sub.type != "tree":
            return False
        for item in sub.traverse():
            if item.type != "blob" or item.mode & 0o170000 == 0o120000:
                continue
            if suffixes and not item.path.endswith(suffixes):
                continue
            target = dest / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.data_stream.read())
        return True


def read_config(root: Path, pattern: str) -> dict[str, str]:
    """Config values whose key matches `pattern` (keys lowercased), read with one plain
    `git config` process: the commit-msg hook must not pay for importing GitPython.
    Empty when git is missing or nothing matches; outside a repository, the global config."""
    out = _output(["git", "-C", str(root), "config", "--null", "--get-regexp", pattern])
    values = {}
    for entry in (out or b"").split(b"\0"):
        key, _, value = entry.partition(b"\n")
        if key:
            values[key.decode("utf-8", "replace").lower()] = value.decode("utf-8", "replace")
    return values


def _output(args: list[str]) -> bytes | None:
    """The standard output of a short command; None when it cannot start. Spawned with
    os.posix_spawnp where there is one: the hook saves importing the subprocess module."""
    import os

    if not hasattr(os, "posix_spawnp"):  # pragma: no cover - Windows
        import subprocess

        try:
            return subprocess.run(args, capture_output=True, check=False).stdout
        except OSError:
            return None
    read_end, write_end = os.pipe()
    try:
        pid = os.posix_spawnp(
            args[0],
            args,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, write_end, 1),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            ],
        )
    except OSError:
        os.close(read_end)
        return None
    finally:
        os.close(write_end)
    with open(read_end, "rb") as pipe:
        out = pipe.read()
    os.waitpid(pid, 0)
    return out
