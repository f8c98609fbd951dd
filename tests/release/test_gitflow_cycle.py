"""The git-flow cycles end to end, as a team runs them: native hooks installed with `gate
hooks install`, commits made by `git commit`, CI steps in a GitHub Actions environment with
real pytest and coverage data, an attestation signed in CI and verified, and the deploy
stage on the tag CI built. One test per cycle: release, hotfix, support."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import gate_process

POLICY = """extends: gitflow
coverage:
  data: [coverage.xml]
  required: true
  total_min: 80
  changed_min: 80
tests_with_code:
  source: ['shop/**']
  tests: ['tests/**']
tests:
  junit: [reports/junit.xml]
  required: true
build_time:
  junit: [reports/junit.xml]
lint:
  scope: all
deploy:
  environments:
    production:
      check_build_time: false
    support:
      branches: []
      tags: ['v0.*']
      require_release_tag: true
      tag_branch: support/0.x
      require_ci_attestation: true
      check_versions: true
      check_image_tag: true
      check_tests: true
"""

CHANGELOG = """# Changelog

## [Unreleased]

## [0.1.0] - 2026-11-02

### Added

- The shop.
"""

KEY = {"GATE_HMAC_KEY": "a-secret-of-the-ci-only"}


class Team:
    """One repository and the people and machines around it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout.strip()

    def gate(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return gate_process(self.path, *args, env=env)

    def ok(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = self.gate(*args, env=env)
        assert done.returncode == 0, f"gate {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout + done.stderr

    def write(self, name: str, text: str) -> None:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def commit(self, message: str, files: dict[str, str]) -> str:
        for name, text in files.items():
            self.write(name, text)
        self.git("add", "-A")
        return self.git("commit", "-q", "-m", message)  # the hooks run here

    def entry(self, section: str, line: str) -> dict[str, str]:
        """CHANGELOG.md with a line under Unreleased, as a developer adds it."""
        text = (self.path / "CHANGELOG.md").read_text()
        head, _, rest = text.partition("## [Unreleased]\n")
        return {"CHANGELOG.md": f"{head}## [Unreleased]\n\n### {section}\n\n- {line}\n{rest}"}

    def ci(self, *, ref: str, base: str | None = None) -> dict[str, str]:
        """Run the project's tests as CI does, and the GitHub Actions variables of the run."""
        env = {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_SHA": self.git("rev-parse", "HEAD"),
            "GITHUB_REPOSITORY": "shop/shop",
        }
        if ref.startswith("refs/tags/"):
            env |= {"GITHUB_REF": ref, "GITHUB_REF_NAME": ref[10:], "GITHUB_REF_TYPE": "tag"}
        elif base is not None:
            env |= {
                "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_REF": "refs/pull/1/merge",
                "GITHUB_HEAD_REF": ref,
                "GITHUB_BASE_REF": base,
                "GITHUB_REF_TYPE": "branch",
            }
        else:
            env |= {"GITHUB_REF": f"refs/heads/{ref}", "GITHUB_REF_NAME": ref}
        tests = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--cov=shop",
                "--cov-report=xml",
                "--junitxml=reports/junit.xml",
                "tests",
            ],
            cwd=self.path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(self.path), **env},
            check=False,
        )
        assert tests.returncode == 0, tests.stdout + tests.stderr
        return env

    def deploy_tag(self, tag: str, version: str, environment: str = "production") -> None:
        """The tag build: tests, the ci stage with a signed attestation, verify, deploy."""
        self.git("checkout", "-q", tag)
        env = self.ci(ref=f"refs/tags/{tag}") | KEY
        self.ok("run", "--stage", "ci", "--attest", ".gate/attestation.json", env=env)
        assert "signed" in self.ok("verify", ".gate/attestation.json", env=env)
        image = {"GATE_IMAGE_TAG": f"registry.example/shop:{version}"}
        result = self.ok("run", "--stage", "deploy", "--env", environment, env=env | image)
        assert "allowed" in result


@pytest.fixture
def team(repo) -> Team:
    """main at 0.1.0 (tag v0.1.0), develop beside it, the native hooks installed."""
    team = Team(repo.path)
    team.write(".gitignore", "reports/\ncoverage.xml\n.coverage\n.gate/\n__pycache__/\n")
    team.commit(
        "feat: the shop",
        {
            ".gate.yaml": POLICY,
            "pyproject.toml": '[project]\nname = "shop"\nversion = "0.1.0"\n',
            "CHANGELOG.md": CHANGELOG,
            "shop/__init__.py": "",
            "shop/cart.py": "def total(prices):\n    return sum(prices)\n",
            "tests/test_cart.py": (
                "from shop.cart import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"
            ),
        },
    )
    team.git("tag", "-a", "v0.1.0", "-m", "0.1.0")
    team.git("branch", "develop")
    assert "installed" in team.ok("hooks", "install")
    return team


def feature(team: Team, name: str, message: str, files: dict[str, str], entry: str) -> None:
    """A feature branch from develop, its pull request's CI, and the merge."""
    team.git("checkout", "-q", "-b", f"feature/{name}", "develop")
    team.commit(message, {**files, **team.entry("Added", entry)})
    env = team.ci(ref=f"feature/{name}", base="develop")
    team.ok("run", "--stage", "ci", env=env)
    team.git("checkout", "-q", "develop")
    team.git("merge", "-q", "--no-ff", f"feature/{name}", "-m", f"Merge branch 'feature/{name}'")


