"""Options declared beside each gate: defaults, the schema built from them, the preset
written from them, and a plugin gate that declares a section of its own."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from gates import registry
from gates.options import Choice, Flag, Group, Integer, Options, Records, Shared, Table, Text, Texts
from gates.policy import load_preset
from gates.policy.preset import render
from gates.policy.schema import BUILTIN_SECTIONS, policy_schema, section_options
from tests.core.plugin_fixture import install_plugin

ROOT = Path(__file__).resolve().parents[2]


class Inner(Options, summary="A nested group."):
    depth = Integer(2, "How deep.", minimum=0)


class Item(Options):
    name = Text[str](None, "Its name.", required=True)  # type: ignore[arg-type]
    weight = Integer(1, "Its weight.")


class Other(Options, section="other", summary="A section another gate owns."):
    colour = Choice("red", ("red", "blue"), "Its colour.")


class Sample(Options, section="sample", summary="A sample section."):
    label = Text("v{version}", "A label.")
    note = Text[str | None]("hello", "A note; null: none.", nullable=True)
    strict = Flag[bool | None](None, "Left out: decided elsewhere.")
    names = Texts(["a"], "Some names.")
    inner = Group[Inner](Inner)
    items = Records[list[Item]](Item, [], "Some items.")
    table = Table[dict[str, Item]](Item, {"x": {"name": "x"}}, "Named items.")
    other = Shared(Other)


def test_a_key_left_out_or_set_to_null_reads_as_its_default() -> None:
    options = Sample({"label": None, "names": ["b"]})
    assert options.label == "v{version}"
    assert options.names == ["b"]
    assert options.strict is None
    assert options.inner.depth == 2
    assert options.table["x"].weight == 1


def test_a_nullable_key_keeps_an_explicit_null() -> None:
    assert Sample({"note": None}).note is None
    assert Sample({}).note == "hello"


def test_defaults_are_copies_that_a_gate_cannot_spoil() -> None:
    first = Sample({})
    first.names.append("changed")
    assert Sample({}).names == ["a"]


def test_records_and_shared_sections_are_options_too() -> None:
    options = Sample(
        {"items": [{"name": "one", "weight": 5}]}, {"other": Other({"colour": "blue"})}
    )
    assert options.items[0].name == "one"
    assert options.items[0].weight == 5
    assert options.other.colour == "blue"
    assert options.to_dict()["items"] == [{"name": "one", "weight": 5}]


def test_from_policy_reads_the_section_and_the_shared_ones() -> None:
    class Sections:
        def section(self, name: str) -> dict:
            return {"sample": {"label": "x{version}"}, "other": {"colour": "blue"}}.get(name, {})

    options = Sample.from_policy(Sections())
    assert options.label == "x{version}"
    assert options.other.colour == "blue"


def test_the_schema_follows_the_declarations() -> None:
    schema = Sample.schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["note"]["type"] == ["string", "null"]
    assert schema["properties"]["inner"]["properties"]["depth"]["minimum"] == 0
    assert schema["properties"]["items"]["items"]["required"] == ["name"]
    assert "other" not in schema["properties"]  # a shared section is not a key of this one
    jsonschema.validate({"items": [{"name": "n"}], "table": {"y": {"name": "y"}}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"items": [{"weight": 1}]}, schema)


def test_defaults_leave_out_keys_without_one() -> None:
    defaults = Sample.defaults()
    assert "strict" not in defaults
    assert defaults["inner"] == {"depth": 2}
    assert defaults["table"] == {"x": {"name": "x", "weight": 1}}


def test_the_table_of_built_in_sections_is_what_the_gates_declare() -> None:
    declared: dict[str, type[Options]] = {}
    for gate_id in registry.builtin_ids():
        options = registry.load(gate_id).options
        if options is None:
            continue
        for cls in (options, *(ref.options for ref in options.shared.values())):
            if cls.section:
                declared.setdefault(cls.section, cls)
                assert issubclass(cls, section_options()[cls.section]), cls
    assert set(declared) <= set(BUILTIN_SECTIONS)
    assert set(BUILTIN_SECTIONS) - set(declared) == {"release", "metrics"}  # read by commands


def test_no_gate_reads_the_policy_behind_its_options() -> None:
    """A gate reads its own options and the shared sections it names: never a section or
    the raw data of the policy (its digest and stages, which attestations bind, are fine)."""
    offenders = []
    for path in sorted((ROOT / "gates" / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("section", "data")
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "policy"
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_the_preset_is_written_from_the_declarations() -> None:
    committed = (ROOT / "policies" / "gitflow.yaml").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m gates.policy.preset policies/gitflow.yaml"


def test_every_declared_default_is_the_preset_value() -> None:
    preset = load_preset("gitflow").data
    for name, options in section_options().items():
        assert options.defaults() == preset[name], name


def test_every_option_has_a_one_line_doc() -> None:
    def walk(options: type[Options], where: str) -> None:
        for name, option in options.declared.items():
            assert option.doc.strip(), f"{where}.{name}"
            assert "\n" not in option.doc, f"{where}.{name}"
            nested = getattr(option, "options", None)
            if isinstance(nested, type):
                walk(nested, f"{where}.{name}")

    for section, options in section_options().items():
        walk(options, section)


def test_explain_lists_a_gates_options_with_their_defaults(gate) -> None:
    result = gate("explain", "coverage")
    assert result.code == 0
    assert "coverage.total_min = 80" in result.out
    assert "Minimum total coverage, percent." in result.out
    assert "shared sections tests_with_code" in result.out


PLUGIN = textwrap.dedent(
    """
    from gates.model import Result
    from gates.options import Integer, Options, Shared
    from gates.policy.sections import VersioningOptions
    from gates.registry import Doc, Gate


    class DemoOptions(Options, section="demo", summary="The demo gate's settings."):
        threshold = Integer(3, "How many is too many.", minimum=0)
        versioning = Shared(VersioningOptions)


    def _run(ctx, options):
        return Result.of(
            "demo-options", [], f"threshold {options.threshold}, tags {options.versioning.tag_format}"
        )


    GATE = Gate(
        id="demo-options",
        doc=Doc(summary="A plugin gate with options.", what="Reads demo.threshold.", why="Tests."),
        run=_run,
        options=DemoOptions,
        uses_git=False,
    )
    """
)


@pytest.fixture
def options_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    entry_points = "[gates.gates]\ndemo-options = demo_options:GATE\n"
    site = install_plugin(tmp_path / "site", monkeypatch, "demo-options", entry_points, PLUGIN)
    policy_schema.cache_clear()
    yield site
    policy_schema.cache_clear()


def test_a_plugin_gate_declares_a_section_of_its_own(repo, gate, options_plugin) -> None:
    repo.commit("chore: start")
    result = gate("check", "demo-options")
    assert result.code == 0, result.err
    assert "threshold 3, tags v{version}" in result.out

    repo.write(".gate.yaml", "demo:\n  threshold: 7\n")
    result = gate("check", "demo-options")
    assert result.code == 0, result.err
    assert "threshold 7" in result.out

    assert "demo.threshold = 3" in gate("explain", "demo-options").out
    schema = gate("policy", "schema")
    assert yaml.safe_load(schema.out)["properties"]["demo"]["properties"]["threshold"]


def test_a_plugin_section_is_validated_like_a_built_in_one(repo, gate, options_plugin) -> None:
    repo.commit("chore: start")
    repo.write(".gate.yaml", "demo:\n  threshold: -1\n")
    result = gate("check", "demo-options")
    assert result.code == 2
    assert "demo.threshold" in result.err
    assert "below the minimum 0" in result.err


def test_a_section_without_a_gate_that_declares_it_is_unknown(repo, gate) -> None:
    repo.commit("chore: start")
    repo.write(".gate.yaml", "demo:\n  threshold: 7\n")
    result = gate("check", "commits")
    assert result.code == 2
    assert "demo" in result.err


@pytest.fixture
def contributing_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example gate of CONTRIBUTING.md, installed as a plugin exactly as printed there."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    code = text.split('```python\n"""Gate `no-wip`')[1].split("```")[0]
    entry_points = "[gates.gates]\nno-wip = no_wip:GATE\n"
    module = '"""Gate `no-wip`' + code
    site = install_plugin(tmp_path / "site", monkeypatch, "no-wip", entry_points, module)
    policy_schema.cache_clear()
    yield site
    policy_schema.cache_clear()


def test_the_gate_of_contributing_works_as_printed(repo, gate, contributing_gate) -> None:
    base = repo.commit("chore: start")
    repo.commit("WIP: half a parser")
    repo.commit("feat: the other half")
    result = gate("check", "no-wip", "--base", base)
    assert result.code == 1
    assert "is work in progress: WIP: half a parser" in result.out
    repo.write(".gate.yaml", "no_wip:\n  prefixes: [DRAFT]\n")
    assert gate("check", "no-wip", "--base", base).code == 0
    assert "no_wip.prefixes" in gate("explain", "no-wip").out
