"""Components of a monorepo: declared or detected from workspace files, their tags, and the
version and changelog commands narrowed to one of them, on small monorepos built here."""

from __future__ import annotations

import json

import pytest

from gates.knowledge.components import Component, in_dependency_order, split_tags, tag_style


def package(name: str, version: str = "1.0.0", **extra) -> str:
    return json.dumps({"name": name, "version": version, **extra})


@pytest.fixture
def pnpm(repo):
    """A pnpm workspace: api and web (web depends on api), a private tools package."""
    repo.commit(
        "chore: workspace",
        {
            "package.json": package("root", private=True),
            "pnpm-workspace.yaml": "packages:\n  - packages/*\n  - '!packages/ignored'\n",
            "packages/api/package.json": package("@shop/api"),
            "packages/web/package.json": package(
                "@shop/web", dependencies={"@shop/api": "workspace:*", "react": "^19"}
            ),
            "packages/tools/package.json": package("@shop/tools", private=True),
            "packages/ignored/package.json": package("@shop/ignored"),
            "README.md": "shop\n",
        },
    )
    repo.tag("@shop/api@1.0.0")
    repo.tag("@shop/web@1.0.0")
    return repo


def components_of(gate) -> list[dict]:
    outcome = gate("components", "--json")
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)["components"]


def test_a_pnpm_workspace_names_its_published_packages_dependencies_first(pnpm, gate):
    found = components_of(gate)
    assert [(c["component"], c["path"], c["depends"]) for c in found] == [
        ("@shop/api", "packages/api", []),
        ("@shop/web", "packages/web", ["@shop/api"]),
    ]
    assert found[0]["latest_tag"] == "@shop/api@1.0.0"
    assert found[0]["version"] == "1.0.0"
    assert "@shop/api" in gate("components").out


def test_version_and_changelog_narrowed_to_a_component(pnpm, gate):
    pnpm.commit("feat(web): dark mode", {"packages/web/theme.js": "dark\n"})
    fix = pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    pnpm.commit("docs: the readme", {"README.md": "shop, again\n"})
    api = json.loads(gate("version", "next", "--json", "--component", "@shop/api").out)
    assert (api["latest_tag"], api["next"], api["commits"]) == ("@shop/api@1.0.0", "1.0.1", 1)
    web = json.loads(gate("version", "next", "--json", "--component", "@shop/web").out)
    assert (web["latest_tag"], web["next"]) == ("@shop/web@1.0.0", "1.1.0")
    releases = json.loads(gate("changelog", "--format", "json", "--component", "@shop/api").out)[
        "releases"
    ]
    assert [r["tag"] for r in releases] == [None, "@shop/api@1.0.0"]
    assert [c["sha"] for c in releases[0]["changes"]] == [fix]
    outcome = gate("changelog", "--component", "@shop/nope")
    assert outcome.code == 2 and "no component named '@shop/nope'" in outcome.err


def test_package_json_workspaces_cargo_python_and_charts_are_found(repo, gate):
    repo.commit(
        "chore: four kinds",
        {
            "package.json": package("root", private=True, workspaces={"packages": ["apps/*"]}),
            "apps/site/package.json": package("site"),
            "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
            "crates/engine/Cargo.toml": '[package]\nname = "engine"\nversion = "0.3.0"\n',
            "crates/internal/Cargo.toml": '[package]\nname = "internal"\npublish = false\n',
            "services/billing/pyproject.toml": '[project]\nname = "billing"\nversion = "2.0.0"\n',
            "charts/shop/Chart.yaml": "name: shop-chart\nversion: 0.1.0\n",
        },
    )
    found = {c["component"]: (c["path"], c["kind"]) for c in components_of(gate)}
    assert found == {
        "site": ("apps/site", "npm"),
        "engine": ("crates/engine", "cargo"),
        "billing": ("services/billing", "python"),
        "shop-chart": ("charts/shop", "helm"),
    }


def test_declared_components_win_and_a_bad_one_is_a_policy_error(pnpm, gate):
    pnpm.write(
        ".gate.yaml",
        "components:\n  - {name: api, path: packages/api, tag_format: '{name}-v{version}'}\n",
    )
    pnpm.tag("api-v2.0.0")
    assert [(c["component"], c["latest_tag"]) for c in components_of(gate)] == [
        ("api", "api-v2.0.0")
    ]
    pnpm.write(".gate.yaml", "components:\n  - {name: api}\n")
    outcome = gate("components")
    assert outcome.code == 2 and "components" in outcome.err


