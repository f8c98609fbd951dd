"""The one place that talks to git.

Plain `git` processes for refs, config, diffs and state; GitPython where git's
objects are walked (trees and blobs at a revision, the work tree's state);
history is read as a stream from one `git log` with a machine-readable format,
never as an object per commit.
Every git process is started by `_launch` or `_run` below, with the same command line
prefix and environment; every git failure becomes a GateError with what to do about it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Generic, NamedTuple, TypeVar

from gates.errors import GateError

_FIELD = "\x1f"
_RECORD = "\x1e"
LOG_FORMAT = _FIELD.join(["%H", "%P", "%an", "%ae", "%at", "%ct", "%B"]) + _RECORD
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_BINARY = re.compile(r"^Binary files (.+) and (.+) differ$")
# Every git process: no program named by the repository's configuration runs (an fsmonitor
# hook would run on every status and diff of the work tree).
GIT = ("git", "-c", "core.fsmonitor=false")


class Commit(NamedTuple):
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


class ChangedFile(NamedTuple):
    status: str
    path: str
    old_path: str | None = None


class Diff(NamedTuple):
    files: list[ChangedFile]
    added_lines: dict[str, set[int]]


def _records(stream: Iterator[str]) -> Iterator[str]:
    """The records of a `git log` whose format ends with the record separator, chunk by chunk."""
    pending = ""
    for chunk in stream:
        pending += chunk
        *records, pending = pending.split(_RECORD)
        yield from records
    yield pending


def parse_log(stream: Iterator[str]) -> Iterator[Commit]:
    """Commits from `git log --format=LOG_FORMAT` output, read chunk by chunk."""
    for record in _records(stream):
        commit = _commit(record)
        if commit:
            yield commit


# What the history model needs of a commit, and no more: 100,000 of them are read per changelog.
GRAPH_FORMAT = _FIELD.join(["%H", "%P", "%ct", "%B"]) + _RECORD


class GraphRecord(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    committed: int
    message: str


def parse_graph(stream: Iterator[str]) -> Iterator[GraphRecord]:
    """Records from `git log --format=GRAPH_FORMAT` output, read chunk by chunk."""
    for raw in _records(stream):
        record = raw.lstrip("\n")
        if record:
            sha, parents, committed, message = record.split(_FIELD, 3)
            yield GraphRecord(sha, tuple(parents.split()), int(committed), message.rstrip("\n"))


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


class _DiffReader:
    """`git diff` output read line by line: the file each line belongs to, and what it says."""

    __slots__ = ("added_lines", "current", "files", "old", "status")

    def __init__(self) -> None:
        self.files: list[ChangedFile] = []
        self.added_lines: dict[str, set[int]] = {}
        self.current: str | None = None
        self.status = "M"
        self.old: str | None = None

    def read(self, line: str) -> None:
        if self._file_header(line) or self._file_name(line) or self.current is None:
            return
        match = _HUNK.match(line)
        if match:
            start, count = int(match.group(1)), int(match.group(2) or 1)
            self.added_lines[self.current].update(range(start, start + count))

    def _file_header(self, line: str) -> bool:
        """The lines that say what happens to the file: new, deleted, renamed."""
        if line.startswith("diff --git "):
            self.current, self.status, self.old = None, "M", None
        elif line.startswith("new file mode"):
            self.status = "A"
        elif line.startswith("deleted file mode"):
            self.status = "D"
        elif line.startswith("rename from "):
            self.status, self.old = "R", line[len("rename from ") :]
        else:
            return False
        return True

    def _file_name(self, line: str) -> bool:
        """The lines that name the changed file."""
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            self.current = None if target == "/dev/null" else _unquote(target)[2:]
            if self.current is not None:
                self._changed(self.status, self.current, self.old)
        elif (binary := _BINARY.match(line)) is not None:
            # `*.py binary` in .gitattributes hides the text; the file still changed
            old_name, new_name = binary.groups()
            deleted = new_name == "/dev/null"
            path = _unquote(old_name if deleted else new_name)[2:]
            self._changed("D" if deleted else self.status, path, self.old)
        elif line.startswith("--- ") and self.status == "D":
            self.files.append(ChangedFile("D", _unquote(line[4:].rstrip("\t"))[2:]))
        elif line.startswith("rename to ") and self.status == "R":
            # a pure rename has no +++ line
            self.files.append(ChangedFile("R", line[len("rename to ") :], self.old))
        else:
            return False
        return True

    def _changed(self, status: str, path: str, old: str | None) -> None:
        self.files.append(ChangedFile(status, path, old))
        self.added_lines.setdefault(path, set())


def parse_diff(text: str) -> Diff:
    """Changed files and added line numbers from `git diff -M --unified=0 --no-color` output."""
    reader = _DiffReader()
    for line in text.splitlines():
        reader.read(line)
    unique = {changed.path: changed for changed in reader.files}
    return Diff(list(unique.values()), reader.added_lines)


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every git process's environment: git speaks English, so its messages can be quoted."""
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", **(extra or {})}


