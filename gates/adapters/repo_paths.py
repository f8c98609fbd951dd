"""Paths that the policy or the repository's content names, kept inside the repository.

A committed `CHANGELOG.md` that is a symbolic link to `/proc/self/environ`, or a policy whose
`deploy.audit_log` is `../../etc/cron.d/x`, must not make `gate` read or write outside the
work tree. Every such path is relative, has no `..`, and no part of it below the repository
root is a symbolic link; anything else is an UnsafePathError (exit 2) naming the path.
"""

from __future__ import annotations

import os
from pathlib import Path

from gates.errors import UnsafePathError


def inside(root: Path, name: str | os.PathLike[str], key: str | None = None) -> Path:
    """`root / name`, checked; `key` says where the name came from (`changelog.file`)."""
    text = os.fspath(name)
    origin = f" ({key})" if key else ""
    hint = "name a regular file inside the repository, by a relative path without .. or links"
    relative = Path(text)
    if not text or relative.is_absolute() or ".." in relative.parts:
        raise UnsafePathError(f"{text}{origin} is outside the repository", hint=hint)
    current = Path(root)
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            shown = current.relative_to(root)
            raise UnsafePathError(
                f"{text}{origin} goes through the symbolic link {shown} "
                f"(to {os.readlink(current)}): refused",
                hint=hint,
            )
    return current
