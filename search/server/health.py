"""Is a server there and healthy, and which ports are free."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx

from search.errors import MeiliError, MeiliUnavailable


def _probe(client: httpx.Client, url: str, timeout: float) -> str | None:
    """GET /health once; None when available, else a short cause."""
    try:
        response = client.get(f"{url}/health", timeout=timeout)
    except httpx.TimeoutException:
        return f"no answer within {timeout:g} s"
    except httpx.ConnectError as exc:
        return "connection refused" if "refused" in str(exc).lower() else str(exc)
    except httpx.HTTPError as exc:
        return str(exc) or type(exc).__name__
    if response.status_code != 200:
        return f"GET /health answered HTTP {response.status_code}"
    try:
        status = response.json().get("status")
    except (ValueError, AttributeError):
        return "GET /health did not answer Meilisearch JSON"
    return None if status == "available" else f"health status is {status!r}"


def check_reachable(url: str, timeout: float = 1.0) -> None:
    """Probe GET /health once; raise MeiliUnavailable (naming url and cause) if not available."""
    url = url.rstrip("/")
    with httpx.Client() as client:
        cause = _probe(client, url, timeout)
    if cause is not None:
        raise MeiliUnavailable(url, cause)


def wait_healthy(
    url: str, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll GET /health until available; raise MeiliUnavailable after `timeout` seconds.

    When `process` is given and exits first, raise MeiliError at once.
    """
    url = url.rstrip("/")
    deadline = time.monotonic() + timeout
    with httpx.Client() as client:
        while True:
            if process is not None and process.poll() is not None:
                raise MeiliError(
                    f"meilisearch exited with code {process.returncode} "
                    f"before becoming healthy at {url}"
                )
            remaining = deadline - time.monotonic()
            cause = _probe(client, url, max(0.05, min(1.0, remaining)))
            if cause is None:
                return
            if remaining <= 0:
                raise MeiliUnavailable(url, f"{cause}; not healthy after {timeout:g} s")
            time.sleep(0.05)


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_taken(port: int) -> OSError | None:
    """Why 127.0.0.1:port cannot be bound right now, or None when it is free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc
    return None


def ensure_port_free(port: int) -> None:
    """Raise MeiliError if something already listens on 127.0.0.1:port."""
    taken = port_taken(port)
    if taken is not None:
        raise MeiliError(f"port {port} on 127.0.0.1 is not available: {taken}")
