import datetime as dt
import json

import pytest

from gates.adapters.git import GitRepo
from gates.release.metrics import analyse, report

UTC = dt.UTC
SINCE = dt.datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = dt.datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def releases(history):
    return analyse(GitRepo(history.path), "v{version}", "hotfix/")


def test_releases_hotfixes_and_what_each_shipped(releases):
    assert [r.tag for r in releases] == ["v1.0.0", "v1.0.1", "v1.1.0", "v1.2.0", "v1.2.1"]
    assert [r.hotfix for r in releases] == [False, True, False, False, True]
    assert [r.failed for r in releases] == [True, False, False, True, False]
    assert [r.restore_seconds and r.restore_seconds / 3600 for r in releases] == [
        46,
        None,
        None,
        23,
        None,
    ]
    # the release commit (chore(release): 1.0.0) is no change: not in lead time (issue 18)
    assert [sorted(t / 3600 for t in r.lead_times) for r in releases] == [
        [99, 122],
        [2],
        [27, 75],
        [24],
        [1],
    ]
    assert [r.commits for r in releases] == [4, 1, 2, 1, 1]
    assert releases[3].date == dt.datetime(
        2026, 3, 2, 11, tzinfo=UTC
    )  # lightweight tag: the commit's date


def test_totals_by_hand(releases):
    totals = report(releases, since=SINCE, until=UNTIL, by="month")["totals"]
    assert totals["deployment_frequency"] == {
        "releases": 5,
        "hotfixes": 2,
        "per_week": round(5 * 7 / 90, 3),
        "per_month": round(5 * 30 / 90, 3),
        "band": "medium",  # 5 in 90 days: less than weekly, more than every 31 days
    }
    # 1, 2, 24, 27, 75, 99, 122 hours (no release commit): median the 4th, p90 the 7th of 7
    assert totals["lead_time"] == {
        "changes": 7,
        "median_hours": 27.0,
        "p90_hours": 122.0,
        "band": "high",
    }
    assert totals["change_failure_rate"] == {"releases": 5, "failed": 2, "rate": 0.4, "band": "low"}
    assert totals["time_to_restore"] == {"incidents": 2, "median_hours": 34.5, "band": "medium"}


def test_by_month(releases):
    periods = report(releases, since=SINCE, until=UNTIL, by="month")["periods"]
    assert [p["period"] for p in periods] == ["2026-01", "2026-02", "2026-03"]
    january, february, march = periods
    assert (
        january["deployment_frequency"]["releases"] == 2
        and january["deployment_frequency"]["hotfixes"] == 1
    )
    assert january["lead_time"] == {
        "changes": 3,
        "median_hours": 99.0,
        "p90_hours": 122.0,
        "band": "high",
    }
    assert january["change_failure_rate"]["rate"] == 0.5
    assert january["time_to_restore"]["median_hours"] == 46.0
    assert (
        february["lead_time"]["median_hours"] == 51.0 and february["lead_time"]["p90_hours"] == 75.0
    )
    assert february["change_failure_rate"] == {
        "releases": 1,
        "failed": 0,
        "rate": 0.0,
        "band": "elite",
    }
    assert february["time_to_restore"] == {"incidents": 0, "median_hours": None, "band": None}
    assert march["lead_time"]["median_hours"] == 12.5
    assert march["time_to_restore"] == {"incidents": 1, "median_hours": 23.0, "band": "high"}


def test_by_week_and_a_narrow_range(releases):
    document = report(
        releases,
        since=dt.datetime(2026, 1, 5, tzinfo=UTC),
        until=dt.datetime(2026, 1, 19, tzinfo=UTC),
        by="week",
    )
    assert [p["period"] for p in document["periods"]] == ["2026-W02", "2026-W03"]
    assert [p["deployment_frequency"]["releases"] for p in document["periods"]] == [1, 1]
    assert [p["deployment_frequency"]["band"] for p in document["periods"]] == ["high", "high"]
    assert [r["tag"] for r in document["releases"]] == ["v1.0.0", "v1.0.1"]
    assert document["totals"]["change_failure_rate"]["rate"] == 0.5


