"""`make load`, the load itself: wrk (bench/load.lua) at one concurrency level, its LOAD_RESULT line
read, and where the machine's CPU went meanwhile (/proc). Standard library only, like bench/load.py."""

import json
import os
import resource
import subprocess
import time
from pathlib import Path

from bench.load_server import ROOT, LoadError

LUA_SCRIPT = ROOT / "bench" / "load.lua"

# --- CPU accounting: where the machine's time goes during a level --------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks():
    """Busy ticks of all CPUs since boot (everything but idle and iowait), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def process_ticks(gunicorn_pgid):
    """CPU ticks used so far by gunicorn's process group and by every PostgreSQL process."""
    gunicorn = postgres = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime + stime, and the same of the children it reaped: PostgreSQL forks one backend per
        # connection, and a backend that ended is counted in the postmaster's cutime + cstime.
        ticks = sum(int(value) for value in fields[11:15])
        if int(fields[2]) == gunicorn_pgid:
            gunicorn += ticks
        elif name.startswith("postgres"):
            postgres += ticks
    return gunicorn, postgres


def cpu_snapshot(gunicorn_pgid):
    gunicorn, postgres = process_ticks(gunicorn_pgid)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has ended
    return {
        "time": time.monotonic(),
        "machine": machine_busy_ticks() / CLOCK_TICKS,
        "gunicorn": gunicorn / CLOCK_TICKS,
        "postgres": postgres / CLOCK_TICKS,
        "wrk": children.ru_utime + children.ru_stime,
    }


def cpu_cores(before, after):
    """Average cores busy between two snapshots: the machine, gunicorn, PostgreSQL (every
    backend, whoever its client), wrk, and the rest (other programs of the machine)."""
    wall = after["time"] - before["time"]
    used = {key: (after[key] - before[key]) / wall for key in ("machine", "gunicorn", "postgres", "wrk")}
    used["other"] = used["machine"] - used["gunicorn"] - used["postgres"] - used["wrk"]
    return {key: round(value, 2) for key, value in used.items()}


# --- wrk -------------------------------------------------------------------------------------------


def run_wrk(port, mix_file, connections, duration, args, gunicorn_pgid):
    threads = max(1, min(args.wrk_threads, connections))
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        f"{args.timeout}s",
        "-s",
        str(LUA_SCRIPT),
        f"http://127.0.0.1:{port}",
        "--",
        str(mix_file),
    ]
    before = cpu_snapshot(gunicorn_pgid)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    after = cpu_snapshot(gunicorn_pgid)
    if completed.returncode != 0:
        raise LoadError(f"wrk failed ({completed.returncode}): {completed.stderr[-1000:]}")
    line = next((x for x in completed.stdout.splitlines() if x.startswith("LOAD_RESULT ")), None)
    if line is None:
        raise LoadError(f"wrk: no LOAD_RESULT line in its output:\n{completed.stdout[-1000:]}")
    raw = json.loads(line.removeprefix("LOAD_RESULT "))
    seconds = raw["duration_us"] / 1e6
    socket_errors = sum(raw["socket_errors"].values())
    errors = raw["non200"] + socket_errors
    latency = raw["latency_us"]
    cores = cpu_cores(before, after)
    own = cores["gunicorn"] + cores["postgres"] + cores["wrk"]
    return {
        "connections": connections,
        "wrk_threads": threads,
        "duration_s": round(seconds, 2),
        "requests": raw["requests"],
        "errors": errors,
        "non200": raw["non200"],
        "statuses": raw["statuses"],
        "socket_errors": raw["socket_errors"],
        "rps": round(raw["requests"] / seconds, 1),
        "ok_rps": round((raw["requests"] - errors) / seconds, 1),
        "latency_ms": {key: round(value / 1000, 1) for key, value in latency.items()},
        "mb_per_s": round(raw["bytes"] / seconds / 1e6, 2),
        "cpu_cores": cores,
        # Requests per second for each core that gunicorn, PostgreSQL and wrk used: on a shared machine,
        # steadier than req/s when other programs take CPU ("other").
        "rps_per_core": round(raw["requests"] / seconds / max(own, 0.01), 1),
    }
