"""The W3C Entity Reconciliation API (the version OpenRefine 3.x speaks), as pure functions.

Everything here takes a :class:`SearchIndex` and plain data and returns plain data (JSON-ready
dicts); the web layer only parses requests and serializes answers.

Candidates come from two places: the register's bodies by :mod:`.names` (every way people
write a name: scores 100/99 for an exact written form, 60–95 for typos and homophones), then
every other entity by search (its tier score × 0.9: 90 exact, 72 prefix, 54 substring), so a
government comes before the plans and records about it.  Report locations and sources come
only when the query's type asks for them.  A property that contradicts a candidate (another
prefecture, another 団体コード) halves its score.  A candidate is *strong* when it is an exact
match (a written form of its name, or its 団体コード) that no property contradicts; ``match:
true`` is set only when exactly one candidate is strong and no other candidate of any type is
an exact match: 港区 alone matches nothing automatically (東京都港区 and the 港区 of 名古屋市
and 大阪市 are all exact), 港区 with prefecture 東京都 matches 東京都港区.
"""

from __future__ import annotations

import math
import time
from typing import Any

from ..errors import BadRequest, Unavailable
from ..namespaces import BASE, JKG
from . import rank
from .names import Candidate
from .searcher import MAX_QUERY_CHARS, SearchIndex
from .text import normalize

DEFAULT_TYPE = {"id": str(JKG.LocalGovernment), "name": "地方公共団体 (local government)"}
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_QUERIES = 100  # OpenRefine sends 10 per batch by default
MAX_PROPERTIES = 10
MAX_VALUES = 20
MAX_VALUE_DEPTH = 3
CONTRADICTED = 0.5
#: Scores of entities found by search (not by name) are their tier scores times this.
OTHER_FACTOR = 0.9
#: Types that ask for the records about an entity (report locations), left out otherwise.
RECORD_KINDS = frozenset({"source", str(JKG.ReportLocation)})

#: The properties a query may use: id → (name, description).
PROPERTIES: dict[str, tuple[str, str]] = {
    "prefecture": ("都道府県 (prefecture)",
                   "The prefecture a body lies in: its name (東京都, 東京, Tokyo) or IRI."),
    "dantaiCode": ("団体コード (local government code)",
                   "Six digits with the check digit, or the first five without it."),
    "government": ("自治体 (government)",
                   "The government an initiative, plan, post or unit belongs to: name or IRI."),
}
_PROPERTY_ALIASES = {str(JKG.dantaiCode): "dantaiCode", "団体コード": "dantaiCode", "都道府県": "prefecture",
                     str(JKG.government): "government"}


def manifest(base_url: str) -> dict:
    """The service manifest OpenRefine reads when the service is added."""
    root = base_url.rstrip("/") + "/reconcile"
    return {
        "versions": ["0.1", "0.2"],
        "name": "jichitai-kg",
        "identifierSpace": BASE + "id/",
        "schemaSpace": str(JKG),
        "defaultTypes": [DEFAULT_TYPE],
        "view": {"url": root + "/view?id={{id}}"},
        "preview": {"url": root + "/preview?id={{id}}", "width": 420, "height": 180},
        "suggest": {
            "entity": {"service_url": root, "service_path": "/suggest/entity"},
            "type": {"service_url": root, "service_path": "/suggest/type"},
            "property": {"service_url": root, "service_path": "/suggest/property"},
        },
        "extend": {"propose_properties": {"service_url": root, "service_path": "/propose_properties"},
                   "property_settings": []},
    }


# --------------------------------------------------------------------------- input