def test_the_tag_style_follows_the_existing_tags(repo, gate):
    repo.commit(
        "chore: workspace",
        {
            "package.json": package("root", private=True, workspaces=["packages/*"]),
            "packages/api/package.json": package("api"),
        },
    )
    repo.tag("api-v1.0.0")
    repo.tag("api-v1.1.0")
    assert components_of(gate)[0]["latest_tag"] == "api-v1.1.0"


def test_split_tags_and_tag_style():
    api = Component("api", "services/api", "declared", "{name}-v{version}")
    web = Component("@s/web", "web", "npm")
    tags = [("api-v1.2.0", "a"), ("api-v1.10.0", "b"), ("@s/web@2.0.0", "c"), ("other", "d")]
    found = split_tags(tags, [api, web])
    assert [t.name for t in found["api"]] == ["api-v1.10.0", "api-v1.2.0"]
    assert [t.name for t in found["@s/web"]] == ["@s/web@2.0.0"]
    assert tag_style(["a/v1.0.0", "a/v1.1.0", "b@1.0.0"], ["a", "b"]) == "{name}/v{version}"
    assert tag_style([], ["a"]) == "{name}@{version}"


def test_dependency_order_and_what_a_change_touches():
    a = Component("a", "pkg/a", "npm", depends=("b",))
    b = Component("b", "pkg/b", "npm", depends=("c",))
    c = Component("c", "pkg/c", "npm")
    assert [x.name for x in in_dependency_order([a, b, c])] == ["c", "b", "a"]
    assert a.owns("pkg/a/index.js") and not a.owns("pkg/ab/index.js")


def test_release_publishes_each_changed_component_in_one_commit(pnpm, gate):
    pnpm.commit("chore: policy", {".gate.yaml": "stages:\n  ci: []\n"})
    pnpm.commit("feat(web): dark mode", {"packages/web/theme.js": "dark\n"})
    pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    plan = gate("release", "--dry-run")
    assert plan.code == 0, plan.err
    assert plan.out.index("release @shop/api 1.0.1") < plan.out.index("release @shop/web 1.1.0")
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    assert "released @shop/api@1.0.1, @shop/web@1.1.0" in outcome.out
    assert (
        pnpm.git("log", "-1", "--format=%s") == "chore(release): @shop/api@1.0.1, @shop/web@1.1.0"
    )
    assert pnpm.git("rev-parse", "@shop/api@1.0.1^{commit}") == pnpm.head
    api = json.loads((pnpm.path / "packages/api/package.json").read_text())
    assert api["version"] == "1.0.1"
    assert "Rounding" in (pnpm.path / "packages/api/CHANGELOG.md").read_text()
    assert "Dark mode" not in (pnpm.path / "packages/api/CHANGELOG.md").read_text()
    again = gate("release")
    assert again.code == 1 and "no component has a change" in again.err


def test_release_of_one_component(pnpm, gate):
    pnpm.commit("chore: policy", {".gate.yaml": "stages:\n  ci: []\n"})
    pnpm.commit("feat(web): dark mode", {"packages/web/theme.js": "dark\n"})
    pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    outcome = gate("release", "--component", "@shop/web")
    assert outcome.code == 0, outcome.err
    assert pnpm.git("tag", "--points-at", "HEAD") == "@shop/web@1.1.0"
    assert pnpm.git("log", "-1", "--format=%s") == "chore(release): @shop/web@1.1.0"


DEPLOY = """stages:
  ci: []
deploy:
  environments:
    production:
      branches: []
      tags: ['@shop/*']
      require_release_tag: true
      tag_branch: main
      require_ci_attestation: false
      require_signature: false
      check_versions: true
      check_image_tag: true
      check_tests: false
      check_build_time: false
      freeze: false
"""


def test_each_component_deploys_at_its_own_version_and_has_its_metrics(pnpm, gate, monkeypatch):
    pnpm.commit("chore: policy", {".gate.yaml": DEPLOY})
    pnpm.commit("feat(web): dark mode", {"packages/web/theme.js": "dark\n"})
    pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    assert gate("release").code == 0
    deploy = ("run", "--stage", "deploy", "--env", "production")
    monkeypatch.setenv("GATE_IMAGE_TAG", "registry.example/api:1.0.1")
    api = gate(*deploy, "--component", "@shop/api")
    assert api.code == 0, api.out
    web = gate(*deploy, "--component", "@shop/web", "--format", "json")
    assert web.code == 1
    assert "image tag 1.0.1 is not the release version 1.1.0" in web.out
    monkeypatch.setenv("GATE_IMAGE_TAG", "registry.example/web:1.1.0")
    assert gate(*deploy, "--component", "@shop/web").code == 0
    metrics = json.loads(gate("metrics", "--format", "json", "--component", "@shop/web").out)
    assert [r["tag"] for r in metrics["releases"]] == ["@shop/web@1.0.0", "@shop/web@1.1.0"]


