"""Everything the serving process does to a query before the limits is
linear in its length; the tokenizer reads every spelling the engine does for SERVICE."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fuzzcorpus import post_sparql
from jichitai_kg.errors import Forbidden, JKGError, QuerySyntaxError
from jichitai_kg.query.rules import guard
from loopback import start_server

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 1024 * 1024  # MAX_REQUEST_BYTES


def adversarial(size: int) -> dict[str, str]:
    """Texts of ``size`` characters that made the previous tokenizer quadratic, and others
    like them (open strings, runs without a colon, brackets, escapes, many small tokens)."""
    def fill(unit: str, head: str = "") -> str:
        return head + unit * ((size - len(head)) // len(unit))
    return {
        "quote-backslash": fill('"\\'),
        "a.a.a": fill("a."),
        "long-quote": fill("\\'", "'''"),
        "long-quote-backslash": fill("'''\\"),
        "iri-open": fill("<a"),
        "question-marks": fill("?"),
        "variables": fill("?a"),
        "at-signs": fill("@"),
        "colons": fill("a:"),
        "escaped-hash": fill("ex:a\\#"),
        "u-escapes": fill("\\u0041"),
        "braces": fill("{"),
        "exists": fill("EXISTS "),
        "service-words": fill("SERVICE <x> {} "),
        "prefixes": fill("PREFIX p: <http://x/> "),
        "comment": fill("#", "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n"),
        "iri-bang": fill("!", "<"),
        "string-in-query": fill("x", 'SELECT * WHERE { ?s ?p "') + '" }',
    }


def _cpu(fn, text: str) -> float:
    start = time.process_time()
    try:
        fn(text)
    except JKGError:
        pass
    return time.process_time() - start


def test_precheck_is_linear_in_the_length_of_the_query():
    """CPU of this process, not wall time: a megabyte in well under a second, and 16 times
    the text costs about 16 times the time (quadratic would be 256)."""
    small, large = adversarial(LIMIT // 16), adversarial(LIMIT)
    slow = {}
    for name in large:
        t_small = max(_cpu(guard.precheck, small[name]), 1e-3)
        t_large = _cpu(guard.precheck, large[name])
        if t_large > 1.0 or t_large / t_small > 64:
            slow[name] = (round(t_small, 4), round(t_large, 4))
    assert slow == {}


def test_tokenizer_sees_service_behind_every_known_disguise():
    disguised = [
        "PREFIX ex: <http://x/> SELECT * WHERE { OPTIONAL { ?s ex:a\\#b ?o } SERVICE <http://c/> {} }",
        'SELECT * WHERE { BIND("\\u0041" AS ?e) SERVICE <http://c/> {} }',
        "SELECT * WHERE { ?s ?p '''x''' SERVICE <http://c/> {} } # '",
        "SELECT * WHERE { ?s ?p \"\\\"\" . SERVICE <http://c/> {} }",
        "PREFIX c: <http://c/> SELECT * WHERE { sErViCe SILENT c: {} }",
    ]
    for query in disguised:
        with pytest.raises(Forbidden, match="SERVICE is refused for <http://c/>"):
            guard.check(query, [])


def test_an_iri_python_cannot_split_is_refused_not_a_500():
    """Found by the forgery fuzz: a stray ``[`` in BASE made urljoin raise ValueError."""
    query = "BASE <http://127.0.0.1[:1/> SELECT * WHERE { SERVICE <allowed> { ?s ?p ?o } }"
    with pytest.raises(Forbidden, match="SERVICE is refused for <allowed>"):
        guard.check(query, ["http://127.0.0.1:1/allowed"])


def test_nul_is_a_400_with_a_message():
    with pytest.raises(QuerySyntaxError, match="NUL character"):
        guard.check("SELECT * WHERE { ?s ?p ?o } \x00", [])


# ------------------------------------------------------------------ a real server's CPU


def _serving_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.mark.server
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to read CPU time")
def test_adversarial_megabytes_cost_the_serving_process_under_a_second(service_store, tmp_path):
    """Each input at the body limit, to a real one-process server: < 1 s of that process's CPU,
    and an answer that is no 5xx (a 4xx with a message, or a real answer)."""
    from live_servers import stop

    proc, base = start_server(ROOT, tmp_path / "server.log",
                              ["--processes", "1", "--workers", "1", "--timeout", "5"])
    costs, bad = {}, []
    try:
        for name, text in adversarial(LIMIT - 64).items():
            for body, ctype in ((text.encode(), "application/sparql-query"),):
                before = _serving_cpu(proc.pid)
                status, answer = post_sparql(base, body, {"Content-Type": ctype})
                costs[name] = round(_serving_cpu(proc.pid) - before, 2)
                if status >= 500 or costs[name] >= 1.0 or (status >= 400 and not answer.strip()):
                    bad.append((name, status, costs[name], answer[:120]))
        # a NUL in a query is a 400 with a message, in the body or the form
        nul = "SELECT * WHERE { ?s ?p ?o } \x00"
        for body, ctype in ((nul.encode(), "application/sparql-query"),
                            (b"query=SELECT%20*%20WHERE%20%7B%7D%00", "application/x-www-form-urlencoded")):
            status, answer = post_sparql(base, body, {"Content-Type": ctype})
            if status != 400 or b"NUL character" not in answer:
                bad.append(("nul", status, answer[:120]))
    finally:
        stop(proc)
    print("serving-process CPU per 1 MB input (s):", costs)
    assert bad == []


def test_sniffer_memo_stays_small_under_large_distinct_queries():
    for i in range(40):
        guard.sniff(f"SELECT * WHERE {{ ?s ?p {i} }} #" + "x" * (1024 * 1024))
    assert guard._sniff_cached.size_bytes <= 8 * 1024 * 1024
