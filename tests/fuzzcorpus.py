"""A seeded generator of malformed and hostile requests for fuzzing the server.

Shared by ``tests/web/test_fuzz.py`` (a few hundred requests in ``make test``) and
``tools/soak.py`` (10,000 in ``make soak``).  Every request is a plain
:class:`FuzzRequest`, sent either through Flask's test client or over HTTP.
Seeds are the project's own ``.rq`` files, mutated by random edits plus a fixed
list of hostile inputs from the issue (deep nesting, SERVICE in odd spellings
aimed at a loopback listener, bad graph IRIs, odd formats and Accept headers).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

#: Statuses a fuzz request may get; 503 only with one of DELIBERATE_503: the time limit, all
#: workers busy, a worker replaced at its memory cap (QUERY_MEMORY_LIMIT), or a
#: client over its limit of long queries (LONG_QUERIES_PER_CLIENT).
#: A crashed worker ("crashed") is never acceptable.
DELIBERATE_503 = ("was stopped after", "stayed busy", "(QUERY_MEMORY_LIMIT)", "(LONG_QUERIES_PER_CLIENT)")


@dataclass
class FuzzRequest:
    method: str
    path: str  # already percent-encoded where needed
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def hostile_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/ssrf"
    return [
        f"PREFIX ex: <http://x/> SELECT * WHERE {{ BIND(ex:a\\#b AS ?z) SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ sErViCe SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <ssrf> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:ssrf {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p '''x''' SERVICE <{target}> {{ ?s ?p ?o }} }} # '",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1\\u003A{port}/ssrf> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { " * 1000 + "}" * 1000 + " }",
        "SELECT * WHERE { BIND(" + "+".join(["1"] * 20000) + " AS ?x) }",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",
        "INSERT DATA { <http://x/> <http://x/> <http://x/> }",
        "LOAD <http://127.0.0.1:1/>",
        "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
        "\x00\x01\x02",
        "SELECT * WHERE { ?s ?p \"\ud800\" }",
        "",
    ]


TOKENS = ["{", "}", "(", ")", "[", "]", "\\#", "#", "\"", "'''", "<", ">", "?x", "$y", ".",
          ";", ",", "FILTER EXISTS {", "OPTIONAL", "UNION", "SERVICE", "a", "^^", "@ja", "\\u0000",
          "\U0001F600", "自治体", "GRAPH ?g {", "VALUES ?v { 1 2 }", "LIMIT 1", "ORDER BY ?x",
          "BIND(1 AS ?z)", "COUNT(*)", "\n", "\t", "\\", "%00", "&&", "||", "!", "*", "/"]
FORMATS = ["json", "xml", "csv", "tsv", "html", "turtle", "ttl", "nt", "jsonld", "json-ld",
           "application/sparql-results+json", "text/csv,text/plain", "", "bogus", "\u00e9"]
ACCEPTS = ["*/*", "application/sparql-results+json", "text/turtle;q=0.5, */*;q=0.1",
           "text/html", "application/xml", "garbage", "text/*;q=abc", "", "a/b/c"]
GRAPHS = ["https://w3id.org/jichitai-kg/graph/data", "not an iri", "<x>", "http://x/\u3042",
          "urn:x", ""]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        i = rng.randint(0, len(text))
        j = min(len(text), i + rng.randint(0, 40))
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == 2:
            text = text[:i] + text[i:j] * rng.randint(2, 5) + text[j:]
        elif op == 3:
            text = text[:i] + text[i:j].swapcase() + text[j:]
        else:
            text = text[:i]
    return text


def _sparql(rng: random.Random, query: str) -> FuzzRequest:
    params: list[tuple[str, str]] = [("query", query)]
    if rng.random() < 0.3:
        params.append(("format", rng.choice(FORMATS)))
    if rng.random() < 0.15:
        params.append((rng.choice(["default-graph-uri", "named-graph-uri"]), rng.choice(GRAPHS)))
    if rng.random() < 0.1:
        params.append(("infer", rng.choice(["true", "false", "maybe"])))
    headers = {"Accept": rng.choice(ACCEPTS)} if rng.random() < 0.5 else {}
    style = rng.randrange(3)
    if style == 0:
        return FuzzRequest("GET", "/sparql", params, headers)
    if style == 1:
        return FuzzRequest("POST", "/sparql", params, headers)
    rest = [(k, v) for k, v in params if k != "query"]
    headers["Content-Type"] = rng.choice(["application/sparql-query",
                                          "application/sparql-query; charset=utf-8", "text/plain"])
    return FuzzRequest("POST", "/sparql", rest, headers, body=query.encode("utf-8", "surrogatepass"))


def generate(seed: int, count: int, queries_dir: Path, listener_port: int):
    """``count`` requests, reproducible from ``seed``."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(queries_dir).glob("*.rq"))]
    cq_ids = [p.stem for p in sorted(Path(queries_dir).glob("*.rq"))]
    hostile = hostile_queries(listener_port)
    for n in range(count):
        kind = rng.random()
        if n < len(hostile):
            yield _sparql(rng, hostile[n])
        elif kind < 0.55:
            yield _sparql(rng, mutate(rng, rng.choice(seeds)))
        elif kind < 0.65:
            yield _sparql(rng, rng.choice(hostile))
        elif kind < 0.8:
            qid = rng.choice(cq_ids + ["nope", "..%2F..%2Fetc%2Fpasswd", "%00"])
            params = [(rng.choice(["gov", "category", "lang", "format", "x"]),
                       mutate(rng, rng.choice(["kanagawa", "ja", "en", "json", "csv", "html"])))
                      for _ in range(rng.randint(0, 3))]
            yield FuzzRequest("GET", f"/cq/{qid}", params,
                              {"Accept": rng.choice(ACCEPTS)} if rng.random() < 0.5 else {})
        elif kind < 0.92:
            local = mutate(rng, rng.choice(["gov/kanagawa", "category/culture", "gov/yokohama.ttl",
                                            "gov/minato.jsonld", "x", "gov/kanagawa.html"]))
            yield FuzzRequest("GET", "/id/" + quote(local, safe="/"), [],
                              {"Accept": rng.choice(ACCEPTS)} if rng.random() < 0.5 else {})
        else:
            name = mutate(rng, rng.choice(["jichitai-kg.ttl.gz", "jichitai-kg.nq.gz", "SHA256SUMS",
                                           "x.sha256", ""]))
            yield FuzzRequest("GET", "/download/" + quote(name, safe=""), [], {})


