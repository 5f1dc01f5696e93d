"""Webhooks: POST a watch list's new changes to a subscriber's URL, signed and retried.

Each dispatch takes, for every active webhook, the changes of its watch list newer than what
was last delivered (or than the webhook itself, for a new one) and sends them as one JSON
batch. The body is signed with HMAC-SHA256 of the webhook's secret; the receiver recomputes
it over the raw body and compares (:func:`verify`). A failed attempt (connection error,
timeout, any status but 2xx) is retried with exponential backoff; every attempt goes to the
delivery log (:class:`~catalog.models.WebhookDelivery`). The cursor moves only on success,
so a batch that failed every attempt is sent again, with the same delivery id, next time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import httpx
from sqlmodel import Session, col, select

from catalog.models import WatchList, Webhook, WebhookDelivery, utcnow
from catalog.reports.changes import Change, utc
from catalog.reports.watch import watched_changes

SIGNATURE_HEADER = "X-Tieuchuan-Signature"
DELIVERY_HEADER = "X-Tieuchuan-Delivery"
EVENT_HEADER = "X-Tieuchuan-Event"
USER_AGENT = "tieuchuan-webhooks/1"


def sign(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=<hex HMAC-SHA256 of body with secret>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return signature is not None and hmac.compare_digest(sign(secret, body), signature)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_delay: float = 1.0  # seconds before the second attempt
    factor: float = 2.0
    max_delay: float = 300.0
    timeout: float = 10.0  # per request

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return min(self.first_delay * self.factor ** (attempt - 1), self.max_delay)


@dataclass
class DispatchSummary:
    webhooks: int = 0
    delivered: int = 0  # batches accepted
    failed: int = 0  # batches that failed every attempt
    attempts: int = 0
    changes: int = 0  # changes in accepted batches
    failures: list[str] = field(default_factory=list)


class WebhookError(ValueError):
    """A webhook cannot be registered as asked."""


def add_webhook(
    session: Session, watch_list: WatchList, url: str, secret: str | None = None
) -> Webhook:
    """Register ``url`` for the list's changes; a secret is generated when none is given."""
    parsed = httpx.URL(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise WebhookError(f"url: expected an http(s) URL with a host, got {url!r}")
    if secret is not None and len(secret) < 16:
        raise WebhookError("secret: use at least 16 characters (or let one be generated)")
    hook = Webhook(
        watch_list_id=watch_list.id, url=str(parsed), secret=secret or secrets.token_hex(32)
    )
    session.add(hook)
    session.flush()
    return hook


def payload(watch_list: WatchList, delivery_id: str, entries: list[Change]) -> bytes:
    """The JSON body of one delivery."""
    data = {
        "delivery_id": delivery_id,
        "watch_list": {"name": watch_list.name, "token": watch_list.token},
        "changes": [asdict(e) | {"title": e.title} for e in reversed(entries)],  # oldest first
    }
    return json.dumps(data, default=_json_default, ensure_ascii=False, sort_keys=True).encode()


def dispatch(
    session: Session,
    *,
    policy: RetryPolicy | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> DispatchSummary:
    """Deliver pending changes to every active webhook; commits the log after each attempt."""
    policy = policy or RetryPolicy()
    summary = DispatchSummary()
    owned = client is None
    client = client or httpx.Client(timeout=policy.timeout, headers={"User-Agent": USER_AGENT})
    try:
        hooks = session.exec(
            select(Webhook).where(col(Webhook.active).is_(True)).order_by(col(Webhook.id))
        ).all()
        for hook in hooks:
            summary.webhooks += 1
            _deliver(session, hook, policy, client, sleep, summary)
    finally:
        if owned:
            client.close()
    return summary


def _deliver(session, hook: Webhook, policy, client, sleep, summary: DispatchSummary) -> None:
    watch_list = session.get(WatchList, hook.watch_list_id)
    cursor = utc(hook.delivered_until or hook.created_at)
    entries = watched_changes(session, watch_list, cursor, after=True)
    if not entries:
        return
    delivery_id = hashlib.sha256(
        f"{hook.id}:{','.join(e.id for e in entries)}".encode()
    ).hexdigest()[:32]
    body = payload(watch_list, delivery_id, entries)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(hook.secret, body),
        DELIVERY_HEADER: delivery_id,
        EVENT_HEADER: "changes",
    }
    for attempt in range(1, policy.attempts + 1):
        started = time.perf_counter()
        status, error = None, None
        try:
            response = client.post(hook.url, content=body, headers=headers, timeout=policy.timeout)
            status = response.status_code
            if not response.is_success:
                error = f"HTTP {status}: {response.text[:200]}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        ok = error is None
        session.add(
            WebhookDelivery(
                webhook_id=hook.id,
                delivery_id=delivery_id,
                attempt=attempt,
                at=utcnow(),
                entries=len(entries),
                status_code=status,
                succeeded=ok,
                error=error,
                duration_ms=round((time.perf_counter() - started) * 1000),
            )
        )
        summary.attempts += 1
        if ok:
            hook.delivered_until = max(e.at for e in entries)
            session.add(hook)
            session.commit()
            summary.delivered += 1
            summary.changes += len(entries)
            return
        session.commit()
        if attempt < policy.attempts:
            sleep(policy.delay(attempt))
    summary.failed += 1
    summary.failures.append(f"{hook.url}: {error}")


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")
