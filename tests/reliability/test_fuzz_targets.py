"""Every fuzz target, driven by hypothesis in the ordinary test run, plus its seed corpus."""

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))
from targets import TARGETS  # noqa: E402


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_target_survives_arbitrary_bytes(name):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.binary(max_size=2048))
    def run(data):
        TARGETS[name](data)

    run()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_target_survives_its_seed_corpus(name):
    seeds = sorted((FUZZ / "corpus" / name).glob("*"))
    assert seeds, f"fuzz/corpus/{name}/ needs at least one seed input"
    for seed in seeds:
        TARGETS[name](seed.read_bytes())
