"""The `version` gate on real repositories with real tags."""

from __future__ import annotations

from tests.versioning.conftest import pyproject

PACKAGE_V1 = '''"""Shop."""

__all__ = ["connect", "Cart"]


def connect(host: str, port: int = 80) -> None:
    """Open a connection."""


class Cart:
    def add(self, item: str, quantity: int = 1) -> None:
        """Add an item."""
'''


def test_skips_with_a_note_where_there_is_no_version_source(repo, check):
    repo.commit("chore: start", {"README.md": "hello\n"})
    code, rules, result = check()
    assert code == 0
    assert result["status"] == "skip"
    assert "no version source" in result["summary"]
    repo.write(".gate.yaml", "versioning:\n  required: true\n")
    code, rules, result = check()
    assert code == 1
    assert "gate explain version.no-source" in rules["no-source"][0]["hint"]


def test_sources_must_agree(project, check):
    project.commit("chore: version file", {"VERSION": "1.2.1\n"})
    code, rules, _ = check()
    assert code == 1
    message = rules["mismatch"][0]["message"]
    assert (
        "pyproject.toml (project.version) = 1.2.0" in message
        and "VERSION (VERSION) = 1.2.1" in message
    )


def test_unparsable_and_invalid_sources(project, check):
    project.commit("chore: chart", {"Chart.yaml": "name: x\nversion: [1\n"})
    code, rules, _ = check()
    assert code == 1
    assert rules["unparsable"][0]["path"] == "Chart.yaml"
    project.commit("chore: chart", {"Chart.yaml": "name: x\nversion: v1.2.0\n"})
    code, rules, _ = check()
    assert code == 1
    assert "belongs to the tag" in rules["invalid"][0]["message"]
    assert rules["invalid"][0]["line"] == 2


def test_pep440_spelling_agrees_with_semver_when_the_scheme_says_so(repo, check):
    repo.commit("feat: x", {"pyproject.toml": pyproject("1.3.0rc1"), "VERSION": "1.3.0-rc.1\n"})
    code, rules, _ = check()
    assert code == 1 and "invalid" in rules
    repo.commit("chore: policy", {".gate.yaml": "versioning:\n  scheme: pep440\n"})
    code, rules, result = check()
    assert code == 0, rules
    assert result["summary"].startswith("version 1.3.0-rc.1 (2 sources)")


def test_no_tags_follows_the_initial_version(repo, check):
    repo.commit("feat: x", {"pyproject.toml": pyproject("0.1.0")})
    code, rules, _ = check()
    assert code == 0
    assert rules["no-tags"][0]["severity"] == "note"
    repo.commit("feat: y", {"pyproject.toml": pyproject("3.0.0")})
    code, rules, result = check()
    assert result["status"] == "warn"
    assert "versioning.initial (0.1.0)" in rules["no-tags"][0]["message"]


def test_non_version_and_duplicate_tags(project, check):
    project.tag("nightly")
    project.tag("v1.2")
    code, rules, _ = check()
    assert code == 0
    assert "nightly, v1.2" in rules["non-version-tag"][0]["message"]
    project.commit("chore: rebuild")
    project.tag("v1.2.0+rebuild.1")
    code, rules, _ = check()
    assert code == 1
    assert "v1.2.0" in rules["duplicate-tag"][0]["message"]


def test_release_branch_must_name_the_declared_version(project, check):
    project.branch("release/1.3.0")
    project.commit("feat: coupons")
    code, rules, _ = check()
    assert code == 1
    assert "names 1.3.0, the sources declare 1.2.0" in rules["branch-version"][0]["message"]
    assert "gate version bump 1.3.0" in rules["branch-version"][0]["hint"]
    project.commit("chore(release): 1.3.0", {"pyproject.toml": pyproject("1.3.0")})
    code, rules, result = check()
    assert code == 0, rules
    assert result["summary"] == "version 1.3.0 (1 source); latest release v1.2.0"
    project.checkout("main")
    project.branch("release/next")
    code, rules, _ = check()
    assert "does not name a version" in rules["branch-version"][0]["message"]


def test_declared_version_must_be_greater_than_the_latest_release_on_release_branches(
    project, check
):
    project.branch("hotfix/1.1.9")
    project.commit("fix: x", {"pyproject.toml": pyproject("1.1.9")})
    code, rules, _ = check()
    assert code == 1
    assert (
        "1.1.9 is not greater than the latest release v1.2.0" in rules["not-greater"][0]["message"]
    )


