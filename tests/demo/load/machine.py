"""How the machine's CPU was spent during the run (Linux /proc; nothing elsewhere).

The servers, PostgreSQL, Redis, the RQ worker and the load client share one
machine, and whatever else runs on it competes with them too, so the report
says who used what: the gunicorn masters and their workers, the PostgreSQL
backends of the test's database, the RQ worker (with the work horses it forks,
one a task, counted when it reaps them), Redis (shared with whatever else uses
it), and the rest. Processes are sampled twice a second, so one that exits
during the run (a worker restarted, a database connection closed) is counted up
to its last sample.
"""

import os
import threading
from pathlib import Path


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_times():
    """The machine's (busy, total) CPU seconds since boot, over all cores."""
    try:
        fields = [
            int(value)
            for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]
        ]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / TICK, sum(fields) / TICK


def processes():
    """{pid: (parent pid, CPU seconds, command line)} of every process; the CPU
    seconds include those of its children that exited and were waited for."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (
                (entry / "cmdline")
                .read_bytes()
                .replace(b"\0", b" ")
                .decode(errors="replace")
            )
        except (OSError, IndexError):
            continue
        found[int(entry.name)] = (
            int(fields[1]),
            sum(int(value) for value in fields[11:15]) / TICK,
            command,
        )
    return found


class Usage:
    """CPU use between start() and stop(): the machine, the servers, the worker,
    the database, Redis."""

    ROLES = ("server", "worker", "database", "redis")

    def __init__(self, server_pids, worker_pid, database_name):
        self.server_pids = set(server_pids)
        self.worker_pid = worker_pid
        self.backend_mark = f" {database_name} "  # in a backend's title: "postgres: 15/main: postgres <db> 127.0.0.1(…)"
        self.first, self.last = {}, {}
        self.running = False  # once running, processes that appear count from zero
        self.stopping = threading.Event()
        self.sampler = threading.Thread(target=self.sample_until_stopped, daemon=True)

    def role(self, pid, parent, command):
        if pid == self.worker_pid:  # its work horses are counted in it, once reaped
            return "worker"
        if pid in self.server_pids or parent in self.server_pids:
            return "server"
        if command.startswith("postgres:") and self.backend_mark in command:
            return "database"
        if command.startswith("redis-server"):
            return "redis"
        return None

    def sample(self):
        for pid, (parent, seconds, command) in processes().items():
            role = self.role(pid, parent, command)
            if role:
                self.first.setdefault(pid, (role, 0.0 if self.running else seconds))
                self.last[pid] = seconds

    def sample_until_stopped(self):
        while not self.stopping.wait(0.5):
            self.sample()

    def start(self):
        self.load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        self.machine = cpu_times()
        self.sample()  # what each process had used before the run
        self.running = True
        self.sampler.start()

    def stop(self):
        self.stopping.set()
        self.sampler.join()
        self.sample()
        machine = cpu_times()
        usage = {"load_average_before": self.load_average}
        if self.machine is None or machine is None or machine[1] == self.machine[1]:
            return usage
        used = dict.fromkeys(self.ROLES, 0.0)
        for pid, (role, before) in self.first.items():
            used[role] += self.last[pid] - before
        return {
            **usage,
            "cpu_s": machine[1] - self.machine[1],
            "busy_cpu_s": machine[0] - self.machine[0],
            **{f"{role}_cpu_s": seconds for role, seconds in used.items()},
        }
