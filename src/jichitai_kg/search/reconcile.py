"""The W3C Entity Reconciliation API (the version OpenRefine 3.x speaks), as pure functions.

Everything here takes a :class:`SearchIndex` and plain data and returns plain data (JSON-ready
dicts); the web layer only parses requests and serializes answers.

Scores are the search tiers (exact 100, prefix 80, substring 60, description 30).  A property
that contradicts a candidate (another prefecture, another 団体コード) halves its score.  A
candidate is *strong* when its name or reading equals the query (or its 団体コード equals the
one given) and no given property contradicts it; ``match: true`` is set only when exactly one
candidate is strong.  So 港区 alone matches nothing automatically when the register holds
several 港区, and 港区 with prefecture 東京都 matches 東京都港区.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequest
from ..namespaces import BASE, JKG
from . import rank
from .searcher import MAX_QUERY_CHARS, SearchIndex
from .text import normalize

DEFAULT_TYPE = {"id": str(JKG.LocalGovernment), "name": "地方公共団体 (local government)"}
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_QUERIES = 100  # OpenRefine sends 10 per batch by default
CONTRADICTED = 0.5

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
    }


# --------------------------------------------------------------------------- property values


def _values(v: Any) -> list[str]:
    """Property values as strings: a string, a number, {"id": …}/{"name": …}, or a list of these."""
    if v is None:
        return []
    if isinstance(v, list):
        return [x for item in v for x in _values(item)]
    if isinstance(v, dict):
        return _values(v.get("id") or v.get("name"))
    return [str(v).strip()] if str(v).strip() else []


def _same_name(value: str, iri: str | None, index: SearchIndex) -> bool:
    """``value`` names the term ``iri``: its IRI, its ja or en label, or the ja label without its
    last character (東京 for 東京都, 大阪 for 大阪府) or the en label's first word (Tokyo)."""
    if not iri:
        return False
    if value == iri:
        return True
    v = normalize(value)
    ja, en = normalize(index.term_label(iri, "ja")), normalize(index.term_label(iri, "en"))
    return v in (ja, en) or (len(v) >= 2 and v == ja[:-1]) or (bool(en) and v == en.split(" ")[0])


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


def _properties(query: dict) -> list[tuple[str, list[str]]]:
    out = []
    for p in query.get("properties") or []:
        if not isinstance(p, dict):
            raise BadRequest("each property must be an object with 'pid' and 'v'")
        pid = str(p.get("pid") or p.get("p") or "")
        pid = _PROPERTY_ALIASES.get(pid, pid)
        if pid not in PROPERTIES:
            raise BadRequest(f"unknown property {pid!r}; known: {', '.join(PROPERTIES)}")
        out.append((pid, _values(p.get("v"))))
    return out


# --------------------------------------------------------------------------- one query


def _limit(query: dict) -> int:
    try:
        limit = int(query.get("limit") or DEFAULT_LIMIT)
    except (TypeError, ValueError):
        raise BadRequest("'limit' must be an integer") from None
    return max(1, min(limit, MAX_LIMIT))


def _types(query: dict) -> list[str]:
    t = query.get("type")
    return [x for x in _values(t) if x] if t else []


MAX_TYPES = 3


def _type_list(types: list[str], index: SearchIndex) -> list[dict]:
    """The entity's labelled types (the project's own classes come first in the index)."""
    labelled = [{"id": t, "name": index.term_label(t)} for t in types if index.term_label(t)]
    return labelled[:MAX_TYPES] or [{"id": t, "name": t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]} for t in types[:1]]


def _candidates(text: str, types: list[str], props, index: SearchIndex) -> dict[str, tuple[int, dict]]:
    """IRI → (tier, entity) for name matches and for 団体コード given as a property."""
    found: dict[str, tuple[int, dict]] = {}
    if text:
        for h in index.search(text, limit=MAX_LIMIT).hits:
            if h.tier == rank.DESCRIPTION:
                continue
            found[h.iri] = (h.tier, {"iri": h.iri, "kind": h.kind, "label_ja": h.label_ja, "types": h.types,
                                     "government": h.government, "code": h.code, "prefecture": h.prefecture})
    for pid, values in props:
        if pid == "dantaiCode":
            for v in values:
                for e in index.by_code(v):
                    found[e["iri"]] = (rank.EXACT, e)
    if types:
        found = {k: v for k, v in found.items() if _has_type(v[1], types)}
    return found


def _has_type(entity: dict, types: list[str]) -> bool:
    """The entity has one of the types; any body with a 団体コード counts as a local government
    (the register's administrative wards are typed differently but reconcile like bodies)."""
    if set(types) & set(entity["types"]):
        return True
    return DEFAULT_TYPE["id"] in types and entity["kind"] == "government"


def reconcile_one(query: dict, index: SearchIndex) -> dict:
    """Candidates for one query object ({"query", "type", "limit", "properties"})."""
    if not isinstance(query, dict):
        raise BadRequest("each query must be a JSON object")
    text = str(query.get("query") or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(f"a query text is {len(text)} characters long; at most {MAX_QUERY_CHARS} are accepted")
    props = _properties(query)
    if not text and not props:
        raise BadRequest("a query needs 'query' text or 'properties'")
    results = []
    for tier, entity in _candidates(text, _types(query), props, index).values():
        checks = [_check(pid, values, entity, index) for pid, values in props if values]
        score = rank.score(tier) * (CONTRADICTED ** checks.count(False))
        strong = tier == rank.EXACT and False not in checks
        results.append((strong, score, entity))
    results.sort(key=lambda r: (-r[1], rank.kind_rank(r[2]["kind"]), len(r[2]["label_ja"]), r[2]["iri"]))
    strong_count = sum(1 for r in results if r[0])
    return {"result": [
        {"id": e["iri"], "name": e["label_ja"], "type": _type_list(e["types"], index), "score": score,
         "match": strong and strong_count == 1}
        for strong, score, e in results[:_limit(query)]]}


def reconcile_batch(queries: dict, index: SearchIndex) -> dict:
    """Answers to a batch {"q0": {...}, "q1": {...}} under the same keys."""
    if not isinstance(queries, dict):
        raise BadRequest("'queries' must be a JSON object mapping keys to query objects")
    if len(queries) > MAX_QUERIES:
        raise BadRequest(f"at most {MAX_QUERIES} queries per batch")
    return {key: reconcile_one(q, index) for key, q in queries.items()}


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