def test_an_already_released_version_fails_on_release_branches_only(project, check):
    project.branch("feature/coupons")
    project.commit("feat: coupons")
    code, rules, _ = check()
    assert code == 0, rules  # a feature branch keeps the released version until the release branch
    project.checkout("main")
    project.commit("fix: direct")
    code, rules, _ = check()
    assert code == 1
    assert "1.2.0 is already released as v1.2.0" in rules["not-greater"][0]["message"]


def test_main_at_the_release_tag_passes(project, check):
    code, rules, _ = check()
    assert code == 0, rules
    project.tag("v1.3.0")
    code, rules, _ = check()
    assert code == 1
    assert (
        "HEAD is tagged v1.3.0 but the sources declare 1.2.0" in rules["tag-mismatch"][0]["message"]
    )


def test_bump_must_cover_the_commits(project, check):
    project.branch("release/1.2.1")
    sha = project.commit("feat(cart): coupons")
    project.commit("chore(release): 1.2.1", {"pyproject.toml": pyproject("1.2.1")})
    code, rules, _ = check()
    assert code == 1
    message = rules["insufficient-bump"][0]["message"]
    assert "1.2.1 is a patch bump from v1.2.0, the commits since require minor" in message
    assert sha[:8] in message


def test_breaking_commit_cannot_ship_as_a_minor(project, check):
    project.branch("release/1.3.0")
    project.commit("feat!: coupons replace discounts")
    project.commit("chore(release): 1.3.0", {"pyproject.toml": pyproject("1.3.0")})
    code, rules, _ = check()
    assert code == 1
    assert "require major" in rules["insufficient-bump"][0]["message"]


def test_release_as_footer_sets_the_version(project, check):
    project.branch("release/1.3.0")
    project.commit("feat: x\n\nRelease-As: 1.5.0")
    project.commit("chore(release): 1.3.0", {"pyproject.toml": pyproject("1.3.0")})
    code, rules, _ = check()
    assert code == 1
    assert "Release-As: 1.5.0" in rules["release-as"][0]["message"]


def test_latest_tag_outside_the_branch_warns(project, check):
    project.branch("develop")
    project.commit("feat: on develop")
    project.checkout("main")
    project.branch("hotfix/1.2.1")
    project.commit("fix: urgent", {"pyproject.toml": pyproject("1.2.1")})
    project.checkout("main")
    project.merge("hotfix/1.2.1")
    project.tag("v1.2.1")
    project.checkout("develop")
    code, rules, result = check()
    assert result["status"] == "warn"
    assert "v1.2.1" in rules["tag-outside-branch"][0]["message"]
    assert rules["tag-outside-branch"][0]["severity"] == "warning"
    project.merge("main")
    code, rules, result = check()
    assert code == 0, rules
    assert "tag-outside-branch" not in rules


def test_version_going_backwards_in_a_branch_fails(project, check):
    project.branch("develop")
    project.commit("chore: oops", {"pyproject.toml": pyproject("1.1.0")})
    code, rules, _ = check()
    assert code == 1
    assert "lower than v1.2.0" in rules["behind"][0]["message"]


def api_project(repo, version: str):
    repo.commit(
        "feat: first release",
        {"pyproject.toml": pyproject(version), "src/shop/__init__.py": PACKAGE_V1},
    )
    repo.tag(f"v{version}")
    repo.branch("release/next")


def test_removed_public_name_requires_a_major_bump(repo, check):
    api_project(repo, "1.2.0")
    repo.git("branch", "-m", "release/1.3.0")
    changed = PACKAGE_V1.replace("item: str, quantity", "item: str, *, quantity").replace(
        "connect", "open_connection"
    )
    repo.commit(
        "feat: new cart", {"src/shop/__init__.py": changed, "pyproject.toml": pyproject("1.3.0")}
    )
    code, rules, _ = check()
    assert code == 1
    messages = [f["message"] for f in rules["api-break"]]
    assert any(
        m.startswith("shop.connect: public object was removed since v1.2.0") for m in messages
    ), messages
    assert any("shop.Cart.add(quantity): parameter kind was changed" in m for m in messages), (
        messages
    )
    assert all("1.3.0 is only a minor bump, this needs major" in m for m in messages)
    assert "release it as 2.0.0" in rules["api-break"][0]["hint"]
    cart = next(f for f in rules["api-break"] if "Cart.add" in f["message"])
    assert (cart["path"], cart["line"]) == ("src/shop/__init__.py", 11)
    code, rules, _ = check("--no-api")
    assert code == 0, rules


