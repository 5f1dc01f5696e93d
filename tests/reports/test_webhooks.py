"""Webhooks against a real HTTP receiver on a loopback port: signature, retries, the log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import col, select

from catalog.models import WebhookDelivery
from catalog.reports.watch import create_watch_list
from catalog.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    RetryPolicy,
    WebhookError,
    add_webhook,
    dispatch,
    verify,
)

from .feeds import LONG_AGO, build_catalog, record_history

FAST = RetryPolicy(attempts=3, first_delay=0.01, factor=2.0, timeout=5.0)
SECRET = "s3cret-for-the-test-receiver"


class Receiver:
    """Answers each POST with the next status of ``statuses`` (200 when none are left)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory() -> Iterator:
    started: list[Receiver] = []

    def start(statuses: list[int]) -> Receiver:
        receiver = Receiver(statuses)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()


@pytest.fixture
def watched(session):
    cat, history = build_catalog(session)
    watch = create_watch_list(session, "Chè", categories=["che"])
    session.commit()
    return cat, history, watch


def deliveries(session) -> list[tuple]:
    rows = session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()
    return [(r.attempt, r.status_code, r.succeeded, r.entries) for r in rows]


def test_receiver_that_fails_then_recovers(session, watched, receiver_factory):
    cat, history, watch = watched
    receiver = receiver_factory([500, 503])
    hook = add_webhook(session, watch, receiver.url, SECRET)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    waits: list[float] = []
    summary = dispatch(session, policy=FAST, sleep=waits.append)
    assert (summary.delivered, summary.failed, summary.attempts, summary.changes) == (1, 0, 3, 3)
    assert waits == [0.01, 0.02]  # exponential backoff between attempts
    assert deliveries(session) == [(1, 500, False, 3), (2, 503, False, 3), (3, 200, True, 3)]
    bodies = {body for _, body in receiver.requests}
    assert len(bodies) == 1  # every retry sends the same batch
    headers, body = receiver.requests[-1]
    assert verify(SECRET, body, headers[SIGNATURE_HEADER])
    assert not verify("another-secret-entirely", body, headers[SIGNATURE_HEADER])
    data = json.loads(body)
    assert data["delivery_id"] == headers[DELIVERY_HEADER]
    assert [(c["kind"], c["document"]["code"]) for c in data["changes"]] == [
        ("superseded", "TCVN 5603:2008"),
        ("added", "TCVN 5603:2023"),
        ("updated", "QCVN 8-2:2011/BYT"),
    ]
    # Delivered: nothing is sent again.
    again = dispatch(session, policy=FAST, sleep=waits.append)
    assert (again.attempts, again.delivered) == (0, 0)
    assert len(receiver.requests) == 3


def test_unreachable_receiver_keeps_the_batch_for_next_time(session, watched, receiver_factory):
    cat, history, watch = watched
    down = receiver_factory([])
    url = down.url
    down.close()  # nothing listens on that port any more
    hook = add_webhook(session, watch, url, SECRET)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    summary = dispatch(session, policy=FAST, sleep=lambda _: None)
    assert (summary.delivered, summary.failed, summary.attempts) == (0, 1, 3)
    rows = session.exec(select(WebhookDelivery)).all()
    assert all(r.status_code is None and "ConnectError" in r.error for r in rows)
    assert hook.delivered_until is None
    # The receiver comes back (a new one on a new port): the same batch is delivered.
    up = receiver_factory([])
    hook.url = up.url
    session.add(hook)
    session.commit()
    summary = dispatch(session, policy=FAST, sleep=lambda _: None)
    assert (summary.delivered, summary.attempts, summary.changes) == (1, 1, 3)
    first_id = rows[0].delivery_id
    assert json.loads(up.requests[0][1])["delivery_id"] == first_id


def test_new_webhook_gets_only_later_changes(session, watched, receiver_factory):
    cat, history, watch = watched
    record_history(session, cat, history)  # all before the webhook exists
    receiver = receiver_factory([])
    add_webhook(session, watch, receiver.url)
    session.commit()
    summary = dispatch(session, policy=FAST, sleep=lambda _: None)
    assert (summary.webhooks, summary.attempts) == (1, 0)
    assert receiver.requests == []


def test_webhook_url_and_secret_are_checked(session, watched):
    _, _, watch = watched
    with pytest.raises(WebhookError, match="http"):
        add_webhook(session, watch, "ftp://example.org/x")
    with pytest.raises(WebhookError, match="16 characters"):
        add_webhook(session, watch, "https://example.org/x", "short")
    assert len(add_webhook(session, watch, "https://example.org/x").secret) == 64
