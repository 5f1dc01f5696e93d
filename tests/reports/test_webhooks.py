"""Webhooks against a real HTTP receiver on a loopback port: signature, retries, the log,
and the address policy that keeps them off loopback and private networks."""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from api.webhooks.addresses import WEB_PORTS, AddressPolicy
from api.webhooks.delivery import dispatch
from api.webhooks.registration import add_webhook
from catalog.models import WebhookDelivery
from catalog.reports.watch import create_watch_list
from catalog.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    RetryPolicy,
    WebhookError,
    public_error,
    verify,
)

from .feeds import LONG_AGO, build_catalog, fake_dns, record_history

FAST = RetryPolicy(attempts=3, first_delay=0.01, factor=2.0, timeout=5.0)
SECRET = "s3cret-for-the-test-receiver"
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)
PUBLIC_IP = "93.184.215.14"  # any global address; nothing is ever sent to it
LEAK = b'{"internal":"INTERNAL-ONLY admin panel; db_password=hunter2"}'


class Receiver:
    """Answers each POST with the next status of ``statuses`` (200 when none are left) and
    the body ``reply``; over TLS with ``tls`` (certificate file, key file)."""

    def __init__(
        self, statuses: list[int], reply: bytes = b"ok", tls: tuple[Path, Path] | None = None
    ) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        self.server_names: list[str | None] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        scheme = "http"
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def loopback(*receivers: Receiver, names: dict[str, list[str]] | None = None) -> AddressPolicy:
    """What tests with a real receiver allow: loopback, on the receivers' ports."""
    return AddressPolicy(
        LOOPBACK, WEB_PORTS | {r.port for r in receivers}, resolve=fake_dns(names or {})
    )


@pytest.fixture
def receiver_factory() -> Iterator:
    started: list[Receiver] = []

    def start(statuses: list[int], **options) -> Receiver:
        receiver = Receiver(statuses, **options)
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
    addresses = loopback(receiver)
    hook = add_webhook(session, watch, receiver.url, SECRET, addresses)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    waits: list[float] = []
    summary = dispatch(session, policy=FAST, addresses=addresses, sleep=waits.append)
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
    again = dispatch(session, policy=FAST, addresses=addresses, sleep=waits.append)
    assert (again.attempts, again.delivered) == (0, 0)
    assert len(receiver.requests) == 3


def test_unreachable_receiver_keeps_the_batch_for_next_time(session, watched, receiver_factory):
    cat, history, watch = watched
    down = receiver_factory([])
    url = down.url
    down.close()  # nothing listens on that port any more
    hook = add_webhook(session, watch, url, SECRET, loopback(down))
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    summary = dispatch(session, policy=FAST, addresses=loopback(down), sleep=lambda _: None)
    assert (summary.delivered, summary.failed, summary.attempts) == (0, 1, 3)
    rows = session.exec(select(WebhookDelivery)).all()
    assert [(r.status_code, r.error) for r in rows] == [(None, "connection refused")] * 3
    assert hook.delivered_until is None
    # The receiver comes back (a new one on a new port): the same batch is delivered.
    up = receiver_factory([])
    hook.url = up.url
    session.add(hook)
    session.commit()
    summary = dispatch(session, policy=FAST, addresses=loopback(up), sleep=lambda _: None)
    assert (summary.delivered, summary.attempts, summary.changes) == (1, 1, 3)
    first_id = rows[0].delivery_id
    assert json.loads(up.requests[0][1])["delivery_id"] == first_id


def test_new_webhook_gets_only_later_changes(session, watched, receiver_factory):
    cat, history, watch = watched
    record_history(session, cat, history)  # all before the webhook exists
    receiver = receiver_factory([])
    add_webhook(session, watch, receiver.url, addresses=loopback(receiver))
    session.commit()
    summary = dispatch(session, policy=FAST, addresses=loopback(receiver), sleep=lambda _: None)
    assert (summary.webhooks, summary.attempts) == (1, 0)
    assert receiver.requests == []


def test_webhook_url_and_secret_are_checked(session, watched):
    _, _, watch = watched
    public = AddressPolicy(resolve=fake_dns({"example.org": [PUBLIC_IP]}))
    with pytest.raises(WebhookError, match="http"):
        add_webhook(session, watch, "ftp://example.org/x", addresses=public)
    with pytest.raises(WebhookError, match="16 characters"):
        add_webhook(session, watch, "https://example.org/x", "short", public)
    hook = add_webhook(session, watch, "https://example.org/x", addresses=public)
    assert (hook.url, len(hook.secret)) == ("https://example.org/x", 64)


