"""Text files written whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
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


def atomic_write(path: Path, content: str | bytes) -> None:
    """Replace `path` by `content` in one rename, keeping its permissions (a new file gets the
    umask's); no half-written file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
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
