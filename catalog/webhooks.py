"""Webhooks, the part without I/O: what a delivery sends, how it is signed, what is due, when
to retry, and how a failure is shown. Sending (httpx, retries, sleeping) and where a webhook
may point are the API side's (:mod:`api.webhooks`).

A delivery takes, for a webhook, the changes of its watch list newer than what was last
delivered (or than the webhook itself, for a new one) and sends them as one JSON batch. The
body is signed with HMAC-SHA256 of the webhook's secret; the receiver recomputes it over the
raw body and compares (:func:`verify`). The cursor moves only on success, so a batch that
failed every attempt is sent again, with the same delivery id (:func:`delivery_id`), next
time. The log keeps the status code and a fixed class of failure (``HTTP 500``, ``timeout``,
``blocked address``…), never anything the receiver sent back, because the log is readable by
whoever holds the watch list's token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from catalog.models import WatchList, Webhook, saved_id
from catalog.reports.changes import Change, utc
from catalog.reports.watch import watched_changes

SIGNATURE_HEADER = "X-Tieuchuan-Signature"
DELIVERY_HEADER = "X-Tieuchuan-Delivery"
EVENT_HEADER = "X-Tieuchuan-Event"
USER_AGENT = "tieuchuan-webhooks/1"
MIN_SECRET = 16

# The failures the delivery log may show, besides "HTTP <status>".
TIMEOUT = "timeout"
REFUSED = "connection refused"
CONNECTION_FAILED = "connection failed"
TLS_FAILED = "TLS error"
PROTOCOL_ERROR = "protocol error"
UNRESOLVED = "DNS lookup failed"
BLOCKED = "blocked address"
URL_REFUSED = "URL refused"
FAILURES = frozenset(
    {
        TIMEOUT,
        REFUSED,
        CONNECTION_FAILED,
        TLS_FAILED,
        PROTOCOL_ERROR,
        UNRESOLVED,
        BLOCKED,
        URL_REFUSED,
    }
)


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


def new_webhook(watch_list: WatchList, url: str, secret: str | None = None) -> Webhook:
    """A webhook of the list to ``url`` (already checked where it may point); a secret is
    generated when none is given."""
    if secret is not None and len(secret) < MIN_SECRET:
        raise WebhookError("secret: use at least 16 characters (or let one be generated)")
    return Webhook(
        watch_list_id=saved_id(watch_list), url=url, secret=secret or secrets.token_hex(32)
    )


@dataclass(frozen=True)
class Batch:
    """One delivery due to a webhook: its body, headers and what it carries."""

    delivery_id: str
    body: bytes
    headers: dict[str, str]
    entries: list[Change]

    @property
    def delivered_until(self) -> datetime:
        """The webhook's cursor once the batch is accepted."""
        return max(e.at for e in self.entries)


def due_batch(session: Session, hook: Webhook) -> Batch | None:
    """The changes of the hook's list not yet delivered, as one signed batch (None: none)."""
    watch_list = session.get(WatchList, hook.watch_list_id)
    if watch_list is None:  # deleted since the webhooks were listed
        return None
    cursor = utc(hook.delivered_until or hook.created_at)
    entries = watched_changes(session, watch_list, cursor, after=True)
    if not entries:
        return None
    identity = delivery_id(saved_id(hook), entries)
    body = payload(watch_list, identity, entries)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(hook.secret, body),
        DELIVERY_HEADER: identity,
        EVENT_HEADER: "changes",
    }
    return Batch(identity, body, headers, entries)


def delivery_id(hook_id: int, entries: list[Change]) -> str:
    """The same for the same hook and changes, so a retried batch is recognised."""
    return hashlib.sha256(f"{hook_id}:{','.join(e.id for e in entries)}".encode()).hexdigest()[:32]


def payload(watch_list: WatchList, delivery_id: str, entries: list[Change]) -> bytes:
    """The JSON body of one delivery."""
    data = {
        "delivery_id": delivery_id,
        "watch_list": {"name": watch_list.name, "token": watch_list.token},
        "changes": [asdict(e) | {"title": e.title} for e in reversed(entries)],  # oldest first
    }
    return json.dumps(data, default=_json_default, ensure_ascii=False, sort_keys=True).encode()


def public_error(status_code: int | None, error: str | None) -> str | None:
    """The failure as the delivery log shows it: one of :data:`FAILURES` or ``HTTP <status>``.

    Rows written before the log kept only classes may hold text from the receiver's answer
    (``HTTP 403: <body>``) or an exception's message; only their class is shown."""
    if error is None or error in FAILURES:
        return error
    if status_code is not None:
        return f"HTTP {status_code}"
    kind = error.partition(":")[0]
    if kind.endswith("Timeout"):
        return TIMEOUT
    if kind == "ConnectError" and "refused" in error.lower():
        return REFUSED
    return CONNECTION_FAILED


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")
