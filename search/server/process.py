"""One Meilisearch process started by this one, stopped with it (tests, `tieuchuan up`)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from pathlib import Path
from types import TracebackType

from search import config
from search.errors import MeiliError
from search.server.health import ensure_port_free, free_port, wait_healthy

LOG_NAME = "meili.log"


def _check_master_key(master_key: str) -> None:
    if len(master_key.encode()) < 16:
        raise MeiliError("the Meilisearch master key must be at least 16 bytes")


def launch(
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
        ensure_port_free(port)
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


def await_start(process: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float) -> None:
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


def tail_text(text: str, lines: int) -> str:
    return "\n".join(_ANSI.sub("", text).strip().splitlines()[-lines:])


def _tail_file(path: Path, lines: int = 20) -> str:
    try:
        return tail_text(path.read_text(errors="replace"), lines)
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
        process, url = launch(binary, data_dir, master_key, port, detached=False, limits=limits)
        await_start(process, url, data_dir / LOG_NAME, timeout)
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
