"""wrk, the benchmarks' load generator: replays a file of requests from its own process.

wrk (C, one thread, kept-alive connections) costs a small fraction of a millisecond of CPU
per request, where a Python client such as httpx costs 2-4 ms at 32 concurrent callers, on
the cores the server needs: a generator like that measures itself. Install it with
``make bench-tools`` (Debian's package).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Replays REQUESTS (one request a line: a JSON body to POST to /multi-search, or a path to
# GET) in order: once then stop, or round and round when CYCLE=1. Prints the figures as one
# JSON line at the end.
WRK_SCRIPT = r"""
local lines, i = {}, 0
local method, key, cycle = os.getenv("METHOD"), os.getenv("KEY"), os.getenv("CYCLE") == "1"
function init(args)
  for line in io.lines(os.getenv("REQUESTS")) do lines[#lines + 1] = line end
  if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
  if os.getenv("GZIP") == "1" then wrk.headers["Accept-Encoding"] = "gzip" end
  if method == "POST" then wrk.headers["Content-Type"] = "application/json" end
end
function request()
  i = i + 1
  if i > #lines then
    if not cycle then wrk.thread:stop() end
    i = 1
  end
  if method == "POST" then return wrk.format("POST", "/multi-search", nil, lines[i]) end
  return wrk.format("GET", lines[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\n{"wrk": 1, "requests": %d, "seconds": %f, "p50": %f, "p99": %f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True)
class Figures:
    requests: int
    rps: float
    p50: float  # ms
    p99: float  # ms
    errors: int  # connect, read, write, timeout, and answers other than 2xx/3xx
    cpu: dict[str, float]  # watched process → CPU ms per request
    ran_out: bool  # a run without cycling had fewer requests than wrk could send


def require_wrk(script: str) -> None:
    """Exit with what to do when wrk is not installed."""
    if shutil.which("wrk") is None:
        sys.exit(f"{script}: the load generator wrk is missing: run `make bench-tools`")


def run_wrk(
    base: str,
    lines: list[str],
    seconds: float,
    connections: int,
    *,
    method: str = "GET",
    key: str = "",
    cycle: bool = False,
    gzip: bool = False,
    watched: dict[str, int] | None = None,
) -> Figures:
    """Replay ``lines`` against ``base`` for ``seconds`` over ``connections`` connections.

    ``cycle`` starts the lines over when they run out (otherwise wrk stops there and the
    figures say ``ran_out``); ``gzip`` asks for compressed answers, as browsers and most HTTP
    clients do; ``watched`` names processes whose CPU time is measured.
    """
    watched = watched or {}
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script, requests = Path(tmp) / "replay.lua", Path(tmp) / "requests.txt"
        script.write_text(WRK_SCRIPT)
        requests.write_text("\n".join(lines) + "\n")
        env = os.environ | {
            "REQUESTS": str(requests),
            "METHOD": method,
            "KEY": key,
            "CYCLE": "1" if cycle else "0",
            "GZIP": "1" if gzip else "0",
        }
        command = [
            "wrk", "--threads", "1", "--connections", str(connections),
            "--duration", f"{seconds:g}s", "--timeout", "10s", "--script", str(script), base,
        ]  # fmt: skip
        before = {name: cpu_seconds(pid) for name, pid in watched.items()}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        after = {name: cpu_seconds(pid) for name, pid in watched.items()}
    summary = json.loads(next(line for line in done.stdout.splitlines() if '"wrk"' in line))
    count = max(summary["requests"], 1)
    return Figures(
        requests=summary["requests"],
        rps=summary["requests"] / summary["seconds"],
        p50=summary["p50"],
        p99=summary["p99"],
        errors=summary["errors"],
        cpu={name: (after[name] - before[name]) * 1000 / count for name in after},
        ran_out=not cycle and summary["requests"] >= len(lines),
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total
