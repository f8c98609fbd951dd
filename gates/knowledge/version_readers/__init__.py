"""Readers of version sources: one module per kind of file, each from text to a VersionSource.

A reader takes the file's name (for messages), its text and the declared key
(None: the kind's default; for `pattern`, the pattern) and returns where the
version is written, with its line and the span of its characters, or why it
cannot say. No reader touches the file system. A kind's module is imported on
first use, so that the pre-push hook loads only the readers of the files it finds.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gates.knowledge.version_source import VersionSource

# kind -> (module in this package, its reader)
READERS = {
    "pyproject": ("toml_files", "read_pyproject"),
    "cargo": ("toml_files", "read_cargo"),
    "python": ("python_module", "read_declared_module"),
    "package.json": ("package_json", "read_package_json"),
    "chart": ("chart", "read_chart"),
    "version-file": ("plain_text", "read_version_file"),
    "pattern": ("plain_text", "read_pattern"),
}


def read_source(kind: str, name: str, text: str, key: str | None) -> VersionSource:
    """The version source of this kind in `text`."""
    module, reader = READERS[kind]
    read = getattr(import_module(f"gates.knowledge.version_readers.{module}"), reader)
    source: VersionSource = read(name, text, key)
    return source