def clean_text(value: Any, what: str, limit: int = MAX_QUERY_CHARS) -> str:
    """A request string checked: at most ``limit`` characters, no control characters, no lone
    surrogates (which no text encoding can hold); BadRequest with a message otherwise."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if len(text) > limit:
        raise BadRequest(f"{what} is {len(text)} characters long; at most {limit} are accepted")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise BadRequest(f"{what} contains a control character (such as NUL)")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise BadRequest(f"{what} contains a lone surrogate (not a character)")
    return text.strip()


def _values(v: Any, depth: int = 0) -> list[str]:
    """Property values as strings: a string, a number, {"id": …}/{"name": …}, or a list of these."""
    if depth > MAX_VALUE_DEPTH:
        raise BadRequest(f"a property value is nested more than {MAX_VALUE_DEPTH} levels deep")
    if v is None or isinstance(v, bool):
        return []
    if isinstance(v, list):
        if len(v) > MAX_VALUES:
            raise BadRequest(f"a property has more than {MAX_VALUES} values")
        return [x for item in v for x in _values(item, depth + 1)]
    if isinstance(v, dict):
        return _values(v.get("id") or v.get("name"), depth + 1)
    if isinstance(v, float) and not math.isfinite(v):
        raise BadRequest("a property value must be a finite number, a string or an object")
    text = clean_text(v, "a property value")
    return [text] if text else []


def _properties(query: dict) -> list[tuple[str, list[str]]]:
    props = query.get("properties") or []
    if not isinstance(props, list):
        raise BadRequest("'properties' must be a list of objects with 'pid' and 'v'")
    if len(props) > MAX_PROPERTIES:
        raise BadRequest(f"at most {MAX_PROPERTIES} properties per query")
    out = []
    for p in props:
        if not isinstance(p, dict):
            raise BadRequest("each property must be an object with 'pid' and 'v'")
        pid = clean_text(p.get("pid") or p.get("p") or "", "a property id")
        pid = _PROPERTY_ALIASES.get(pid, pid)
        if pid not in PROPERTIES:
            raise BadRequest(f"unknown property {pid!r}; known: {', '.join(PROPERTIES)}")
        out.append((pid, _values(p.get("v"))))
    return out


def _limit(query: dict) -> int:
    raw = query.get("limit")
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise BadRequest("'limit' must be a whole number")
    try:
        limit = int(raw)
    except (TypeError, ValueError, OverflowError):
        raise BadRequest("'limit' must be a whole number") from None
    return max(1, min(limit, MAX_LIMIT))


def _types(query: dict) -> list[str]:
    t = query.get("type")
    return [x for x in _values(t) if x] if t else []


# --------------------------------------------------------------------------- checks


def _same_name(value: str, iri: str | None, index: SearchIndex) -> bool:
    """``value`` names the term ``iri``: its IRI, its ja or en label, or (for a prefecture) any
    way of writing it the name matcher knows (東京, Tokyo, tokyo-to)."""
    if not iri:
        return False
    if value == iri or index.name_matcher().prefecture_of(value) == iri:
        return True
    v = normalize(value)
    return v in (normalize(index.term_label(iri, "ja")), normalize(index.term_label(iri, "en")))


def _check(prop: str, values: list[str], entity: dict, index: SearchIndex) -> bool | None:
    """True when the entity agrees with one of the values, False when it contradicts them all,
    None when it has no such attribute (nothing to compare)."""
    if prop == "dantaiCode":
        code = entity.get("code")
        return None if not code else any(v.isdigit() and code.startswith(v) and len(v) >= 5 for v in values)
    if prop == "prefecture":
        pref = entity.get("prefecture")
        return None if not pref else any(_same_name(v, pref, index) for v in values)
    if prop == "government":
        gov = entity.get("government")
        return None if not gov else any(_same_name(v, gov, index) for v in values)
    return None


MAX_TYPES = 3


def _type_list(types: list[str], index: SearchIndex) -> list[dict]:
    """The entity's labelled types (the project's own classes come first in the index)."""
    labelled = [{"id": t, "name": index.term_label(t)} for t in types if index.term_label(t)]
    return labelled[:MAX_TYPES] or [{"id": t, "name": t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]} for t in types[:1]]


def _has_type(entity: dict, types: list[str]) -> bool:
    """The entity has one of the types; any body with a 団体コード or ward code counts as a local
    government (the register's administrative wards are typed differently but reconcile like bodies)."""
    if set(types) & set(entity["types"]) or entity["kind"] in types:
        return True
    return DEFAULT_TYPE["id"] in types and entity["kind"] == "government"


# --------------------------------------------------------------------------- one query


def _candidates(text: str, types: list[str], props, index: SearchIndex,
                deadline: float | None) -> dict[str, tuple[float, bool, dict]]:
    """IRI → (score, exact, entity row): bodies by name, other entities by search, and bodies
    whose 団体コード is given as a property."""
    found: dict[str, tuple[float, bool, dict]] = {}
    if text:
        c: Candidate
        for c in index.name_matcher().match(text)[:MAX_LIMIT]:
            row = index.row_of(c.body.iri)
            if row is not None:
                found[c.body.iri] = (c.score, c.exact, row)
        records = bool(RECORD_KINDS.intersection(types))
        for h in index.search(text, limit=MAX_LIMIT, snippets=False, deadline=deadline).hits:
            if h.iri in found or h.tier == rank.DESCRIPTION or (h.kind == "source" and not records):
                continue
            row = index.row_of(h.iri)
            if row is not None:
                found[h.iri] = (rank.score(h.tier) * OTHER_FACTOR, h.tier == rank.EXACT, row)
    for pid, values in props:
        if pid == "dantaiCode":
            for v in values:
                for e in index.by_code(v):
                    found[e["iri"]] = (100.0, True, e)
    if types:
        found = {k: v for k, v in found.items() if _has_type(v[2], types)}
    return found


def reconcile_one(query: dict, index: SearchIndex, deadline: float | None = None) -> dict:
    """Candidates for one query object ({"query", "type", "limit", "properties"})."""
    if not isinstance(query, dict):
        raise BadRequest("each query must be a JSON object")
    text = clean_text(query.get("query"), "a query text")
    props = _properties(query)
    limit = _limit(query)
    types = _types(query)
    if not text and not props:
        raise BadRequest("a query needs 'query' text or 'properties'")
    results = []
    for score, exact, entity in _candidates(text, types, props, index, deadline).values():
        checks = [_check(pid, values, entity, index) for pid, values in props if values]
        contradicted = checks.count(False)
        results.append((exact and not contradicted, score * (CONTRADICTED ** contradicted), exact, entity))
    results.sort(key=lambda r: (-r[1], rank.kind_rank(r[3]["kind"]), _class_rank(r[3], index), r[3]["iri"]))
    strong = sum(1 for r in results if r[0])
    return {"result": [
        {"id": e["iri"], "name": e["label_ja"], "type": _type_list(e["types"], index), "score": round(score, 1),
         "match": is_strong and strong == 1}
        for is_strong, score, _exact, e in results[:limit]]}


def _class_rank(entity: dict, index: SearchIndex) -> int:
    body = index.name_matcher().bodies.get(entity["iri"])
    return Candidate(body, 0.0, False, "").sort_key()[1] if body else 99


def reconcile_batch(queries: dict, index: SearchIndex, *, time_limit: float | None = None) -> dict:
    """Answers to a batch {"q0": {...}, "q1": {...}} under the same keys; Unavailable (503) when
    the batch takes longer than ``time_limit`` seconds (checked between queries)."""
    if not isinstance(queries, dict):
        raise BadRequest("'queries' must be a JSON object mapping keys to query objects")
    if len(queries) > MAX_QUERIES:
        raise BadRequest(f"{len(queries)} queries in one batch; at most {MAX_QUERIES} are accepted")
    deadline = None if time_limit is None else time.monotonic() + time_limit
    out = {}
    for key, q in queries.items():
        if deadline is not None and time.monotonic() > deadline:
            raise Unavailable(f"the batch took longer than {time_limit:g} s; send fewer queries per batch")
        out[clean_text(key, "a query key")] = reconcile_one(q, index, deadline)
    return out


# --------------------------------------------------------------------------- suggest and preview


def _describe(entity: dict, index: SearchIndex) -> str:
    parts = [index.term_label(t) for t in entity.get("types", []) if index.term_label(t)][:1]
    for key in ("government", "prefecture"):
        label = index.term_label(entity.get(key))
        if label and entity.get(key) != entity.get("iri") and label not in parts:
            parts.append(label)
    return " · ".join(parts)


def suggest_entity(prefix: str, index: SearchIndex, *, type_: str | None = None, limit: int = 10) -> dict:
    hits = index.search(prefix, kind=type_, limit=limit).hits if prefix.strip() else []
    return {"result": [{"id": h.iri, "name": h.label_ja,
                        "description": _describe({"iri": h.iri, "types": h.types, "government": h.government,
                                                  "prefecture": h.prefecture}, index)} for h in hits]}


def suggest_type(prefix: str, index: SearchIndex, *, limit: int = 10) -> dict:
    p = normalize(prefix.strip())
    out = []
    for t in index.types_in_use():
        names = (index.term_label(t, "ja"), index.term_label(t, "en"), t.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        if not p or any(p in normalize(n) for n in names if n):
            out.append({"id": t, "name": names[0] or names[2], "description": names[1]})
    out.sort(key=lambda r: (r["id"] != DEFAULT_TYPE["id"], r["name"]))
    return {"result": out[:limit]}


def suggest_property(prefix: str, *, limit: int = 10) -> dict:
    p = normalize(prefix.strip())
    out = [{"id": pid, "name": name, "description": desc} for pid, (name, desc) in PROPERTIES.items()
           if not p or p in normalize(pid) or p in normalize(name)]
    return {"result": out[:limit]}


def preview_data(iri: str, index: SearchIndex, lang: str = "ja") -> dict | None:
    """What the preview card shows; None when the IRI is not in the index."""
    entity = index.entity(iri)
    if entity is None:
        return None
    descriptions = sorted((n["text"] for n in entity["names"] if n["field"] == "description"),
                          key=lambda text: text.isascii() == (lang == "ja"))
    kana = [n["text"] for n in entity["names"] if n["field"] == "kana"]
    return {"iri": iri, "label_ja": entity["label_ja"], "label_en": entity["label_en"],
            "kana": kana[0] if kana else "", "kind": entity["kind"],
            "types": [index.term_label(t, lang) for t in entity["types"] if index.term_label(t, lang)][:2],
            "government": index.term_label(entity["government"], lang) if entity["government"] != iri else "",
            "prefecture": index.term_label(entity["prefecture"], lang), "code": entity["code"] or "",
            "description": descriptions[0] if descriptions else ""}