def test_api_break_with_a_major_bump_is_a_note(repo, check):
    api_project(repo, "1.2.0")
    repo.git("branch", "-m", "release/2.0.0")
    repo.commit(
        "feat!: drop connect",
        {
            "src/shop/__init__.py": PACKAGE_V1.replace("def connect", "def _connect"),
            "pyproject.toml": pyproject("2.0.0"),
        },
    )
    code, rules, _ = check()
    assert code == 0, rules
    assert rules["api-break"][0]["severity"] == "note"


def test_api_break_needs_only_a_minor_while_zero_major(repo, check):
    api_project(repo, "0.2.0")
    repo.git("branch", "-m", "release/0.3.0")
    repo.commit(
        "refactor: rename",
        {
            "src/shop/__init__.py": PACKAGE_V1.replace("class Cart", "class Basket"),
            "pyproject.toml": pyproject("0.3.0"),
        },
    )
    code, rules, _ = check()
    assert code == 0, rules
    assert "shop.Cart: public object was removed" in rules["api-break"][0]["message"]
    repo.commit("chore: patch only", {"pyproject.toml": pyproject("0.2.1")})
    repo.git("branch", "-m", "release/0.2.1")
    code, rules, _ = check()
    assert code == 1
    assert "this needs minor" in rules["api-break"][0]["message"]


def test_the_api_check_leaves_the_repository_as_it_was(repo, check):
    api_project(repo, "1.2.0")
    repo.commit("feat: x", {"src/shop/__init__.py": PACKAGE_V1 + "\n\ndef extra() -> None: ...\n"})
    before = (
        repo.git("status", "--porcelain"),
        repo.git("worktree", "list"),
        repo.git("stash", "list"),
    )
    check()
    assert (
        repo.git("status", "--porcelain"),
        repo.git("worktree", "list"),
        repo.git("stash", "list"),
    ) == before


def test_explain_documents_every_rule(gate):
    outcome = gate("explain", "version")
    assert outcome.code == 0
    for rule in ("mismatch", "api-break", "insufficient-bump", "tag-outside-branch", "release-as"):
        assert f"version.{rule}" in outcome.out
    outcome = gate("explain", "version.api-break")
    assert "griffe" in outcome.out


def test_an_unreadable_module_is_an_error_not_a_removed_api(repo, check):
    api_project(repo, "1.2.0")
    repo.git("branch", "-m", "release/1.3.0")
    repo.commit(
        "feat: half-written",
        {
            "src/shop/__init__.py": PACKAGE_V1 + "\ndef broken(:\n",
            "pyproject.toml": pyproject("1.3.0"),
        },
    )
    code, rules, result = check()
    assert code == 3
    assert result["status"] == "error"
    assert "Syntax error" in rules["error"][0]["message"]
    assert "api_check: false" in rules["error"][0]["hint"]


def test_a_removed_package_is_an_api_break(repo, check):
    api_project(repo, "1.2.0")
    repo.git("branch", "-m", "release/1.3.0")
    repo.git("rm", "-q", "-r", "src/shop")
    repo.commit("feat: move everything", {"pyproject.toml": pyproject("1.3.0")})
    code, rules, _ = check()
    assert code == 0, rules  # found by convention: no package left, nothing to compare
    policy = repo.write(".policy.yaml", "versioning:\n  api_packages: [shop]\n")
    code, rules, _ = check("--policy", str(policy))
    assert code == 1
    assert rules["api-break"][0]["message"].startswith(
        "shop: public package was removed since v1.2.0"
    )
    policy.write_text("versioning:\n  api_packages: [shpo]\n")
    code, rules, _ = check("--policy", str(policy))
    assert code == 3
    assert "'shpo' is neither in the working tree nor at" in rules["error"][0]["message"]


def test_a_package_that_re_exports_its_sibling_is_read(repo, check):
    """attrs' shape: src/attrs re-exports names of src/attr, a package beside it."""
    sibling = "def field(default=None):\n    return default\n"
    facade = "from attr import field\n\n__all__ = ['field']\n"
    repo.commit(
        "feat: first release",
        {
            "pyproject.toml": pyproject("1.2.0"),
            "src/attr/__init__.py": sibling,
            "src/shop/__init__.py": facade,
        },
    )
    repo.tag("v1.2.0")
    repo.branch("release/1.3.0")
    repo.commit(
        "feat: remove the re-export",
        {"src/shop/__init__.py": "__all__ = []\n", "pyproject.toml": pyproject("1.3.0")},
    )
    code, rules, _ = check()
    assert code == 1, rules
    assert "error" not in rules
    assert any(
        f["message"].startswith("shop.field: public object was removed") for f in rules["api-break"]
    ), rules
