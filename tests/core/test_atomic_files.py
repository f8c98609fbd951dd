"""The one atomic write: whole or not at all, with the permissions it is asked for."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from gates.adapters import duration_baseline
from gates.adapters.atomic_files import atomic_write, write_output
from gates.errors import GateError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_gets_the_umask_mode(tmp_path, umask_022):
    target = tmp_path / "new.txt"
    atomic_write(target, "text\n")
    assert (target.read_bytes(), _mode(target)) == (b"text\n", 0o644)


def test_a_replaced_file_keeps_its_mode(tmp_path, umask_022):
    target = tmp_path / "script.sh"
    target.write_text("old")
    target.chmod(0o751)
    atomic_write(target, b"new")
    assert (target.read_text(), _mode(target)) == ("new", 0o751)


def test_an_explicit_mode_wins(tmp_path, umask_022):
    target = tmp_path / "private.json"
    target.write_text("{}")
    atomic_write(target, "{}", mode=0o600)
    assert _mode(target) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    (tmp_path / "dir").mkdir()
    with pytest.raises(OSError):
        atomic_write(tmp_path / "dir", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir"]


def test_outputs_name_what_could_not_be_written(tmp_path):
    (tmp_path / "dir").mkdir()
    with pytest.raises(GateError, match="cannot write the attestation"):
        write_output(tmp_path / "dir", "x", what="the attestation")


def test_the_build_time_baseline_goes_through_it(tmp_path, umask_022):
    target = tmp_path / "deep" / "baseline.json"
    duration_baseline.write(target, duration_baseline.Baseline(1.5, {"t": 0.5}))
    assert json.loads(target.read_text())["tests"] == {"t": 0.5}
    assert _mode(target) == 0o644