def release(team: Team) -> str:
    """`gate release start` on develop, then `gate release --merge`: the version released."""
    team.git("checkout", "-q", "develop")
    started = team.ok("release", "start")
    version = started.split()[1].rstrip(":")
    assert team.git("branch", "--show-current") == f"release/{version}"
    assert f'version = "{version}"' in (team.path / "pyproject.toml").read_text()
    assert team.git("log", "-1", "--format=%s") == f"chore(release): start {version}"
    team.ok("run", "--stage", "ci", env=team.ci(ref=f"release/{version}", base="main"))
    finished = team.ok("release", "--merge")
    assert f"tagged v{version} on main" in finished
    return version


CART = "def total(prices):\n    return sum(prices)\n\n\ndef count(items):\n    return len(items)\n"
CART_TEST = (
    "from shop.cart import count, total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"
    "\n\ndef test_count():\n    assert count([1]) == 1\n"
)


def test_the_release_cycle(team):
    feature(
        team,
        "count",
        "feat(cart): count the items",
        {"shop/cart.py": CART, "tests/test_cart.py": CART_TEST},
        "Count the items in the cart.",
    )
    version = release(team)
    assert version == "0.2.0"
    tag_commit = team.git("rev-list", "-1", "v0.2.0")
    assert team.git("rev-parse", "main") == tag_commit  # git-flow's way: the merge commit
    assert len(team.git("rev-list", "--parents", "-1", tag_commit).split()) == 3
    assert "## [0.2.0] - " in team.git("show", "v0.2.0:CHANGELOG.md")
    team.deploy_tag("v0.2.0", "0.2.0")
    team.git("checkout", "-q", "develop")
    assert team.git("merge-base", "--is-ancestor", "release/0.2.0", "develop") == ""
    upcoming = json.loads(team.gate("version", "next", "--json").stdout)
    assert (upcoming["latest_tag"], upcoming["next"]) == ("v0.2.0", "0.2.0")


def test_the_hotfix_cycle(team):
    feature(
        team,
        "count",
        "feat(cart): count the items",
        {"shop/cart.py": CART, "tests/test_cart.py": CART_TEST},
        "Count the items in the cart.",
    )
    release(team)
    team.git("checkout", "-q", "main")
    started = team.ok("release", "start", "--hotfix")
    assert "hotfix 0.2.1: hotfix/0.2.1 from main" in started
    fixed = CART.replace("return sum(prices)", "return sum(p for p in prices if p > 0)")
    test = CART_TEST + "\n\ndef test_negative():\n    assert total([-1, 2]) == 2\n"
    team.commit(
        "fix(cart): ignore negative prices",
        {
            "shop/cart.py": fixed,
            "tests/test_cart.py": test,
            **team.entry("Fixed", "Negative prices are ignored."),
        },
    )
    team.ok("run", "--stage", "ci", env=team.ci(ref="hotfix/0.2.1", base="main"))
    finished = team.ok("release", "--merge")
    assert "merged hotfix/0.2.1 back into develop" in finished
    team.deploy_tag("v0.2.1", "0.2.1")
    team.git("checkout", "-q", "develop")
    assert "v0.2.1" in json.loads(team.gate("version", "next", "--json").stdout)["latest_tag"]
    metrics = json.loads(team.ok("metrics", "--format", "json"))
    releases = {r["tag"]: r for r in metrics["releases"]}
    assert releases["v0.2.1"]["hotfix"] is True
    assert releases["v0.2.0"]["failed"] is True
    assert releases["v0.2.0"]["restore_hours"] is not None


def test_a_fix_commit_on_a_fresh_hotfix_branch_is_never_blocked(team):
    team.git("checkout", "-q", "-b", "hotfix/0.1.1", "main")  # without `gate release start`
    fixed = CART.replace("return sum(prices)", "return sum(prices) or 0")
    out = team.commit("fix(cart): zero for an empty cart", {"shop/cart.py": fixed})
    assert team.git("log", "-1", "--format=%s") == "fix(cart): zero for an empty cart", out
    push = team.gate("run", "--stage", "pre-push")
    assert push.returncode == 1
    assert "run `gate version bump 0.1.1` and commit it" in push.stdout


def test_the_support_cycle(team):
    team.git("checkout", "-q", "main")
    assert "support/0.x from v0.1.0" in team.ok("release", "start", "--support")
    team.git("checkout", "-q", "develop")
    feature(
        team,
        "checkout",
        "feat(cart)!: totals in cents",
        {"shop/cart.py": CART, "tests/test_cart.py": CART_TEST},
        "Totals are in cents.",
    )
    assert release(team) == "0.2.0"  # 0.x: a breaking change bumps the minor
    team.git("checkout", "-q", "support/0.x")
    started = team.ok("release", "start", "--hotfix")
    assert "hotfix 0.1.1: hotfix/0.1.1 from support/0.x" in started
    fixed = "def total(prices):\n    return sum(prices) or 0\n"
    test = "from shop.cart import total\n\n\ndef test_empty():\n    assert total([]) == 0\n"
    team.commit(
        "fix(cart): zero for an empty cart",
        {
            "shop/cart.py": fixed,
            "tests/test_empty.py": test,
            **team.entry("Fixed", "An empty cart totals zero."),
        },
    )
    finished = team.ok("release", "--merge")
    assert "tagged v0.1.1 on support/0.x" in finished
    assert "develop" not in finished.split("released")[0].split("tagged")[1]
    assert team.git("merge-base", "--is-ancestor", "v0.1.1", "support/0.x") == ""
    team.deploy_tag("v0.1.1", "0.1.1", environment="support")
    team.git("checkout", "-q", "support/0.x")
    upcoming = json.loads(team.gate("version", "next", "--json").stdout)
    assert upcoming["released_at_head"] is None or upcoming["latest_tag"] == "v0.1.1"
    assert upcoming["latest_tag"] == "v0.1.1"
