"""The errors that end a command with a clear one-line message instead of a traceback.

Each maps to an exit code of the CLI contract: a usage or policy problem is 2,
a gate that cannot decide is 3. Never 0: an error is never a pass.
"""

from __future__ import annotations

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_ERROR = 3


class GateToolError(Exception):
    """Base class: a message, where it happened, and how to fix it."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def render(self) -> str:
        head = f"{self.where}: {self.message}" if self.where else self.message
        return f"{head}\n  hint: {self.hint}" if self.hint else head


class UsageError(GateToolError):
    """Bad arguments on the command line."""

    exit_code = EXIT_USAGE


class PolicyError(GateToolError):
    """The policy cannot be read or is invalid: names the file, the line and the key."""

    exit_code = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = source
        if where and line:
            where = f"{where}:{line}"
        if key:
            message = f"at key '{key}': {message}"
        super().__init__(f"policy error {message}", where=where, hint=hint)
        self.source = source
        self.line = line
        self.key = key


class GateError(GateToolError):
    """A gate cannot decide (missing data, git failure): the gate's status is `error`, exit 3."""

    exit_code = EXIT_ERROR


class UnsafePathError(GateToolError):
    """A path named by the policy or the repository leads outside the repository or through a
    symbolic link: refused before anything is read or written (exit 2)."""

    exit_code = EXIT_USAGE
