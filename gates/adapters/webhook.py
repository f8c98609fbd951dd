"""`--notify URL`: a short message to a Slack, Google Chat or Microsoft Teams webhook.

A timeout on each attempt, a few retries with a growing pause on a network
error, a 5xx or a 429; never on another 4xx (the URL or payload is wrong).
A notification that fails is reported to the caller, which logs it: it never
changes a verdict.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

FORMATS = ("slack", "google-chat", "teams")


@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    detail: str


def format_for(url: str, configured: str = "auto") -> str:
    """The payload a webhook URL expects: by policy, else by its host (Slack's shape by default)."""
    if configured != "auto":
        return configured
    host = (urlsplit(url).hostname or "").lower()
    if host == "chat.googleapis.com":
        return "google-chat"
    if host.endswith(
        ("webhook.office.com", "logic.azure.com", "powerplatform.com", "powerautomate.com")
    ):
        return "teams"
    return "slack"


def payload(kind: str, title: str, lines: list[str], link: str | None) -> dict[str, Any]:
    if kind == "teams":
        body: list[dict[str, Any]] = [
            {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True}
        ]
        body += [
            {"type": "TextBlock", "text": line, "wrap": True, "spacing": "None"} for line in lines
        ]
        card: dict[str, Any] = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
        }
        if link:
            card["actions"] = [{"type": "Action.OpenUrl", "title": "Open the run", "url": link}]
        return {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
    # Slack and Google Chat both take `text` with <url|label> links
    text = "\n".join([f"*{title}*", *lines] + ([f"<{link}|Open the run>"] if link else []))
    return {"text": text}


def post(
    url: str, body: dict[str, Any], *, timeout: float = 5.0, retries: int = 2, delay: float = 1.0
) -> Delivery:
    scheme = urlsplit(url).scheme
    if scheme not in ("https", "http"):
        return Delivery(False, 0, f"not an http(s) URL: {scheme or 'no scheme'}")
    data = json.dumps(body).encode()
    detail = ""
    for attempt in range(1, retries + 2):
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return Delivery(True, attempt, f"HTTP {response.status}")
        except urllib.error.HTTPError as exc:
            detail = f"HTTP {exc.code}"
            if exc.code < 500 and exc.code != 429:
                return Delivery(False, attempt, detail)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            detail = f"{type(reason).__name__}: {reason}"
        if attempt <= retries:
            time.sleep(delay * 2 ** (attempt - 1))
    return Delivery(False, retries + 1, detail)
