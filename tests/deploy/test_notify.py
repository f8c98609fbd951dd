"""`gate run --notify URL`: webhook messages, tested against a local HTTP server."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gates.adapters import webhook


class Hook:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.bodies: list[dict] = []
        self.attempts = 0
        self.delay = 0.0


@pytest.fixture
def server():
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            hook.attempts += 1
            if hook.delay:
                threading.Event().wait(hook.delay)
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            if hook.attempts <= hook.failures:
                self.send_response(503)
                self.end_headers()
                return
            hook.bodies.append(json.loads(body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    hook.url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    yield hook
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def failing_main(release, junit_reports):
    shutil.copy(junit_reports["broken"], release.path / "junit.xml")
    return release


def test_failure_on_main_posts_a_slack_message(failing_main, gate, server, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_REF_NAME", "main")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/app")
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    result = gate("run", "--stage", "ci", "--notify", server.url)
    assert result.code == 1
    assert len(server.bodies) == 1
    text = server.bodies[0]["text"]
    assert text.startswith(f"*gate: ci stage failed on main at {failing_main.head[:8]}*")
    assert "failing gates: tests" in text
    assert "<https://github.com/acme/app/actions/runs/42|Open the run>" in text


@pytest.mark.parametrize("kind", ["teams", "google-chat"])
def test_teams_and_google_chat_payloads(failing_main, gate, server, kind):
    failing_main.write(
        ".gate.yaml", (failing_main.path / ".gate.yaml").read_text() + f"    format: {kind}\n"
    )
    assert gate("run", "--stage", "ci", "--notify", server.url).code == 1
    body = server.bodies[0]
    if kind == "teams":
        card = body["attachments"][0]["content"]
        assert body["type"] == "message"
        assert card["type"] == "AdaptiveCard"
        assert card["body"][0]["text"].startswith("gate: ci stage failed on main")
    else:
        assert body["text"].startswith("*gate: ci stage failed on main")


def test_retries_then_delivers(failing_main, gate, server):
    server.failures = 2
    assert gate("run", "--stage", "ci", "--notify", server.url).code == 1
    assert server.attempts == 3
    assert len(server.bodies) == 1


def test_failed_notification_is_logged_and_never_changes_the_verdict(failing_main, gate, server):
    server.failures = 10
    result = gate("run", "--stage", "ci", "--notify", server.url)
    assert result.code == 1
    assert server.attempts == 3  # the first try and two retries
    assert "notification to 127.0.0.1" in result.err
    assert "HTTP 503" in result.err and "the verdict stands" in result.err
    shutil.copy(failing_main.path / "junit.xml", failing_main.path / "broken.xml")
    result = gate(
        "run", "--stage", "ci", "--skip", "tests", "--notify", "http://127.0.0.1:9/closed"
    )
    assert result.code == 0  # passed: nothing to notify, and no delivery attempted
    assert result.err == ""


def test_deploy_failure_notification_failure_goes_to_the_audit_log(release, gate, server):
    server.failures = 10
    release.branch("develop-2")
    release.checkout("develop")
    release.git("branch", "-D", "develop-2")
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text()
        + "  environments:\n    staging:\n      branches: [release/*]\n",
    )
    result = gate("run", "--stage", "deploy", "--env", "staging", "--notify", server.url)
    assert result.code == 1
    lines = [
        json.loads(line)
        for line in (release.path / ".gate" / "audit.jsonl").read_text().splitlines()
    ]
    assert [line["event"] for line in lines] == ["gate.deploy", "gate.notify-failed"]
    assert lines[1]["severity"] == "WARNING"


def test_no_message_for_short_lived_branches(failing_main, gate, server):
    failing_main.branch("feature/x")
    assert gate("run", "--stage", "ci", "--notify", server.url).code == 1
    assert server.attempts == 0


def test_timeout_and_unreachable_hosts_fail_softly(server):
    delivery = webhook.post(
        "http://127.0.0.1:9/closed", {"text": "x"}, timeout=0.5, retries=1, delay=0
    )
    assert not delivery.ok
    assert delivery.attempts == 2
    assert webhook.post("ftp://example.com/x", {"text": "x"}).detail == "not an http(s) URL: ftp"


@pytest.mark.parametrize(
    "url,kind",
    [
        ("https://hooks.slack.com/services/T/B/X", "slack"),
        ("https://chat.googleapis.com/v1/spaces/AAA/messages?key=k", "google-chat"),
        ("https://acme.webhook.office.com/webhookb2/x", "teams"),
        ("https://prod-01.westus.logic.azure.com/workflows/x", "teams"),
        ("https://example.com/hook", "slack"),
    ],
)
def test_payload_format_from_the_host(url, kind):
    assert webhook.format_for(url) == kind


def test_a_slow_webhook_times_out(server):
    server.delay = 1.0
    delivery = webhook.post(server.url, {"text": "x"}, timeout=0.2, retries=1, delay=0)
    assert not delivery.ok
    assert delivery.attempts == 2
    assert "timed out" in delivery.detail