def _command(args: Sequence[str], cwd: Path | str) -> list[str]:
    """Every git process's command line: the safety options of GIT, run in `cwd`."""
    return [*GIT, "-C", str(cwd), *args]


class _Done(NamedTuple):
    status: int
    out: bytes
    err: bytes

    def decoded(self) -> tuple[int, str, str]:
        decode = lambda raw: raw.decode("utf-8", "replace")  # noqa: E731
        return self.status, decode(self.out), decode(self.err)


def _cannot_start(exc: OSError) -> GateError:
    if isinstance(exc, FileNotFoundError):
        return GateError(
            "git is not installed or not on PATH", hint="install git, or put it on PATH"
        )
    return GateError(f"git cannot start: {exc.strerror or exc}")


def _launch(
    args: Sequence[str],
    *,
    cwd: Path | str,
    stdout: Any,
    stderr: Any,
    env: dict[str, str] | None = None,
) -> Any:
    """A git process running beside Python (a subprocess.Popen), its output going to `stdout`
    and `stderr` (a pipe or a file); `env` adds variables."""
    import subprocess

    try:
        return subprocess.Popen(
            _command(args, cwd), stdout=stdout, stderr=stderr, env=_environment(env)
        )
    except OSError as exc:
        raise _cannot_start(exc) from None


def _run(
    args: Sequence[str],
    *,
    cwd: Path | str,
    env: dict[str, str] | None = None,
    check: bool = False,
    errors: bool = True,
) -> _Done:
    """A git command run to its end: its exit status, stdout and stderr as bytes. `check`: a
    failure is a GateError that quotes git. Without `errors`, stderr is dropped and git is
    spawned directly (os.posix_spawnp), so the hooks' quick questions skip importing the
    subprocess module."""
    if not errors and hasattr(os, "posix_spawnp"):
        done = _spawn(_command(args, cwd), _environment(env))
    else:
        import subprocess

        process = _launch(
            args,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if errors else subprocess.DEVNULL,
        )
        out, err = process.communicate()
        done = _Done(process.returncode, out, err or b"")
    if check and done.status != 0:
        said = done.err.decode("utf-8", "replace")
        raise GateError(f"git {args[0]} failed: {_last_line(said)}")
    return done


def _spawn(command: list[str], environment: dict[str, str]) -> _Done:
    """`_run` without stderr, on os.posix_spawnp: the standard output through a pipe."""
    read_end, write_end = os.pipe()
    try:
        pid = os.posix_spawnp(
            command[0],
            command,
            environment,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, write_end, 1),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            ],
        )
    except OSError as exc:
        os.close(read_end)
        raise _cannot_start(exc) from None
    finally:
        os.close(write_end)
    with open(read_end, "rb") as pipe:
        out = pipe.read()
    _, status = os.waitpid(pid, 0)
    return _Done(os.waitstatus_to_exitcode(status), out, b"")


def quick_output(root: Path | str, *args: str) -> bytes:
    """The standard output of a short git command in `root`, whatever its exit status; empty
    when git cannot start. For what the hooks ask before any GitRepo exists."""
    try:
        return _run(args, cwd=root, errors=False).out
    except GateError:
        return b""


def _diff_args(base: str, head: str) -> list[str]:
    """What the repository says about its files (`binary`, `-diff`, a textconv or external diff
    driver in .gitattributes) must not change what the gates see: every change is text."""
    return [
        "diff",
        "-M",
        "--unified=0",
        "--no-color",
        "--text",
        "--no-textconv",
        "--no-ext-diff",
        f"{base}...{head}",
    ]


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


T = TypeVar("T")


