import subprocess

from benchmarks.synth import generate


def test_synthetic_repository_is_deterministic(tmp_path):
    first = generate(tmp_path / "a", 120, tag_every=40)
    generate(tmp_path / "b", 120, tag_every=40)

    def head(path):
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, check=True
        ).stdout

    assert head(tmp_path / "a") == head(tmp_path / "b")
    log = subprocess.run(
        ["git", "log", "--format=%s"],
        cwd=tmp_path / "a",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(log) == first.commits == 120
    tags = subprocess.run(
        ["git", "tag"], cwd=tmp_path / "a", capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(tags) == first.tags >= 2
    assert all(t.startswith("v0.") for t in tags)
