"""CPU time and resident memory of process trees and of the whole machine, read from /proc (Linux).

The classroom load test samples these before and after each phase of the lesson: the app server's
tree, the browser side (Playwright's driver and Chromium, our own descendants) and /proc/stat for
how busy all the cores were. No psutil: /proc is enough and nothing needs installing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")  # clock ticks per second in /proc/*/stat
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:  # gone meanwhile
        return None
    return text[text.rindex(")") + 2 :].split()


def _parents() -> dict[int, int]:
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat_fields(int(name))
            if fields:
                out[int(name)] = int(fields[1])  # field 4, ppid
    return out


def tree(root: int, parents: dict[int, int] | None = None) -> set[int]:
    """``root`` and all its descendants alive now."""
    parents = _parents() if parents is None else parents
    found, grew = {root}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in found and p not in found}
        found |= more
        grew = bool(more)
    return found


def cpu_seconds(pids) -> float:
    """User + system CPU time of these processes so far (utime, stime: fields 14 and 15)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def rss_bytes(pids) -> int:
    """Resident memory of these processes (from /proc/PID/statm: pages)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot (busy: all but idle and iowait)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])  # guest time is already counted in user
    return total - idle, total


@dataclass(frozen=True)
class Sample:
    t: float  # time.monotonic()
    server_cpu: float  # CPU seconds of the server's tree
    server_rss: int  # bytes
    side_cpu: float  # CPU seconds of the browser side (our descendants, without the server)
    self_cpu: float  # this driver script's own CPU seconds
    busy: int  # machine ticks
    total: int


def sample(server_pid: int) -> Sample:
    parents = _parents()
    server = tree(server_pid, parents)
    side = tree(os.getpid(), parents) - server - {os.getpid()}
    busy, total = machine_ticks()
    t = os.times()
    return Sample(time.monotonic(), cpu_seconds(server), rss_bytes(server), cpu_seconds(side),
                  t.user + t.system, busy, total)  # fmt: skip


def usage(a: Sample, b: Sample) -> dict:
    """CPU use between two samples: % of one core for the server, the browsers and this script,
    and % of all cores for the whole machine (other users included)."""
    wall = max(b.t - a.t, 1e-9)
    ticks = max(b.total - a.total, 1)
    return {
        "wall_s": wall,
        "server_cpu_s": b.server_cpu - a.server_cpu,
        "server_pct": 100 * (b.server_cpu - a.server_cpu) / wall,
        "browser_pct": 100 * (b.side_cpu - a.side_cpu) / wall,
        "driver_pct": 100 * (b.self_cpu - a.self_cpu) / wall,
        "machine_pct": 100 * (b.busy - a.busy) / ticks,
    }
