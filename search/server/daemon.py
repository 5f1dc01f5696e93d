"""The background server of `tieuchuan meili start`: its state in `var/meili/`, started once,
found again by later commands, stopped by `tieuchuan meili stop`."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from catalog.processes import process_alive
from search import config
from search.errors import MeiliError, MeiliUnavailable
from search.server.binary import Log, find_or_install_binary
from search.server.health import check_reachable, free_port, port_taken, wait_healthy
from search.server.process import LOG_NAME, await_start, launch


@dataclass(frozen=True)
class DaemonState:
    """What `var/meili/state.json` records about the background server."""

    pid: int
    url: str
    master_key: str
    data_dir: Path
    log: Path
    started_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"data_dir": str(self.data_dir), "log": str(self.log)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DaemonState:
        return cls(
            pid=int(data["pid"]),
            url=str(data["url"]),
            master_key=str(data["master_key"]),
            data_dir=Path(data["data_dir"]),
            log=Path(data["log"]),
            started_at=str(data["started_at"]),
        )


def daemon_dir(var_dir: Path | None = None) -> Path:
    """Data, log, key and state directory of the daemon: <var>/meili."""
    return (config.var_dir() if var_dir is None else var_dir) / "meili"


def _state_path(meili_dir: Path) -> Path:
    return meili_dir / "state.json"


def _port_path(meili_dir: Path) -> Path:
    """The daemon's last port, kept after `meili stop` so the next start can reuse it."""
    return meili_dir / "port"


