"""What `gate run` does after the verdict: the attestation, the audit line, the alert.

None of it changes the verdict, except that an attestation or audit line
that cannot be written is an error (exit 3): a deploy must not go on
without its record.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateToolError

if TYPE_CHECKING:
    from gates.context import Context
    from gates.model import Report


def check_environment(ctx: Context, args: argparse.Namespace) -> None:
    """Before any gate runs: the deploy stage needs a known --env (exit 2 otherwise)."""
    from gates.knowledge.environments import environment_rules

    environment = getattr(args, "env", None)
    if environment:
        ctx.options["environment"] = environment
    known = ctx.policy.section("deploy").get("environments") or {}
    gated = args.stage == "deploy" and "deploy" in ctx.policy.stage("deploy")
    if gated or (environment and environment not in known):
        environment_rules(ctx.policy.section("deploy"), environment)


def _repository(ctx: Context, report: Report) -> dict[str, str | None]:
    """The report's repository facts, from git when no gate of the run needed it."""
    if report.repository.get("commit"):
        return report.repository
    return ctx.repository_info()


def after_run(ctx: Context, report: Report, args: argparse.Namespace) -> None:
    if getattr(args, "attest", None):
        write_attestation(ctx, report, Path(args.attest))
    if report.stage == "deploy":
        audit(ctx, report)
    if getattr(args, "notify", None):
        notify(ctx, report, args.notify)


def _without_credentials(url: str | None) -> str | None:
    """A remote URL without user or token: GitLab CI clones with https://gitlab-ci-token:TOKEN@…"""
    from urllib.parse import urlsplit, urlunsplit

    if not url or "://" not in url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def write_attestation(ctx: Context, report: Report, path: Path) -> None:
    from gates.adapters import attestation_file

    commit = _repository(ctx, report).get("commit") or ctx.head
    subject = _without_credentials(ctx.git.remote_url()) or f"git+file://{ctx.root}"
    from gates.knowledge.attestation import ref_of

    signed = attestation_file.write(
        path,
        report=report.to_dict(),
        commit=commit,
        subject_name=subject,
        env=ctx.env,
        now=ctx.now,
        ref=ref_of(ctx.ci.tag, _repository(ctx, report).get("branch")),
    )
    state = (
        "signed" if signed else "unsigned: set GATE_HMAC_KEY or GATE_ED25519_PRIVATE_KEY to sign"
    )
    print(
        f"gate: attestation for {commit[:12]} ({'passed' if report.passed else 'FAILED'}) written "
        f"to {path} ({state})",
        file=sys.stderr,
    )


def _reasons(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "gate": r.gate,
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "waiver": f.waiver,
        }
        for r in report.results
        for f in r.findings
        if f.severity.value in ("error", "warning")
        or f.waiver
        or f.rule.endswith("freeze-override")
    ]


def audit(ctx: Context, report: Report, extra: dict[str, Any] | None = None) -> None:
    from gates.adapters import audit_log

    name = ctx.policy.section("deploy").get("audit_log")
    if not name:
        return
    try:
        git_user = ctx.git.config("user.email")
    except GateToolError:  # the actor is best effort; the line itself is not
        git_user = None
    environment = ctx.options.get("environment")
    repository = _repository(ctx, report)
    commit = repository.get("commit")
    verdict = "allowed" if report.passed else "blocked"
    warnings = any(r.status.value == "warn" for r in report.results)
    record: dict[str, Any] = {
        "timestamp": ctx.now.isoformat(timespec="seconds"),
        "severity": audit_log.severity(report.passed, warnings),
        "message": f"deploy to {environment} of {(commit or 'unknown')[:12]} {verdict}",
        "event": "gate.deploy",
        "actor": audit_log.actor(ctx.env, git_user),
        "environment": environment,
        "commit": commit,
        "branch": repository.get("branch"),
        "tag": ctx.ci.tag,
        "verdict": verdict,
        "exit_code": report.exit_code,
        "gates": {r.gate: r.status.value for r in report.results},
        "reasons": _reasons(report),
        "policy_digest": report.policy_digest,
        "tool_version": report.tool_version,
        "run_url": ctx.ci.run_url,
    }
    record.update(extra or {})
    from gates.adapters.repo_paths import inside

    audit_log.append(inside(ctx.root, name, "deploy.audit_log"), record)


def notify(ctx: Context, report: Report, url: str) -> None:
    """Alert on a failure on a long-lived branch; a failed delivery is logged, never fatal."""
    from gates.adapters import webhook

    settings = ctx.policy.section("deploy").get("notify") or {}
    branches_section = ctx.policy.section("branches")
    long_lived = settings.get("branches") or [
        b for b in (branches_section.get("main"), branches_section.get("develop")) if b
    ]
    if report.passed:
        return
    repository = _repository(ctx, report)
    branch = repository.get("branch")
    if branch not in long_lived:
        return
    failing = [r.gate for r in report.results if r.status.blocks]
    commit = (repository.get("commit") or "")[:8]
    where = f" to {ctx.options['environment']}" if ctx.options.get("environment") else ""
    title = f"gate: {report.stage} stage{where} failed on {branch} at {commit}"
    lines = [f"failing gates: {', '.join(failing)}"]
    lines += [f"{r.gate}: {r.summary}" for r in report.results if r.status.blocks][:5]
    kind = webhook.format_for(url, str(settings.get("format", "auto")))
    delivery = webhook.post(
        url,
        webhook.payload(kind, title, lines, ctx.ci.run_url),
        timeout=float(settings.get("timeout_seconds", 5)),
        retries=int(settings.get("retries", 2)),
        delay=float(settings.get("retry_delay_seconds", 1)),
    )
    if delivery.ok:
        return
    host = url.split("/")[2] if "://" in url else url
    message = (
        f"notification to {host} failed after {delivery.attempts} attempt(s): {delivery.detail}"
    )
    print(f"gate: warning: {message} (the verdict stands)", file=sys.stderr)
    if report.stage == "deploy" and ctx.policy.section("deploy").get("audit_log"):
        from gates.adapters import audit_log
        from gates.adapters.repo_paths import inside

        audit_log.append(
            inside(ctx.root, ctx.policy.section("deploy")["audit_log"], "deploy.audit_log"),
            {
                "timestamp": ctx.now.isoformat(timespec="seconds"),
                "severity": "WARNING",
                "message": message,
                "event": "gate.notify-failed",
                "commit": repository.get("commit"),
                "environment": ctx.options.get("environment"),
            },
        )
