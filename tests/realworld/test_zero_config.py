"""Zero-config `gate run` on real public histories: the conventions detected are the ones git
itself shows (default branch, tag format, latest release), and the run stays readable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gates.adapters.conventions import detect
from gates.adapters.git import GitRepo
from gates.release.history import read_history
from tests.bundles import git
from tests.realworld.test_history_model import REPOSITORIES, _releases

# What still blocks, and why a maintainer would (or would not yet) agree: the changelog of
# another format is issue 19's (changelog formats); nothing else may block.
STILL_BLOCKING = {
    "attrs": {"changelog"},  # towncrier's CHANGELOG.md, not Keep a Changelog (issue 19)
    "release-please": {"changelog"},  # release-please's CHANGELOG.md (issue 19)
    "gitflow-avh": {"changelog"},  # its own changelog format (issue 19)
    "keep-a-changelog": {"changelog"},  # a 2.0.0 section with no 2.0.0 tag: a true finding
}


@pytest.fixture(autouse=True)
def _detection_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATE_DETECT", raising=False)


@pytest.mark.parametrize(("name", "tag_format", "production"), REPOSITORIES)
def test_the_detected_conventions_are_the_repositorys(clone, name, tag_format, production):
    path = clone(name)
    detection = detect(path)
    found = {item.key: item.value for item in detection.values}
    default = git(path, "symbolic-ref", "--short", "refs/remotes/origin/HEAD").strip()
    expected_main = (production or default).removeprefix("origin/")
    assert found["branches.main"] == expected_main
    assert detection.preset == ("gitflow" if production else "trunk")
    if name == "changesets":  # one tag per package: no single tag format
        assert "versioning.tag_format" not in found
        return
    assert found["versioning.tag_format"] == tag_format
    heads = [default, *([production] if production else [])]
    history = read_history(
        GitRepo(path), tag_format=found["versioning.tag_format"], head=default, also=heads[1:]
    )
    assert history.latest.name == _releases(path, tag_format, *heads)[0]


@pytest.mark.parametrize("name", [r[0] for r in REPOSITORIES])
def test_zero_config_gate_run_is_short_and_blocks_only_for_what_is_wrong(clone, name):
    path = clone(name)
    env = {k: v for k, v in os.environ.items() if k != "GATE_DETECT"}
    env["NO_COLOR"] = "1"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gates", "run", *args],
            cwd=path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    console = run()
    assert len(console.stdout.splitlines()) <= 150, console.stdout[-3000:]
    report = json.loads(run("--format", "json").stdout)
    blocking = {r["gate"] for r in report["results"] if r["status"] in ("fail", "error")}
    assert blocking <= STILL_BLOCKING.get(name, set()), blocking
    assert console.returncode == (1 if blocking else 0)
    notes = [f for r in report["results"] for f in r["findings"] if f["rule"] == "policy.detected"]
    assert len(notes) == 1
