"""Files written whole or not at all: a temporary file beside the target, then a rename.

The one implementation of an atomic write; every file gate writes goes through `atomic_write`
(or `write_output`, for reports and other outputs a user names on the command line).
"""

from __future__ import annotations

import os
from pathlib import Path

from gates.errors import GateError


def read_text(path: Path) -> str | None:
    """The file's text exactly as stored (line endings kept), or None when it does not exist."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"cannot read {path}: {exc}", hint="save it as UTF-8 text") from None


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def new_file_mode() -> int:
    """The mode `open()` gives a new file: 0666 less the umask (mkstemp's files are 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, content: str | bytes, *, mode: int | None = None) -> None:
    """Replace `path` by `content` in one rename, so no reader ever sees half a file: a
    temporary file in the same folder, flushed to disk, then renamed over the target.

    The file gets `mode`; without one it keeps its permissions (a new file gets the umask's).
    """
    import tempfile  # not at the top: the commit-msg hook imports this module to print

    data = content.encode("utf-8") if isinstance(content, str) else content
    if mode is None:
        mode = path.stat().st_mode & 0o7777 if path.exists() else new_file_mode()
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def restore(path: Path, content: bytes | None) -> None:
    """Put a file back as it was: its old bytes, or no file when there was none."""
    if content is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write(path, content)


def encodable(text: str) -> str:
    """Outside text that came through surrogateescape (an undecodable byte in a CI variable or
    an argument) holds lone surrogates no UTF-8 writer accepts: those become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        import re

        return re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def write_output(path: Path, text: str, *, what: str, append: bool = False) -> None:
    """Write an output the user named (`what`, for the message): whole or not at all, so a full
    disk leaves no half file behind, with the umask's permissions, since others read it."""
    text = encodable(text)
    try:
        if append or _special_file(path):
            # A device or pipe (/dev/stdout, a FIFO) cannot be replaced by a rename: write through.
            with path.open("a" if append else "w", encoding="utf-8") as fh:
                fh.write(text)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text, mode=new_file_mode())
    except OSError as exc:
        raise GateError(
            f"cannot write {what} {path}: {exc.strerror or exc}",
            hint="check the path and the free disk space",
        ) from None


def _special_file(path: Path) -> bool:
    import stat

    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
