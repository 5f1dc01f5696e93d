"""Sending webhooks: every active webhook's due batch (:func:`catalog.webhooks.due_batch`)
POSTed to its URL, retried with backoff, every attempt written to the delivery log
(:class:`~catalog.models.WebhookDelivery`).

A failed attempt (connection error, timeout, any status but 2xx) is retried after the
policy's delay. Where the webhook may point is checked again before each attempt
(:mod:`api.webhooks.addresses`), and the request goes to the address that was checked.
Redirects are not followed, and the receiver's answer is never read.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable

import httpx
from sqlmodel import Session, col, select

from api.webhooks.addresses import AddressBlocked, AddressPolicy, HostUnresolved, UrlRefused
from catalog.models import Webhook, WebhookDelivery, saved_id, utcnow
from catalog.webhooks import (
    BLOCKED,
    CONNECTION_FAILED,
    PROTOCOL_ERROR,
    REFUSED,
    TIMEOUT,
    TLS_FAILED,
    UNRESOLVED,
    URL_REFUSED,
    USER_AGENT,
    Batch,
    DispatchSummary,
    RetryPolicy,
    due_batch,
)


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
            batch = due_batch(session, hook)
            if batch is not None:
                _deliver(session, hook, batch, policy, addresses, client, sleep, summary)
    finally:
        if owned:
            client.close()
    return summary


def _deliver(
    session: Session,
    hook: Webhook,
    batch: Batch,
    policy: RetryPolicy,
    addresses: AddressPolicy,
    client: httpx.Client,
    sleep: Callable[[float], None],
    summary: DispatchSummary,
) -> None:
    error: str | None = None
    for attempt in range(1, policy.attempts + 1):
        started = time.perf_counter()
        status, error, final = _attempt(client, addresses, hook.url, batch, policy)
        ok = error is None
        session.add(
            WebhookDelivery(
                webhook_id=saved_id(hook),
                delivery_id=batch.delivery_id,
                attempt=attempt,
                at=utcnow(),
                entries=len(batch.entries),
                status_code=status,
                succeeded=ok,
                error=error,
                duration_ms=round((time.perf_counter() - started) * 1000),
            )
        )
        summary.attempts += 1
        if ok:
            hook.delivered_until = batch.delivered_until
            session.add(hook)
            session.commit()
            summary.delivered += 1
            summary.changes += len(batch.entries)
            return
        session.commit()
        if final:
            break
        if attempt < policy.attempts:
            sleep(policy.delay(attempt))
    summary.failed += 1
    summary.failures.append(f"{hook.url}: {error}")


def _attempt(
    client: httpx.Client, addresses: AddressPolicy, url: str, batch: Batch, policy: RetryPolicy
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
        content=batch.body,
        headers=batch.headers | {"Host": target.host_header},
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
