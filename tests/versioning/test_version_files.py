"""gates.adapters.version_files: every source read, and written byte for byte at the key only."""

from __future__ import annotations

import pytest

from gates.adapters.version_files import current_version, read_sources, write_version
from gates.errors import GateError, UnsafePathError

PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = "shop"
description = \"\"\"
[project]
version = "1.2.3"
\"\"\"
version = '1.2.3'  # keep this comment
dependencies = ["requests==1.2.3", "attrs>=1.2.3"]

[project.optional-dependencies]
dev = ["pytest==1.2.3"]

[tool.other]
version = "1.2.3"
"""

PACKAGE_JSON = '{\r\n  "name": "shop",\r\n  "dependencies": {"version": "1.2.3", "left-pad": "1.2.3"},\r\n  "version":   "1.2.3",\r\n  "private": true\r\n}\r\n'

CHART = """\
apiVersion: v2
name: shop
# the chart's own version
version: 1.2.3   # bumped by gate
appVersion: "1.2.3"
dependencies:
  - name: redis
    version: 1.2.3
    repository: https://charts.example.com
"""


def write(root, name, text):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


def test_every_kind_is_found_and_only_the_version_text_changes(tmp_path):
    write(tmp_path, "pyproject.toml", PYPROJECT)
    write(
        tmp_path,
        "src/shop/__init__.py",
        '"""Shop."""\n\nMINIMUM = "1.2.3"\n__version__: str = "1.2.3"\n',
    )
    write(tmp_path, "package.json", PACKAGE_JSON)
    write(tmp_path, "charts/shop/Chart.yaml", CHART)
    write(tmp_path, "VERSION", "1.2.3\n")
    sources = read_sources(tmp_path, {})
    assert [(s.file, s.key, s.version) for s in sources] == [
        ("pyproject.toml", "project.version", "1.2.3"),
        ("src/shop/__init__.py", "__version__", "1.2.3"),
        ("package.json", "version", "1.2.3"),
        ("charts/shop/Chart.yaml", "version", "1.2.3"),
        ("charts/shop/Chart.yaml", "appVersion", "1.2.3"),
        ("VERSION", "VERSION", "1.2.3"),
    ]
    assert [s.line for s in sources] == [11, 4, 4, 4, 5, 1]

    written = write_version(tmp_path, {}, "1.3.0-rc.1")

    assert len(written) == 5
    assert (tmp_path / "pyproject.toml").read_text() == PYPROJECT.replace(
        "version = '1.2.3'", "version = '1.3.0-rc.1'"
    )
    assert (
        tmp_path / "src/shop/__init__.py"
    ).read_text() == '"""Shop."""\n\nMINIMUM = "1.2.3"\n__version__: str = "1.3.0-rc.1"\n'
    assert (tmp_path / "package.json").read_bytes() == PACKAGE_JSON.replace(
        '"version":   "1.2.3"', '"version":   "1.3.0-rc.1"'
    ).encode()
    assert (tmp_path / "charts/shop/Chart.yaml").read_text() == CHART.replace(
        "version: 1.2.3   #", "version: 1.3.0-rc.1   #"
    ).replace('appVersion: "1.2.3"', 'appVersion: "1.3.0-rc.1"')
    assert (tmp_path / "VERSION").read_text() == "1.3.0-rc.1\n"
    assert current_version(tmp_path, {})[0] == current_version(tmp_path, {})[0].parse("1.3.0-rc.1")


def test_pep440_scheme_writes_pep440_spelling_into_python_sources_only(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\nversion = "1.2.3"\n')
    write(tmp_path, "VERSION", "1.2.3")
    write_version(tmp_path, {"scheme": "pep440"}, "1.3.0-rc.2")
    assert (
        tmp_path / "pyproject.toml"
    ).read_text() == '[project]\nname = "x"\nversion = "1.3.0rc2"\n'
    assert (tmp_path / "VERSION").read_text() == "1.3.0-rc.2"
    assert str(current_version(tmp_path, {"scheme": "pep440"})[0]) == "1.3.0-rc.2"


def test_poetry_version(tmp_path):
    text = '[tool.poetry]\nname = "x"\nversion = "0.4.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfoo = "0.4.0"\n'
    write(tmp_path, "pyproject.toml", text)
    [source] = read_sources(tmp_path, {})
    assert (source.key, source.version) == ("tool.poetry.version", "0.4.0")
    write_version(tmp_path, {}, "0.5.0")
    assert (tmp_path / "pyproject.toml").read_text() == text.replace(
        'version = "0.4.0"', 'version = "0.5.0"'
    )


@pytest.mark.parametrize(
    ("pyproject", "via"),
    [
        (
            '[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.setuptools_scm]\n',
            "setuptools-scm",
        ),
        (
            '[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.hatch.version]\nsource = "vcs"\n',
            "hatch-vcs",
        ),
        (
            '[build-system]\nrequires = ["setuptools", "setuptools-scm>=8"]\n\n[project]\nname = "x"\ndynamic = ["version"]\n',
            "setuptools-scm",
        ),
        (
            '[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.pdm.version]\nsource = "scm"\n',
            "pdm-backend scm",
        ),
        (
            '[tool.poetry]\nname = "x"\nversion = "0.0.0"\n\n[tool.poetry-dynamic-versioning]\nenabled = true\n',
            "poetry-dynamic-versioning",
        ),
    ],
)
def test_dynamic_versions_are_reported_and_never_rewritten(tmp_path, pyproject, via):
    write(tmp_path, "pyproject.toml", pyproject)
    [source] = read_sources(tmp_path, {})
    assert source.dynamic and source.version is None and via in source.via
    with pytest.raises(GateError, match="dynamic"):
        current_version(tmp_path, {})
    with pytest.raises(GateError, match="dynamic"):
        write_version(tmp_path, {}, "2.0.0")
    assert (tmp_path / "pyproject.toml").read_text() == pyproject


def test_a_dynamic_version_read_from_a_file_follows_the_file(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "src/x/__about__.py"\n',
    )
    write(tmp_path, "src/x/__about__.py", '__version__ = "2.1.0"\n')
    sources = read_sources(tmp_path, {})
    assert [(s.file, s.dynamic, s.version) for s in sources] == [
        ("pyproject.toml", True, None),
        ("src/x/__about__.py", False, "2.1.0"),
    ]
    assert write_version(tmp_path, {}, "2.2.0") == [tmp_path / "src/x/__about__.py"]
    assert (tmp_path / "src/x/__about__.py").read_text() == '__version__ = "2.2.0"\n'


def test_setuptools_attr_points_at_the_module(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.setuptools.dynamic]\nversion = {attr = "x.VERSION"}\n',
    )
    write(tmp_path, "x/__init__.py", 'VERSION = "3.0.0"\n')
    sources = read_sources(tmp_path, {})
    assert [(s.file, s.key, s.version) for s in sources][1] == ("x/__init__.py", "VERSION", "3.0.0")


def test_declared_sources_with_pattern_and_chart_app_version(tmp_path):
    write(tmp_path, "deploy/values.yaml", "image:\n  tag: 1.2.3 # app\n")
    write(tmp_path, "chart/Chart.yaml", "name: x\nversion: 0.9.0\nappVersion: '1.2.3'\n")
    section = {
        "sources": [
            {"file": "deploy/values.yaml", "kind": "pattern", "pattern": r"^  tag: (\S+)"},
            {"file": "chart/Chart.yaml", "kind": "chart", "key": "appVersion"},
        ]
    }
    assert [s.version for s in read_sources(tmp_path, section)] == ["1.2.3", "1.2.3"]
    write_version(tmp_path, section, "1.2.4")
    assert (tmp_path / "deploy/values.yaml").read_text() == "image:\n  tag: 1.2.4 # app\n"
    assert (
        tmp_path / "chart/Chart.yaml"
    ).read_text() == "name: x\nversion: 0.9.0\nappVersion: '1.2.4'\n"


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("pyproject.toml", '[project\nversion = "1"', "invalid TOML"),
        ("package.json", '{"version": "1.0.0",}', "invalid JSON"),
        ("Chart.yaml", "version: [1.0.0\n", "invalid YAML"),
        ("Chart.yaml", "name: x\nversion: 1.10\n", "read by YAML as a number"),
        ("VERSION", "\n\n", "empty"),
        ("VERSION", "1.0.0\n2.0.0\n", "more than one line"),
    ],
)
def test_unparsable_files_are_reported_not_guessed(tmp_path, name, text, error):
    write(tmp_path, name, text)
    sources = read_sources(tmp_path, {})
    assert len(sources) == 1
    assert error in sources[0].error
    with pytest.raises(GateError, match=error) as caught:
        write_version(tmp_path, {}, "2.0.0")
    assert "nothing was written" in caught.value.hint
    assert (tmp_path / name).read_text() == text


def test_declared_file_that_is_missing_or_outside(tmp_path):
    sources = read_sources(tmp_path, {"sources": [{"file": "nope/__init__.py"}]})
    assert [s.error for s in sources] == ["no such file"]
    with pytest.raises(UnsafePathError, match="outside the repository"):
        read_sources(tmp_path, {"sources": [{"file": "../x/VERSION"}]})
    python = read_sources(tmp_path, {"sources": [{"file": "x.py"}]})
    write(tmp_path, "x.py", "__version__ = get_version()\n")
    [computed] = read_sources(tmp_path, {"sources": [{"file": "x.py"}]})
    assert python[0].error == "no such file"
    assert computed.dynamic and "get_version()" in computed.via


def test_a_version_that_cannot_be_rewritten_in_place_is_refused(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\nversion = "1.0.0"\n')
    write(tmp_path, "x/__init__.py", '__version__ = "1.0" ".0"\n')
    with pytest.raises(GateError, match="cannot be rewritten in place"):
        write_version(tmp_path, {}, "1.1.0")
    assert (tmp_path / "pyproject.toml").read_text() == '[project]\nname = "x"\nversion = "1.0.0"\n'


def test_disagreeing_sources(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\nversion = "1.0.0"\n')
    write(tmp_path, "VERSION", "1.0.1\n")
    with pytest.raises(GateError, match="disagree"):
        current_version(tmp_path, {})


def test_nothing_found_in_a_plain_repository(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    write(tmp_path, "package.json", '{"name": "site", "private": true}')
    write(tmp_path, "tests/__init__.py", '__version__ = "9.9.9"\n')
    assert read_sources(tmp_path, {}) == []
    with pytest.raises(GateError, match="no version source"):
        write_version(tmp_path, {}, "1.0.0")


def test_dry_run_writes_nothing(tmp_path):
    write(tmp_path, "VERSION", "1.0.0\n")
    assert write_version(tmp_path, {}, "1.1.0", dry_run=True) == [tmp_path / "VERSION"]
    assert (tmp_path / "VERSION").read_text() == "1.0.0\n"


@pytest.mark.parametrize(
    "text",
    [
        'project.name = "x"\nproject.version = "1.0.0"  # dotted\n',
        '[ "project" ]\nname = "x"\n"version" = "1.0.0"\n\n[[tool.x.y]]\nversion = "1.0.0"\n',
        "[project]\nname = 'x'\nversion='1.0.0'\n[project.urls]\nversion = '1.0.0'\n",
    ],
)
def test_toml_spellings_are_rewritten_at_the_key_only(tmp_path, text):
    write(tmp_path, "pyproject.toml", text)
    write_version(tmp_path, {}, "1.1.0")
    after = (tmp_path / "pyproject.toml").read_text()
    assert after.count("1.1.0") == 1
    assert after.replace("1.1.0", "1.0.0") == text


def test_toml_inline_table_is_read_but_not_rewritten(tmp_path):
    write(tmp_path, "pyproject.toml", 'project = { name = "x", version = "1.0.0" }\n')
    [source] = read_sources(tmp_path, {})
    assert source.version == "1.0.0"
    with pytest.raises(GateError, match="cannot be rewritten in place"):
        write_version(tmp_path, {}, "1.1.0")
