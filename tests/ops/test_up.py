"""`tieuchuan up` leaves no Meilisearch it started, and keeps one it did not start."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from catalog.processes import process_alive
from search import server as meili
from tests.ops.processes import answers, command_env, free_port, running, stop, wait_for


@pytest.fixture(scope="module")
def up_var(tmp_path_factory: pytest.TempPathFactory, meili_binary: Path) -> Path:
    """A var/ folder (and database) of this module's own, with the cached Meilisearch binary
    linked in; shared, so later runs of `up` find the bundled data already loaded."""
    var = tmp_path_factory.mktemp("up") / "var"
    (var / "bin").mkdir(parents=True)
    (var / "bin" / meili_binary.name).symlink_to(meili_binary)
    return var


def _up(up_var: Path, tmp_path: Path, sig: int) -> tuple[int, int, str]:
    """Run `up` until it serves, end it with ``sig``; (exit code, Meilisearch pid, output)."""
    port = free_port()
    env = command_env(TIEUCHUAN_VAR=str(up_var), DATABASE_URL=f"sqlite:///{up_var / 'up.db'}")
    log = tmp_path / "up.log"
    with running(["up", "--port", str(port), "--no-worker"], env, log) as process:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/health"), 90, "up serving", log)
        state = json.loads((up_var / "meili" / "state.json").read_text())
        code = stop(process, sig)
    return code, state["pid"], log.read_text()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_up_stops_the_meilisearch_it_started(up_var: Path, tmp_path: Path, sig: int) -> None:
    code, pid, output = _up(up_var, tmp_path, sig)
    assert "stopped the Meilisearch started here" in output
    assert not process_alive(pid), output
    assert not (up_var / "meili" / "state.json").exists()
    assert code != 0 or sig == signal.SIGINT  # ended by a signal, said so in its exit code


def test_up_leaves_a_meilisearch_that_was_already_running(up_var: Path, tmp_path: Path) -> None:
    before = meili.start_daemon(up_var, log=lambda _line: None)
    try:
        _code, pid, output = _up(up_var, tmp_path, signal.SIGTERM)
        assert pid == before.pid
        assert "stopped the Meilisearch" not in output
        assert meili.daemon_status(up_var) is not None
    finally:
        meili.stop_daemon(up_var)
