"""Adding gate's hooks to a `.pre-commit-config.yaml` as a text edit that keeps every comment.

A YAML round trip would drop the comments and reflow the file; instead the
block is inserted at the end of the `repos:` list, indented like its items.
The caller re-reads the result to make sure it still parses.
"""

from __future__ import annotations

import re

GATE_HOOK_IDS = (
    "gate-commit-msg",
    "gate-branch-name",
    "gate-version",
    "gate-changelog",
    "gate-policy",
    "gate-run",
)
HOOK_TYPES = ("pre-commit", "commit-msg", "pre-push")

_MENTION = re.compile(
    r"(\bgate\s+hook\b|\bid:\s*['\"]?gate-(?:" + "|".join(i[5:] for i in GATE_HOOK_IDS) + r")\b)"
)
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")
_REPOS = re.compile(r"^repos\s*:\s*(#.*)?$")
_ITEM = re.compile(r"^(\s*)-\s")

# `repo: local` hooks run the `gate` of the developer's environment: the one
# `gate init` was run with, so they work without a release tag to pin.
LOCAL_BLOCK = """\
# gate: the delivery policy's git hooks (.gate.yaml decides which gates each runs).
# Added by `gate init`; see the gates documentation, docs/hooks.md.
- repo: local
  hooks:
    - id: gate-commit-msg
      name: gate commit-msg
      entry: gate hook commit-msg
      language: system
      stages: [commit-msg]
    - id: gate-pre-commit
      name: gate pre-commit
      entry: gate hook pre-commit
      language: system
      stages: [pre-commit]
      always_run: true
      pass_filenames: false
    - id: gate-pre-push
      name: gate pre-push
      entry: gate hook pre-push
      language: system
      stages: [pre-push]
      always_run: true
      pass_filenames: false
"""


class CannotEdit(ValueError):
    """The file's layout is not one a text edit can extend safely."""


def mentions_gate(text: str) -> bool:
    return bool(_MENTION.search(text))


def add_gate_hooks(text: str, block: str = LOCAL_BLOCK) -> str:
    """`text` with `block` appended to its `repos:` list, comments and layout untouched."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _REPOS.match(line)), None)
    if start is None:
        raise CannotEdit("no top-level `repos:` list (block style) to add to")
    end = len(lines)
    for index in range(start + 1, len(lines)):
        if _TOP_KEY.match(lines[index]):
            end = index
            break
    # Blank lines and column-0 comments just above the next key belong to that key.
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    indent = next((m.group(1) for line in lines[start + 1 : end] if (m := _ITEM.match(line))), "  ")
    inserted = "".join(
        indent + line if line.strip() else line for line in block.splitlines(keepends=True)
    )
    head = "".join(lines[:end])
    if head and not head.endswith("\n"):
        head += "\n"
    tail = "".join(lines[end:])
    separator = "\n" if tail and not tail.startswith("\n") else ""
    return head + inserted + separator + tail