def test_ci_judges_each_component_the_change_touches(pnpm, gate, monkeypatch):
    pnpm.commit("chore: policy", {".gate.yaml": "stages:\n  ci: [version, changelog]\n"})
    pnpm.branch("develop")
    pnpm.branch("feature/money")
    pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    for name, value in {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_HEAD_REF": "feature/money",
        "GITHUB_BASE_REF": "develop",
    }.items():
        monkeypatch.setenv(name, value)
    outcome = gate("run", "--stage", "ci", "--format", "json")
    report = json.loads(outcome.out)
    judged = [(r["gate"], r.get("component")) for r in report["results"]]
    assert judged == [("version", "@shop/api"), ("changelog", "@shop/api")], judged
    version = report["results"][0]
    assert "version 1.0.0" in version["summary"] and "@shop/api@1.0.0" in version["summary"]
    console = gate("run", "--stage", "ci")
    assert "version (@shop/api)" in console.out


def test_scopes_and_root_files_count_for_a_component_when_the_policy_says_so(pnpm, gate):
    pnpm.write(
        ".gate.yaml",
        "components:\n"
        "  - {name: api, path: packages/api, scopes: [api], also: [docker/api.Dockerfile]}\n",
    )
    pnpm.commit("chore: policy", {})
    pnpm.tag("api@1.0.0")
    docker = pnpm.commit("fix: pin the base image", {"docker/api.Dockerfile": "FROM x\n"})
    scoped = pnpm.commit("feat(api): documented in the root", {"README.md": "api\n"})
    pnpm.commit("fix: the readme", {"README.md": "api, fixed\n"})
    releases = json.loads(gate("changelog", "--format", "json", "--component", "api").out)
    assert [c["sha"] for c in releases["releases"][0]["changes"]] == [scoped, docker]


def test_every_components_next_version_at_once(pnpm, gate):
    pnpm.commit("feat(web): dark mode", {"packages/web/theme.js": "dark\n"})
    found = json.loads(gate("components", "--json", "--next").out)["components"]
    assert [(c["component"], c["next"], c["bump"]) for c in found] == [
        ("@shop/api", "1.0.0", None),
        ("@shop/web", "1.1.0", "minor"),
    ]
    assert "1.1.0" in gate("components", "--next").out


def test_json_carries_the_component(pnpm, gate):
    shown = json.loads(gate("version", "show", "--json", "--component", "@shop/api").out)
    assert shown["component"] == "@shop/api"
    assert [(s["file"], s["version"]) for s in shown["sources"]] == [("package.json", "1.0.0")]
    upcoming = json.loads(gate("version", "next", "--json", "--component", "@shop/api").out)
    assert upcoming["component"] == "@shop/api"
    releases = json.loads(gate("changelog", "--format", "json", "--component", "@shop/api").out)
    assert {r["component"] for r in releases["releases"]} == {"@shop/api"}
    assert "component" not in json.loads(gate("changelog", "--format", "json").out)["releases"][0]


def test_init_writes_the_components_and_the_verdict_stays(pnpm, gate):
    pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    before = json.loads(gate("components", "--json", "--next").out)["components"]
    assert gate("init").code == 0
    text = (pnpm.path / ".gate.yaml").read_text()
    assert 'components:\n  - {name: "@shop/api", path: packages/api' in text
    assert 'depends: ["@shop/api"]' in text
    after = json.loads(gate("components", "--json", "--next").out)["components"]
    assert [c["kind"] for c in after] == ["declared", "declared"]
    for row in (*before, *after):
        del row["kind"]
    assert after == before


def test_changelog_write_goes_to_the_components_own_file(pnpm, gate):
    pnpm.write(
        "packages/api/CHANGELOG.md", "# @shop/api\n\n## 1.0.0\n\n### Patch Changes\n\n- First.\n"
    )
    pnpm.commit("chore: its changelog", {})
    fix = pnpm.commit("fix(api): rounding", {"packages/api/money.js": "round\n"})
    pnpm.tag("@shop/api@1.0.1")
    outcome = gate("changelog", "--write", "--component", "@shop/api")
    assert outcome.code == 0, outcome.err
    text = (pnpm.path / "packages/api/CHANGELOG.md").read_text()
    # in the file's own format (changesets): `- <sha>: summary` under Patch Changes
    head = "# @shop/api\n\n## 1.0.1\n\n### Patch Changes\n\n"
    assert text.startswith(f"{head}- {fix[:7]}: rounding\n\n## 1.0.0\n")
    assert not (pnpm.path / "CHANGELOG.md").exists()