def _read_state(meili_dir: Path) -> DaemonState | None:
    path = _state_path(meili_dir)
    try:
        return DaemonState.from_json(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise MeiliError(f"unreadable daemon state {path} ({exc}); delete it") from exc


def _write_private(path: Path, text: str) -> None:
    """Atomically write a file readable only by its owner."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _daemon_master_key(meili_dir: Path) -> str:
    """The daemon's master key, kept in <var>/meili/master.key across restarts.

    Meilisearch derives API key values from the master key, so reusing it keeps
    any search keys created earlier valid.
    """
    path = meili_dir / "master.key"
    if path.is_file():
        return path.read_text().strip()
    key = secrets.token_urlsafe(24)
    _write_private(path, key + "\n")
    return key


@contextlib.contextmanager
def _locked(meili_dir: Path) -> Iterator[None]:
    """Serialise daemon start/stop between processes."""
    meili_dir.mkdir(parents=True, exist_ok=True)
    with (meili_dir / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _reap_when_done(process: subprocess.Popen[bytes]) -> None:
    """Wait for a daemon we started in a background thread, so that when it exits (`meili
    stop` from another shell while `tieuchuan up` serves) it is reaped at once, not left a
    zombie of this process until it ends."""
    threading.Thread(target=process.wait, name=f"reap-meili-{process.pid}", daemon=True).start()


def _daemon_alive(state: DaemonState) -> bool:
    """True if the recorded pid is alive and (where /proc exists) serves this data dir."""
    if not process_alive(state.pid):
        return False
    if not Path("/proc/self").exists():
        return True
    try:
        cmdline = Path(f"/proc/{state.pid}/cmdline").read_bytes()
    except OSError:
        return False
    return os.fsencode(state.data_dir / "data.ms") in cmdline


def _kill(pid: int, timeout: float) -> None:
    """SIGTERM `pid`, then SIGKILL if it outlives `timeout` seconds."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not process_alive(pid):
                return
            time.sleep(0.05)
    raise MeiliError(f"meilisearch pid {pid} did not exit after SIGKILL")


def daemon_status(var_dir: Path | None = None) -> DaemonState | None:
    """The recorded daemon if its process is alive and /health is available, else None."""
    state = _read_state(daemon_dir(var_dir))
    if state is None or not _daemon_alive(state):
        return None
    try:
        check_reachable(state.url)
    except MeiliUnavailable:
        return None
    return state


def _last_port(meili_dir: Path, state: DaemonState | None) -> int | None:
    """The port the daemon had last: a stale state's, else the one kept by `meili stop`."""
    try:
        if state is not None:
            return int(state.url.rsplit(":", 1)[1])
        return int(_port_path(meili_dir).read_text())
    except (OSError, ValueError):
        return None


def _choose_port(meili_dir: Path, state: DaemonState | None, log: Log) -> int:
    """The daemon's last port when it is free, so an API already told its URL finds it
    again; otherwise any free port."""
    last = _last_port(meili_dir, state)
    if last is None:
        return free_port()
    taken = port_taken(last)
    if taken is None:
        return last
    port = free_port()
    log(
        f"meilisearch: port {last}, used last time, is taken ({taken.strerror}); using {port}: "
        "restart a running API (or point MEILI_URL here) for it to find this one"
    )
    return port


def start_daemon(
    var_dir: Path | None = None,
    *,
    port: int | None = None,
    binary: Path | None = None,
    timeout: float = 30.0,
    log: Log = print,
) -> DaemonState:
    """Start Meilisearch in the background (or return the healthy one already recorded).

    Without `port` it listens where it listened last if that port is free.
    """
    var = config.var_dir() if var_dir is None else var_dir
    meili_dir = daemon_dir(var)
    with _locked(meili_dir):
        state = _read_state(meili_dir)
        if state is not None and _daemon_alive(state):
            try:
                wait_healthy(state.url, timeout)
            except MeiliUnavailable as exc:
                raise MeiliError(
                    f"meilisearch pid {state.pid} is running but not healthy: {exc.cause}; "
                    f"see {state.log} or run `tieuchuan meili stop`"
                ) from exc
            log(f"meilisearch: already running (pid {state.pid}) at {state.url}")
            return state

        binary = find_or_install_binary(config.bin_dir(var), log) if binary is None else binary
        master_key = _daemon_master_key(meili_dir)
        if port is None:
            port = _choose_port(meili_dir, state, log)
        started = time.monotonic()
        process, url = launch(binary, meili_dir, master_key, port, detached=True)
        await_start(process, url, meili_dir / LOG_NAME, timeout)
        _reap_when_done(process)
        _port_path(meili_dir).write_text(f"{port}\n")
        state = DaemonState(
            pid=process.pid,
            url=url,
            master_key=master_key,
            data_dir=meili_dir.resolve(),
            log=meili_dir.resolve() / LOG_NAME,
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        _write_private(_state_path(meili_dir), json.dumps(state.to_json(), indent=2) + "\n")
        log(
            f"meilisearch: started pid {state.pid} at {url} in "
            f"{time.monotonic() - started:.2f} s; log: {state.log}"
        )
        return state


def stop_daemon(var_dir: Path | None = None, timeout: float = 10.0) -> bool:
    """Stop the recorded daemon and forget it (its port is kept for the next start); False
    if none was running. Raises MeiliError, keeping the record, if it would not exit."""
    meili_dir = daemon_dir(var_dir)
    if not _state_path(meili_dir).exists():
        return False
    with _locked(meili_dir):
        state = _read_state(meili_dir)
        if state is None:
            return False
        running = _daemon_alive(state)
        if running:
            _kill(state.pid, timeout)
        _state_path(meili_dir).unlink(missing_ok=True)
        return running


def resolve_server(var_dir: Path | None = None) -> tuple[str, str | None]:
    """(url, master key) of the server to use: MEILI_URL/MEILI_MASTER_KEY, else the daemon."""
    env = config.MeiliConfig.from_env()
    if env.url:
        return env.url, env.master_key
    state = daemon_status(var_dir)
    if state is None:
        raise MeiliUnavailable(
            None,
            f"MEILI_URL is not set and no running daemon is recorded in {daemon_dir(var_dir)}",
            "run `tieuchuan meili start` or set MEILI_URL",
        )
    return state.url, state.master_key