def acceptable(status: int, body: bytes) -> bool:
    """No 5xx except a deliberate 503 (time limit, all workers busy, memory cap)."""
    if status < 500:
        return True
    return status == 503 and any(m.encode() in body for m in DELIBERATE_503)


# --------------------------------------------------------------------------- forgery: SERVICE spellings that evade a lexer

def post_sparql(base: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST ``body`` to ``base``/sparql; the status and body, 4xx and 5xx included."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(base + "/sparql", data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def canary():
    """A loopback listener counting connections: the address forged SERVICE calls aim at."""
    from loopback import Listener

    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def endpoint():
    """The allowlisted SPARQL endpoint, recording every request (``RecordingEndpoint``)."""
    ep = RecordingEndpoint()
    yield ep
    ep.close()


class RecordingEndpoint:
    """A loopback SPARQL endpoint that records the path of every request and answers one row
    (``?remote = "from <path>"``) in SPARQL JSON; the allowlisted endpoint of the forgery tests."""

    def __init__(self):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                requests.append((self.command, self.path, self.rfile.read(length)))
                body = json.dumps({"head": {"vars": ["remote"]}, "results": {"bindings": [
                    {"remote": {"type": "literal", "value": f"from {self.path}"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.allowed = f"http://127.0.0.1:{self.port}/allowed"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stray(self) -> list[tuple[str, str]]:
        """Requests to anything but exactly POST /allowed (each one a forgery)."""
        return [(m, p) for m, p, _ in self.requests if (m, p) != ("POST", "/allowed")]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _escape_iri(rng: random.Random, iri: str) -> str:
    """``iri`` with some characters written as ``\\u``/``\\U`` escapes."""
    out = []
    for ch in iri:
        if ch.isalnum() and rng.random() < 0.15:
            out.append(f"\\u{ord(ch):04X}" if rng.random() < 0.7 else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return "".join(out)


_KEYWORD_CASES = ("SERVICE", "service", "Service", "sErViCe")
_HIDERS = [  # text placed before a SERVICE clause, each once known to confuse a lexer
    "?s ex:a\\#b ?o .", "BIND(\"\\u0041\" AS ?esc0)", "# a comment with SERVICE <x> {}\n",
    "BIND('''it's \"SERVICE\"''' AS ?str0)", "?s ex:p \"\\\"\" .", "?s ex:q '\\'' .",
    "BIND(ex:a\\.b AS ?dot0)", "?s ex:r <http://x/#SERVICE> .", "BIND(\"#\" AS ?hash0)",
    "?s ex:service ?service .", "BIND(\"\\u0022 SERVICE\" AS ?u0)", "VALUES ?v0 { 1 2 }",
    "FILTER(?x != \"}\")", "OPTIONAL { ?s ex:p ?o }", "?s ex:a\\'b ?o .",
]
_WRAPPERS = ["{}", "{{ {} }}", "OPTIONAL {{ {} }}", "{{ {} }} UNION {{ }}", "MINUS {{ {} }}",
             "FILTER EXISTS {{ {} }}", "FILTER NOT EXISTS {{ {} }}", "GRAPH ?g {{ {} }}",
             "{{ SELECT * WHERE {{ {} }} }}", "{{ {{ {{ {} }} }} }}"]


def _service_clause(rng: random.Random, target_iri: str, prologue: list[str], n: int) -> str:
    """A SERVICE clause to ``target_iri`` in one of many spellings (prologue lines added)."""
    word = rng.choice(_KEYWORD_CASES) + (" SILENT" if rng.random() < 0.6 else "")
    style = rng.randrange(6)
    if style == 0:
        target = f"<{target_iri}>"
    elif style == 1:
        base, _, local = target_iri.rpartition("/")
        prologue.append(f"PREFIX t{n}: <{base}/>")
        target = f"t{n}:{local}"
    elif style == 2:
        base, _, local = target_iri.rpartition("/")
        prologue.insert(0, f"BASE <{base}/>")
        target = f"<{local}>"
    elif style == 3:
        target = f"<{_escape_iri(rng, target_iri)}>"
    elif style == 4:
        prologue.append(f"PREFIX t{n}: <{target_iri}>")
        target = f"t{n}:"
    else:
        target = f"?e{n}"
        word = f"BIND(<{target_iri}> AS ?e{n}) {word}"
    sep = rng.choice([" ", "\n", "\t", " # c\n ", "  "])
    return f"{word}{sep}{target}{sep}{{ ?a{n} ?b{n} ?c{n} }}"


def forgery_queries(seed: int, count: int, canary_urls: list[str], allowed: str):
    """``count`` queries (reproducible from ``seed``), each with one to three SERVICE clauses
    in varied spellings, hiders and nestings; four in five aim at least one clause at a
    ``canary_urls`` address (none of which is ``allowed``), the rest only at ``allowed``.
    Yields ``(query, targets)``."""
    rng = random.Random(seed)
    forms = ["SELECT * WHERE {{ {} }}", "ASK {{ {} }}", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {} }}",
             "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}", "DESCRIBE ?s WHERE {{ {} }}"]
    for _ in range(count):
        prologue = ["PREFIX ex: <http://x/>"]
        if rng.random() < 0.2:
            targets = [allowed] * rng.randint(1, 2)
        else:
            targets = [rng.choice(canary_urls)] + [rng.choice([allowed, *canary_urls])
                                                   for _ in range(rng.randrange(3))]
        rng.shuffle(targets)
        parts = []
        for n, target in enumerate(targets):
            parts += rng.sample(_HIDERS, rng.randrange(3))
            parts.append(rng.choice(_WRAPPERS).format(_service_clause(rng, target, prologue, n)))
        body = " ".join(parts)
        for _ in range(rng.randrange(3) if rng.random() < 0.3 else 0):  # a stray token or two
            i = rng.randint(0, len(body))
            body = body[:i] + rng.choice(TOKENS) + body[i:]
        yield "\n".join(prologue) + "\n" + rng.choice(forms).format(body), targets


def canary_urls(canary_port: int, allowed: str) -> list[str]:
    """Addresses a forgery may aim at: the canary listener, and near misses of the allowlisted
    URL (on the allowlisted endpoint's own port: any request there but ``allowed`` is one)."""
    return [f"http://127.0.0.1:{canary_port}/ssrf", f"http://127.0.0.1:{canary_port}/allowed",
            allowed + "/", allowed + "?x=1", allowed.replace("/allowed", "/Allowed"),
            allowed.replace("/allowed", "/anything"), allowed.replace("127.0.0.1", "localhost")]
