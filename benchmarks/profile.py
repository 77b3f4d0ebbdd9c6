"""Where a request's time goes: CPU per request by process, and a py-spy profile.

Used by ``python -m benchmarks`` (section ``profile``) to explain the distance to the
Oxigraph server.  While the load generator runs one question at a fixed concurrency, the
CPU time (user + system, from /proc) of each kind of process is read before and after:
the serving processes (granian + Flask + this package), the query workers (pyoxigraph
evaluating and serializing), and the load generator itself.  When py-spy is installed in
the bench venv, one serving process is sampled in ``--gil`` mode (only the thread
holding the interpreter lock) and the samples are grouped by the library their innermost
frame is in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from . import loadgen

TICKS = os.sysconf("SC_CLK_TCK")
#: Innermost frame's file → the part of the stack it stands for.
GROUPS = (("granian", "granian's Python side (WSGI environ, response)"),
          ("werkzeug", "Flask and werkzeug"), ("flask", "Flask and werkzeug"),
          ("jichitai_kg", "this package (protocol, guard, negotiation, responses)"),
          ("multiprocessing", "hand-off to the query worker (pipe, pickle)"),
          ("threading.py", "thread hand-off (locks, conditions)"),
          ("queue.py", "thread hand-off (locks, conditions)"),
          ("selectors.py", "waiting for the worker's answer (poll)"))


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def roles(server_pid: int) -> dict[str, list[int]]:
    """The server's processes: ``serving`` (answer HTTP), ``workers`` (run queries; forked by
    a forkserver) and ``helpers`` (forkservers, resource trackers, a supervising parent)."""
    out: dict[str, list[int]] = {"serving": [], "workers": [], "helpers": []}
    for pid in _tree(server_pid):
        cmd = _cmdline(pid)
        if "multiprocessing" not in cmd:
            out["serving"].append(pid)
        elif "forkserver" in cmd and "forkserver" in _cmdline(_parent(pid)):
            out["workers"].append(pid)
        else:
            out["helpers"].append(pid)
    if len(out["serving"]) > 1:  # a pre-forking parent only supervises
        out["serving"].remove(server_pid)
        out["helpers"].append(server_pid)
    return out


def cpu_per_request(server_pid: int, url: str, concurrency: int, duration: float) -> dict:
    """Milliseconds of CPU per answered request, by role, while ``url`` is under load."""
    who = roles(server_pid)
    before = {r: sum(_cpu_seconds(p) for p in pids) for r, pids in who.items()}
    client_before = os.times()
    result = loadgen.load(url, {"Accept": "application/sparql-results+json"}, concurrency,
                          duration, "auto")
    client_after = os.times()
    after = {r: sum(_cpu_seconds(p) for p in pids) for r, pids in who.items()}
    n = max(result.requests, 1)
    client = (client_after.children_user + client_after.children_system
              - client_before.children_user - client_before.children_system)
    out = {r: round((after[r] - before[r]) / n * 1000, 3) for r in who}
    out["load generator"] = round(client / n * 1000, 3)
    out["requests/s"] = round(result.rps, 1)
    return out


def gil_profile(py_spy: Path, pid: int, url: str, concurrency: int, seconds: float) -> dict[str, float]:
    """Share of the interpreter lock's samples per library group (py-spy ``--gil``)."""
    raw = Path(f"/tmp/jkg-py-spy-{os.getpid()}.txt")
    load = threading.Thread(target=loadgen.load, args=(
        url, {"Accept": "application/sparql-results+json"}, concurrency, seconds + 2, "auto"))
    load.start()
    time.sleep(1)
    subprocess.run([str(py_spy), "record", "-p", str(pid), "-d", str(int(seconds)), "-r", "250",
                    "--gil", "--nonblocking", "-f", "raw", "-o", str(raw)],
                   capture_output=True, check=False)
    load.join()
    groups: Counter = Counter()
    total = 0
    for line in raw.read_text().splitlines() if raw.exists() else []:
        stack, _, count = line.rpartition(" ")
        innermost = stack.rsplit(";", 1)[-1]
        group = next((name for key, name in GROUPS if key in innermost), "other (json, urllib, stdlib)")
        groups[group] += int(count)
        total += int(count)
    raw.unlink(missing_ok=True)
    return {g: round(n / total, 3) for g, n in groups.most_common()} if total else {}


def profile(server_pid: int, base: str, questions: dict[str, str], bench_venv: Path,
            concurrency: int = 8, duration: float = 5.0) -> dict:
    """CPU per request by role for each question, and a GIL profile of the first one."""
    out: dict = {"concurrency": concurrency, "cpu_ms_per_request": {}}
    for name, text in questions.items():
        url = base + urllib.parse.quote(text)
        out["cpu_ms_per_request"][name] = cpu_per_request(server_pid, url, concurrency, duration)
    py_spy = bench_venv / "bin" / "py-spy"
    serving = roles(server_pid)["serving"]
    if py_spy.exists() and serving and shutil.which(str(py_spy)):
        name, text = next(iter(questions.items()))
        out["gil"] = {"question": name,
                      "shares": gil_profile(py_spy, serving[0], base + urllib.parse.quote(text),
                                            concurrency, duration)}
    return out