HOSTILE = [
    ("http://127.0.0.1/leak", "127.0.0.1 is a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.1/x", "private"),
    ("http://172.16.5.4/x", "private"),
    ("http://192.168.1.1/x", "private"),
    ("http://100.64.0.1/x", "carrier-grade NAT"),
    ("http://2130706433/x", "2130706433 resolves to 127.0.0.1, which is a loopback"),
    ("http://0x7f.1/x", "resolves to 127.0.0.1"),
    ("http://[::ffff:127.0.0.1]/x", "loopback address (127.0.0.1, embedded as IPv4-mapped)"),
    ("http://[::ffff:a9fe:a9fe]/x", "link-local address (169.254.169.254, embedded as IPv4"),
    ("http://[::7f00:1]/x", "embedded as IPv4-compatible"),
    ("http://[2002:7f00:1::1]/x", "embedded as 6to4"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", "embedded as Teredo"),
    ("http://[::1]/x", "loopback"),
    ("http://[fe80::1]/x", "link-local"),
    ("http://[fd00::1]/x", "unique-local"),
    ("http://[ff02::1]/x", "multicast"),
    ("http://224.0.0.251/x", "multicast"),
    ("http://0.0.0.0/x", "unspecified"),
    ("http://[::]/x", "unspecified"),
    ("http://240.0.0.1/x", "reserved"),
    ("http://localhost/x", "localhost resolves to"),
    ("http://internal.example/x", "resolves to 10.1.2.3, which is a private address"),
    ("http://mixed.example/x", "resolves to 192.168.0.9"),  # one bad address is enough
    ("http://user:pw@hooks.example/x", "user name or password"),
    ("https://hooks.example:8443/x", "port 8443 is not allowed (allowed: 80, 443)"),
    ("ftp://hooks.example/x", "expected an http(s) URL"),
    ("gopher://hooks.example/x", "expected an http(s) URL"),
    ("http://nothing.invalid/x", "does not resolve"),
]
NAMES = {
    "hooks.example": [PUBLIC_IP],
    "internal.example": ["10.1.2.3"],
    "mixed.example": [PUBLIC_IP, "192.168.0.9"],
    "nothing.invalid": [],
}


@pytest.mark.parametrize(("url", "why"), HOSTILE)
def test_hostile_urls_are_refused_at_registration(session, watched, url, why):
    _, _, watch = watched
    with pytest.raises(WebhookError, match=why.replace("(", r"\(").replace(")", r"\)")):
        add_webhook(session, watch, url, addresses=AddressPolicy(resolve=fake_dns(NAMES)))


def test_meilisearch_port_is_refused_even_when_the_port_is_allowed(session, watched, meili_server):
    _, _, watch = watched
    port = httpx.URL(meili_server.url).port
    with pytest.raises(WebhookError, match=f"port {port} is not allowed"):
        add_webhook(session, watch, f"http://localhost:{port}/keys", addresses=AddressPolicy())
    widened = AddressPolicy(allowed_ports=WEB_PORTS | {port})
    with pytest.raises(WebhookError, match="loopback"):
        add_webhook(session, watch, f"http://localhost:{port}/keys", addresses=widened)


def test_policy_from_the_environment():
    assert AddressPolicy.from_env({}) == AddressPolicy()
    policy = AddressPolicy.from_env(
        {
            "TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8, ::1",
            "TIEUCHUAN_WEBHOOK_ALLOW_PORTS": "8080",
        }
    )
    assert policy.allowed_ports == {80, 443, 8080}
    assert policy.refusal(ipaddress.ip_address("127.0.0.5")) is None
    assert policy.refusal(ipaddress.ip_address("::1")) is None
    assert policy.refusal(ipaddress.ip_address("10.0.0.1")) == "a private address"
    with pytest.raises(ValueError, match="ALLOW_NETWORKS"):
        AddressPolicy.from_env({"TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS": "localhost"})
    with pytest.raises(ValueError, match="ALLOW_PORTS"):
        AddressPolicy.from_env({"TIEUCHUAN_WEBHOOK_ALLOW_PORTS": "70000"})


def test_name_that_turns_private_after_registration_is_not_delivered_to(
    session, watched, receiver_factory
):
    """DNS rebinding: public when registered, loopback at delivery time."""
    cat, history, watch = watched
    receiver = receiver_factory([])
    url = f"http://hooks.example:{receiver.port}/hook"
    ports = WEB_PORTS | {receiver.port}
    registered = AddressPolicy(
        allowed_ports=ports, resolve=fake_dns({"hooks.example": [PUBLIC_IP]})
    )
    hook = add_webhook(session, watch, url, SECRET, registered)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    rebound = AddressPolicy(allowed_ports=ports, resolve=fake_dns({"hooks.example": ["127.0.0.1"]}))
    summary = dispatch(session, policy=FAST, addresses=rebound, sleep=lambda _: None)
    assert (summary.delivered, summary.failed, summary.attempts) == (0, 1, 1)  # no retries
    assert deliveries(session) == [(1, None, False, 3)]
    assert session.exec(select(WebhookDelivery.error)).all() == ["blocked address"]
    assert receiver.requests == []
    # localhost itself, resolved by the system at delivery time, is refused the same way.
    hook.url = f"http://localhost:{receiver.port}/hook"
    session.add(hook)
    session.commit()
    summary = dispatch(session, policy=FAST, addresses=rebound, sleep=lambda _: None)
    assert (summary.failed, summary.attempts, receiver.requests) == (1, 1, [])


def test_delivery_connects_to_the_checked_address(session, watched, receiver_factory, monkeypatch):
    """The name is resolved once, by the policy; the connection goes to that address with
    the name in the Host header, so a second DNS answer is never asked for."""
    cat, history, watch = watched
    receiver = receiver_factory([])
    addresses = loopback(receiver, names={"hooks.test": ["127.0.0.1"]})
    hook = add_webhook(session, watch, f"http://hooks.test:{receiver.port}/hook", SECRET, addresses)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        assert host != "hooks.test", "the HTTP client resolved the name again"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    summary = dispatch(session, policy=FAST, addresses=addresses, sleep=lambda _: None)
    assert (summary.delivered, summary.attempts) == (1, 1)
    headers, _ = receiver.requests[0]
    assert headers["Host"] == f"hooks.test:{receiver.port}"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for the name hooks.test (made with the openssl tool)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=hooks.test", "-addext", "subjectAltName=DNS:hooks.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_delivery_to_the_checked_address_verifies_the_name(
    session, watched, receiver_factory, certificate
):
    """Over TLS the connection goes to the checked address while SNI and the certificate
    check use the URL's name."""
    cat, history, watch = watched
    receiver = receiver_factory([], tls=certificate)
    addresses = loopback(receiver, names={"hooks.test": ["127.0.0.1"]})
    url = f"https://hooks.test:{receiver.port}/hook"
    hook = add_webhook(session, watch, url, SECRET, addresses)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    with httpx.Client(verify=trusting, trust_env=False) as client:
        summary = dispatch(session, policy=FAST, addresses=addresses, client=client)
    assert (summary.delivered, summary.attempts) == (1, 1)
    assert receiver.server_names == ["hooks.test"]
    assert receiver.requests[0][0]["Host"] == f"hooks.test:{receiver.port}"
    # A certificate that does not name the host fails as a TLS error, and nothing is sent.
    hook.url = f"https://other.test:{receiver.port}/hook"
    hook.delivered_until = None  # send the same batch again
    session.add(hook)
    session.commit()
    other = loopback(receiver, names={"other.test": ["127.0.0.1"]})
    with httpx.Client(verify=trusting, trust_env=False) as client:
        summary = dispatch(
            session, policy=FAST, addresses=other, client=client, sleep=lambda _: None
        )
    assert summary.failed == 1
    assert session.exec(select(WebhookDelivery.error)).all()[-1] == "TLS error"
    assert len(receiver.requests) == 1


def test_log_keeps_no_reply_text(session, watched, receiver_factory):
    cat, history, watch = watched
    receiver = receiver_factory([403, 500, 302], reply=LEAK)
    addresses = loopback(receiver)
    hook = add_webhook(session, watch, receiver.url, SECRET, addresses)
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    summary = dispatch(session, policy=FAST, addresses=addresses, sleep=lambda _: None)
    assert summary.failed == 1 and len(receiver.requests) == 3  # the 302 is not followed
    rows = session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()
    assert [r.error for r in rows] == ["HTTP 403", "HTTP 500", "HTTP 302"]
    assert summary.failures == [f"{receiver.url}: HTTP 302"]


def test_rows_logged_with_reply_text_show_only_their_class():
    assert public_error(403, f"HTTP 403: {LEAK.decode()}") == "HTTP 403"
    assert public_error(None, "ConnectError: [Errno 111] Connection refused") == (
        "connection refused"
    )
    assert public_error(None, "ReadTimeout: timed out") == "timeout"
    assert public_error(None, "RemoteProtocolError: Server disconnected: <html>") == (
        "connection failed"
    )
    assert public_error(None, "blocked address") == "blocked address"
    assert public_error(200, None) is None


def test_silent_receiver_is_logged_as_a_timeout(session, watched):
    cat, history, watch = watched
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        addresses = AddressPolicy(LOOPBACK, WEB_PORTS | {port})
        hook = add_webhook(session, watch, f"http://127.0.0.1:{port}/hook", SECRET, addresses)
        hook.created_at = LONG_AGO
        session.commit()
        record_history(session, cat, history)
        quick = RetryPolicy(attempts=2, first_delay=0.0, timeout=0.3)
        summary = dispatch(session, policy=quick, addresses=addresses, sleep=lambda _: None)
    assert (summary.failed, summary.attempts) == (1, 2)
    assert session.exec(select(WebhookDelivery.error)).all() == ["timeout", "timeout"]
