"""The text edit that adds gate's hooks to a .pre-commit-config.yaml, comments kept."""

import difflib

import pytest
import yaml
from pre_commit.clientlib import load_config

from gates.knowledge.pre_commit_config import LOCAL_BLOCK, CannotEdit, add_gate_hooks, mentions_gate

INDENTED = """\
# Team hooks: keep this comment
default_stages: [pre-commit]
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace  # inline comment
  # a commented-out repo stays where it is
  # - repo: https://example.com/x

# settings for pre-commit.ci
ci:
  autofix_prs: false
"""

INDENTLESS = """\
repos:
- repo: https://github.com/psf/black
  rev: 24.1.0
  hooks:
  - id: black
"""


def _hook_ids(text):
    return [hook["id"] for repo in yaml.safe_load(text)["repos"] for hook in repo["hooks"]]


@pytest.mark.parametrize("original", [INDENTED, INDENTLESS])
def test_block_is_added_to_the_repos_list_and_every_line_is_kept(original, tmp_path):
    edited = add_gate_hooks(original)
    assert _hook_ids(edited)[-3:] == ["gate-commit-msg", "gate-pre-commit", "gate-pre-push"]
    changes = difflib.SequenceMatcher(a=original.splitlines(), b=edited.splitlines()).get_opcodes()
    assert {tag for tag, *_ in changes} == {"equal", "insert"}  # nothing removed or changed
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(edited)
    load_config(str(config))  # pre-commit's own validation


def test_keys_after_the_list_keep_their_comments_and_values():
    edited = add_gate_hooks(INDENTED)
    data = yaml.safe_load(edited)
    assert data["ci"] == {"autofix_prs": False}
    assert data["default_stages"] == ["pre-commit"]
    assert edited.index("# settings for pre-commit.ci") > edited.index("gate-pre-push")
    assert edited.index("# a commented-out repo") < edited.index("gate-commit-msg")


def test_a_file_without_a_final_newline_is_extended_cleanly():
    edited = add_gate_hooks(INDENTLESS.rstrip("\n"))
    assert _hook_ids(edited) == ["black", "gate-commit-msg", "gate-pre-commit", "gate-pre-push"]


@pytest.mark.parametrize("text", ["repos: []\n", "default_stages: [pre-commit]\n", ""])
def test_layouts_a_text_edit_cannot_extend_are_refused(text):
    with pytest.raises(CannotEdit):
        add_gate_hooks(text)


def test_mentions_gate_spots_remote_and_local_gate_hooks():
    assert mentions_gate("      - id: gate-commit-msg\n")
    assert mentions_gate("        entry: gate hook pre-push\n")
    assert not mentions_gate(INDENTED)
    assert mentions_gate(add_gate_hooks(INDENTED))
    assert LOCAL_BLOCK.count("language: system") == 3
