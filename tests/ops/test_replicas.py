"""Two real API processes (uvicorn) on one database and one Redis: a write through one is
answered by the other within the catalog check interval, and the rate limit holds across both."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis
from factories import build_api_catalog

from api.auth import issue_key
from catalog.vocab import ApiRole
from tests.ops.processes import REPO, answers, command_env, free_port, stop, wait_for

REDIS_URL = "redis://127.0.0.1:6379/0"
CHECK_SECONDS = 0.5
LIMIT = 30


@pytest.fixture
def redis_namespace() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    namespace = f"test-{secrets.token_hex(4)}"
    yield namespace
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{namespace}:*"):
        client.delete(key)


@pytest.fixture
def editor_key(session) -> str:
    """The test catalog and an editor key, made before the processes start: a key gets its
    own rate-limit bucket once the process knows it (it re-reads live keys every 10 s)."""
    build_api_catalog(session)
    return issue_key(session, "editor for the replica test", ApiRole.EDITOR).key


@pytest.fixture
def replicas(database_url: str, redis_namespace: str, editor_key: str, tmp_path: Path):
    """Two API processes on free ports; their base URLs."""
    env = command_env(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        TIEUCHUAN_REDIS_NAMESPACE=redis_namespace,
        TIEUCHUAN_RATE_LIMIT=str(LIMIT),
        TIEUCHUAN_CATALOG_CHECK=str(CHECK_SECONDS),
        TIEUCHUAN_VAR=str(tmp_path / "var"),
    )
    started = []
    for n in range(2):
        port = free_port()
        log = (tmp_path / f"api{n}.log").open("wb")
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        process = subprocess.Popen(
            [*command, "--port", str(port), "--log-level", "warning"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, f"http://127.0.0.1:{port}", tmp_path / f"api{n}.log"))
    try:
        for _process, url, log_path in started:
            wait_for(lambda url=url: answers(f"{url}/health"), 60, "the API", log_path)
        yield [url for _, url, _ in started]
    finally:
        for process, _url, _log in started:
            stop(process)


def test_two_api_processes_share_writes_and_the_rate_limit(replicas, editor_key: str) -> None:
    key = editor_key
    first, second = replicas
    path = "/api/v1/products/cam-sanh-ham-yen"

    # the rate limit counts both processes' requests together (anonymous: by address)
    codes = [
        httpx.get(f"{url}/api/v1/categories").status_code
        for _ in range(LIMIT // 2)
        for url in (first, second)
    ]
    assert codes == [200] * LIMIT
    refused = httpx.get(f"{first}/api/v1/categories")
    assert refused.status_code == 429, refused.text
    assert httpx.get(f"{second}/api/v1/categories").status_code == 429

    # a write through the first is answered by the second within the check interval
    headers = {"X-API-Key": key}
    assert httpx.get(f"{second}{path}", headers=headers).json()["name_en"] != "Replica orange"
    written = httpx.patch(f"{first}{path}", json={"name_en": "Replica orange"}, headers=headers)
    assert written.status_code == 200, written.text
    at = time.monotonic()

    def seen() -> bool:
        time.sleep(0.2)
        return httpx.get(f"{second}{path}", headers=headers).json()["name_en"] == "Replica orange"

    wait_for(seen, CHECK_SECONDS + 4, "the write seen by the other process")
    assert time.monotonic() - at < CHECK_SECONDS + 4
