"""Whether a process of this host still runs: for the ingest runs a killed process left
"running", and for the background Meilisearch server."""

from __future__ import annotations

import os
from pathlib import Path


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs (another user's process included); a zombie (exited, not
    yet reaped by its parent) has exited."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return not is_zombie(pid)


def is_zombie(pid: int) -> bool:
    """True if /proc says ``pid`` has exited and waits for its parent to reap it.

    A process whose main thread has returned while other threads still run (Meilisearch
    shutting down, for one) also shows "Z" for its pid, but it still holds its sockets: it
    counts as a zombie only once no other thread is left."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        threads = len(list(Path(f"/proc/{pid}/task").iterdir()))
    except OSError:
        return False
    # "pid (command) state …": the command may hold spaces and parentheses
    return stat.rpartition(")")[2].split()[:1] == ["Z"] and threads <= 1