def test_gate_metrics_json(history, gate):
    result = gate("metrics", "--since", "2026-01-01", "--until", "2026-04-01", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["schema"] == "gate-metrics/1"
    assert (
        document["since"] == "2026-01-01T00:00:00Z" and document["until"] == "2026-04-01T00:00:00Z"
    )
    assert document["totals"]["lead_time"]["median_hours"] == 27.0
    assert document["releases"][0] == {
        "tag": "v1.0.0",
        "version": "1.0.0",
        "commit": history.git("rev-parse", "v1.0.0^{commit}"),
        "date": "2026-01-10T12:00:00Z",
        "hotfix": False,
        "failed": True,
        "commits": 4,
        "changes": 2,  # the release commit is no change (issue 18)
        "lead_time_median_hours": 110.5,
        "restore_hours": 46.0,
    }
    assert document["audit"] is None


def test_gate_metrics_table(history, gate, tmp_path):
    result = gate("metrics", "--since", "2026-01-01", "--until", "2026-04-01")
    assert result.code == 0, result.err
    out = result.out
    assert "delivery metrics by month, 2026-01-01 to 2026-04-01" in out
    for line in ("2026-01", "2026-02", "2026-03", "total"):
        assert line in out
    assert "█▒" in out  # January: one release, one hotfix
    assert "40% (2/5)  low" in out
    assert "\x1b" not in out
    written = tmp_path / "metrics.json"
    assert gate("metrics", "--format", f"json:{written}").code == 0
    assert json.loads(written.read_text())["totals"]["deployment_frequency"]["releases"] == 5


def test_audit_log_summary(history, gate):
    lines = [
        {
            "time": "2026-01-10T12:05:00Z",
            "environment": "production",
            "verdict": "allowed",
            "reasons": [],
        },
        # the shape gates/commands/_delivery.py writes
        {
            "timestamp": "2026-01-11T09:00:00+00:00",
            "severity": "ERROR",
            "environment": "production",
            "verdict": "blocked",
            "exit_code": 1,
            "reasons": [
                {
                    "gate": "deploy",
                    "rule": "deploy.freeze",
                    "severity": "error",
                    "message": "change freeze",
                },
                {
                    "gate": "deploy",
                    "rule": "deploy.attestation",
                    "severity": "error",
                    "message": "none",
                },
                {
                    "gate": "changelog",
                    "rule": "changelog.missing",
                    "severity": "warning",
                    "message": "x",
                },
            ],
        },
        {
            "time": "2026-02-01T09:00:00Z",
            "environment": "staging",
            "allowed": False,
            "reasons": ["deploy.freeze"],
        },
        {
            "time": "2025-12-01T09:00:00Z",
            "environment": "production",
            "verdict": "blocked",
            "reasons": ["old"],
        },
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    history.write(".gate/audit.jsonl", text)
    document = json.loads(
        gate("metrics", "--since", "2026-01-01", "--until", "2026-04-01", "--format", "json").out
    )
    assert document["audit"] == {
        "log": str(history.path / ".gate" / "audit.jsonl"),
        "allowed": 1,
        "blocked": 2,
        "unreadable_lines": 1,
        "environments": {"production": 2, "staging": 1},
        "top_reasons": [
            {"reason": "deploy.freeze", "count": 2},
            {"reason": "deploy.attestation", "count": 1},
        ],
    }
    assert (
        "deploys: 1 allowed, 2 blocked; top reasons: deploy.freeze ×2"
        in gate("metrics", "--since", "2026-01-01").out
    )


def test_no_releases_is_a_clear_empty_answer(repo, gate):
    repo.commit("chore: start")
    result = gate("metrics", "--format", "json")
    assert result.code == 0
    document = json.loads(result.out)
    assert document["releases"] == [] and document["totals"]["lead_time"]["median_hours"] is None
    assert "no release tags in this range" in gate("metrics").out


def test_shallow_clone_is_an_error(history, gate, tmp_path, monkeypatch):
    clone = tmp_path / "shallow"
    history.git(
        "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{history.path}", str(clone)
    )
    monkeypatch.chdir(clone)
    history.git(
        "-C", str(clone), "fetch", "-q", "--depth", "1", "origin", "refs/tags/*:refs/tags/*"
    )
    result = gate("metrics")
    assert result.code == 3
    assert "shallow clone" in result.err and "git fetch --unshallow" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since 'yesterday' is not a date"),
        (["--since", "2026-05-01", "--until", "2026-04-01"], "is not before --until"),
        (["--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_bad_arguments_exit_2(history, gate, args, message):
    result = gate("metrics", *args)
    assert result.code == 2
    assert message in result.err