class Started(Generic[T]):
    """A git command running beside Python (GitRepo.start). Its output goes to a temporary
    file, so git never stops on a full pipe that nobody reads yet. `result()` waits for it
    and parses the output (a failure is a GateError, as in GitRepo.run); `cancel()` stops
    it when its output is no longer wanted."""

    def __init__(
        self, command: str, process: Any, out: IO[bytes], err: IO[bytes], parse: Callable[[str], T]
    ) -> None:
        self.command = command
        self.process = process
        self.out = out
        self.err = err
        self.parse = parse

    def result(self) -> T:
        with self.out, self.err:
            status = self.process.wait()
            self.out.seek(0)
            self.err.seek(0)
            if status != 0:
                said = self.err.read().decode("utf-8", "replace")
                raise GateError(f"git {self.command} failed: {_last_line(said)}")
            return self.parse(self.out.read().decode("utf-8", "replace"))

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.out.close()
        self.err.close()


class GitRepo:
    """A repository, asked through plain `git` processes: the hooks and the ci stage run a
    handful of short commands, and loading GitPython for them would cost more than all of
    them together. GitPython's object model serves where objects are needed (`repo`)."""

    def __init__(self, path: Path | str = ".") -> None:
        start = Path(path)
        if not start.exists():
            raise GateError(f"no such folder: {path}")
        self._cwd = start.resolve() if start.is_dir() else start.resolve().parent
        status, out, err = self._exec(["rev-parse", "--absolute-git-dir", "--is-bare-repository"])
        if status != 0:
            if "not a git repository" in err:
                raise GateError(
                    f"not a git repository: {self._cwd}",
                    hint="run gate inside a git checkout, or `git init` first",
                )
            raise GateError(
                f"git does not run: `git rev-parse` failed ({_last_line(err) or 'no output'})",
                hint="check the git installation (`git version`) and this checkout (`git status`)",
            )
        git_dir, bare = [*out.splitlines(), "", ""][:2]
        self.git_dir = Path(git_dir)
        self.bare = bare.strip() == "true"

    @cached_property
    def root(self) -> Path:
        if self.bare:
            return self.git_dir
        return Path(self.run("rev-parse", "--show-toplevel").rstrip("\n"))

    @cached_property
    def repo(self) -> Any:
        """GitPython's Repo, loaded on first use (trees, blobs, the work tree's state)."""
        try:
            import git
        except ImportError as exc:  # GitPython refuses to import when `git version` fails
            raise GateError(
                f"GitPython cannot start git: {_last_line(str(exc))}",
                hint="check the git installation (`git version`) and GIT_PYTHON_GIT_EXECUTABLE",
            ) from None
        return git.Repo(self.root, search_parent_directories=False)

    def _exec(self, args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of one git command, in English for the messages."""
        return _run(args, cwd=self._cwd, env=env).decoded()

    def attempt(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """A git command whose failure is an answer, not an error: (status, stdout, stderr)."""
        return self._exec(list(args), env)

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        """A git command (`env` adds variables); a failure is a GateError that quotes git."""
        return _run(args, cwd=self._cwd, env=env, check=True).decoded()[1]

    # HEAD is asked of git itself: GitPython reads .git/HEAD with str.splitlines(), so a branch
    # named `main\u2028x` (U+2028 and U+0085 are legal in a ref) would read as `main`.
    def _quiet(self, *args: str) -> str | None:
        """A git command's output without its final newline; None when git answers no (exit 1)."""
        status, out, err = self._exec(list(args))
        if status == 1:
            return None
        if status != 0:
            raise GateError(
                f"git {args[0]} failed: {_last_line(err)}",
                hint="check `git status` in this checkout",
            )
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
        status, out, _ = self._exec(["rev-parse", "--is-shallow-repository"])
        return status == 0 and out.strip() == "true"

    def rev_parse(self, ref: str) -> str | None:
        status, out, _ = self._exec(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
        return out.strip() if status == 0 and out.strip() else None

    def resolve(self, ref: str) -> str:
        sha = self.rev_parse(ref)
        if sha is None:
            hint = "fetch it first (git fetch origin REF), or check the spelling"
            if self.is_shallow():
                hint = "this is a shallow clone: git fetch --unshallow (or fetch-depth: 0 in actions/checkout)"
            raise GateError(f"unknown revision '{ref}'", hint=hint)
        return sha

    def merge_base(self, a: str, b: str) -> str:
        status, out, _ = self._exec(["merge-base", a, b])
        if status != 0 or not out.strip():
            hint = "the two have no common history"
            if self.is_shallow():
                hint = "this is a shallow clone without the common history: git fetch --unshallow (or fetch-depth: 0)"
            raise GateError(f"no merge base between {a} and {b}", hint=hint)
        return out.strip()

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

    def stream_log(
        self, args: list[str], parse: Callable[[Iterator[str]], Iterator[T]] = parse_log
    ) -> Iterator[T]:
        """Commits from one `git log`, parsed (by `parse`, for the log's format) as its output
        arrives."""
        if not self.has_commits():
            return
        import io
        import subprocess
        import tempfile

        with tempfile.TemporaryFile() as errors:
            process = _launch(args, cwd=self._cwd, stdout=subprocess.PIPE, stderr=errors)
            assert process.stdout is not None
            try:
                text = io.TextIOWrapper(process.stdout, encoding="utf-8", errors="replace")
                yield from parse(iter(lambda: text.read(1 << 16), ""))
            finally:
                process.stdout.close()
                status = process.wait()
            if status != 0:
                errors.seek(0)
                said = errors.read().decode("utf-8", "replace")
                raise GateError(
                    f"git {args[0]} failed: {_last_line(said)}",
                    hint="check `git status` in this checkout",
                )

    def diff(self, base: str, head: str = "HEAD") -> Diff:
        """Files changed and lines added in base..head, renames followed."""
        return parse_diff(self.run(*_diff_args(base, head)))

    def start_diff(self, base: str, head: str = "HEAD") -> Started[Diff]:
        """`diff`, started now; its `result()` waits for it."""
        return self.start(_diff_args(base, head), parse_diff)

    def start(self, args: list[str], parse: Callable[[str], T]) -> Started[T]:
        """A git command that runs while Python goes on; see Started."""
        import tempfile

        # closed by Started.result() or cancel(), which outlive this call
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        try:
            process = _launch(args, cwd=self._cwd, stdout=out, stderr=err)
        except GateError:
            out.close()
            err.close()
            raise
        return Started(args[0], process, out, err, parse)

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

    def commits_touching(self, paths: list[str], heads: list[str]) -> set[str]:
        """The commits in the heads' history that change a file under one of `paths` (every
        one: --full-history, so no side branch is simplified away)."""
        out = self.run(
            "log",
            "--full-history",
            "--format=%H",
            *dict.fromkeys(heads),
            "--",
            *(f":(top,literal){path}" for path in paths),
        )
        return set(out.split())

    def tags_merged(self, heads: list[str]) -> set[str]:
        """The names of the tags in the history of any of `heads`.

        From the commits `git rev-list` walks, not `git tag --merged`: without a commit-graph
        file, --merged stops its walk by commit date, and a committer clock that ran
        backwards hides tags that are in the history."""
        if not heads:
            return set()
        reachable = set(self.run("rev-list", *dict.fromkeys(heads), "--").split())
        return {name for name, sha in self.tags() if sha in reachable}

    def config(self, key: str) -> str | None:
        status, out, _ = self._exec(["config", "--get", key])
        return out.removesuffix("\n") if status == 0 else None

    def is_dirty(self) -> bool:
        """Changes to tracked files, staged or not (plain git, with no fsmonitor)."""
        return bool(self.run("status", "--porcelain", "--untracked-files=no").strip())

    def remote_url(self, name: str = "origin") -> str | None:
        return self.config(f"remote.{name}.url")

    def show(self, rev: str, path: str) -> str | None:
        """A file's text at a revision, or None where it does not exist there."""
        status, out, _ = self._exec(["show", "--no-textconv", f"{rev}:{path}"])
        return out.removesuffix("\n") if status == 0 else None

    def is_ancestor(self, ancestor: str, descendant: str = "HEAD") -> bool:
        """Whether `ancestor` is in the history of `descendant`."""
        return self._exec(["merge-base", "--is-ancestor", ancestor, descendant])[0] == 0

    def export(self, rev: str, folder: str, dest: Path, suffixes: tuple[str, ...] = ()) -> bool:
        """Copy the files under `folder` at a revision into `dest`, without a worktree or checkout.

        Only regular files (no symlinks, no submodules), only `suffixes` when given;
        False when the revision has no such folder.
        """
        import git

        try:
            tree = self.repo.commit(rev).tree
            sub = tree / folder if folder else tree
        except (KeyError, ValueError, git.exc.BadName):
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


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def read_config(root: Path, pattern: str) -> dict[str, str]:
    """Config values whose key matches `pattern` (keys lowercased), read with one plain
    `git config` process: the commit-msg hook must not pay for importing GitPython.
    Empty when git is missing or nothing matches; outside a repository, the global config."""
    out = quick_output(root, "config", "--null", "--get-regexp", pattern)
    values = {}
    for entry in out.split(b"\0"):
        key, _, value = entry.partition(b"\n")
        if key:
            values[key.decode("utf-8", "replace").lower()] = value.decode("utf-8", "replace")
    return values
