"""Webhooks: POST a watch list's new changes to a subscriber's URL, signed and retried.

Each dispatch takes, for every active webhook, the changes of its watch list newer than what
was last delivered (or than the webhook itself, for a new one) and sends them as one JSON
batch. The body is signed with HMAC-SHA256 of the webhook's secret; the receiver recomputes
it over the raw body and compares (:func:`verify`). A failed attempt (connection error,
timeout, any status but 2xx) is retried with exponential backoff; every attempt goes to the
delivery log (:class:`~catalog.models.WebhookDelivery`). The cursor moves only on success,
so a batch that failed every attempt is sent again, with the same delivery id, next time.

Where a webhook may point is decided by :mod:`catalog.address_policy`, at registration and
again before each attempt; the request goes to the address that was checked. Redirects are
not followed. The log keeps the status code and a fixed class of failure (``HTTP 500``,
``timeout``, ``blocked address``…), never anything the receiver sent back, because the log
is readable by whoever holds the watch list's token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import httpx
from sqlmodel import Session, col, select

from catalog.address_policy import AddressBlocked, AddressPolicy, HostUnresolved, UrlRefused
from catalog.models import WatchList, Webhook, WebhookDelivery, saved_id, utcnow
from catalog.reports.changes import Change, utc
from catalog.reports.watch import watched_changes

SIGNATURE_HEADER = "X-Tieuchuan-Signature"
DELIVERY_HEADER = "X-Tieuchuan-Delivery"
EVENT_HEADER = "X-Tieuchuan-Event"
USER_AGENT = "tieuchuan-webhooks/1"

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


def add_webhook(
    session: Session,
    watch_list: WatchList,
    url: str,
    secret: str | None = None,
    addresses: AddressPolicy | None = None,
) -> Webhook:
    """Register ``url`` for the list's changes; a secret is generated when none is given.

    The URL must pass ``addresses`` (default: from the environment), its host resolved."""
    addresses = addresses or AddressPolicy.from_env()
    try:
        target = addresses.target(url)
    except UrlRefused as exc:
        raise WebhookError(str(exc)) from exc
    if secret is not None and len(secret) < 16:
        raise WebhookError("secret: use at least 16 characters (or let one be generated)")
    hook = Webhook(
        watch_list_id=saved_id(watch_list),
        url=str(target.url),
        secret=secret or secrets.token_hex(32),
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
    addresses: AddressPolicy | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> DispatchSummary:
    """Deliver pending changes to every active webhook; commits the log after each attempt.

    ``addresses`` (default: from the environment) is checked again before every attempt."""
    policy = policy or RetryPolicy()
    addresses = addresses or AddressPolicy.from_env()
    summary = DispatchSummary()
    owned = client is None
    client = client or httpx.Client(
        timeout=policy.timeout, headers={"User-Agent": USER_AGENT}, trust_env=False
    )
    try:
        hooks = session.exec(
            select(Webhook).where(col(Webhook.active).is_(True)).order_by(col(Webhook.id))
        ).all()
        for hook in hooks:
            summary.webhooks += 1
            _deliver(session, hook, policy, addresses, client, sleep, summary)
    finally:
        if owned:
            client.close()
    return summary


def _deliver(
    session: Session,
    hook: Webhook,
    policy: RetryPolicy,
    addresses: AddressPolicy,
    client: httpx.Client,
    sleep: Callable[[float], None],
    summary: DispatchSummary,
) -> None:
    watch_list = session.get(WatchList, hook.watch_list_id)
    if watch_list is None:  # deleted since the batch was listed
        return
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
        status, error, final = _attempt(client, addresses, hook.url, body, headers, policy)
        ok = error is None
        session.add(
            WebhookDelivery(
                webhook_id=saved_id(hook),
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
        if final:
            break
        if attempt < policy.attempts:
            sleep(policy.delay(attempt))
    summary.failed += 1
    summary.failures.append(f"{hook.url}: {error}")


def _attempt(
    client: httpx.Client,
    addresses: AddressPolicy,
    url: str,
    body: bytes,
    headers: dict[str, str],
    policy: RetryPolicy,
) -> tuple[int | None, str | None, bool]:
    """One POST: (status code, failure class or None, whether retrying is pointless).

    The body of the answer is never read."""
    try:
        target = addresses.target(url)
    except AddressBlocked:
        return None, BLOCKED, True
    except HostUnresolved:
        return None, UNRESOLVED, False
    except UrlRefused:
        return None, URL_REFUSED, True
    request = client.build_request(
        "POST",
        target.request_url,
        content=body,
        headers=headers | {"Host": target.host_header},
        extensions=target.extensions,
        timeout=policy.timeout,
    )
    try:
        response = client.send(request, stream=True, follow_redirects=False)
    except httpx.HTTPError as exc:
        return None, _failure(exc), False
    response.close()
    status = response.status_code
    return status, None if response.is_success else f"HTTP {status}", False


def _failure(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return TIMEOUT
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ConnectionRefusedError):
                return REFUSED
            if isinstance(cause, ssl.SSLError):
                return TLS_FAILED
            cause = cause.__cause__ or cause.__context__
        return CONNECTION_FAILED
    if isinstance(exc, httpx.ProtocolError):
        return PROTOCOL_ERROR
    return CONNECTION_FAILED


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
