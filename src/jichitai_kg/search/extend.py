"""Data extension of the reconciliation API (``extend`` and ``propose_properties``), as
OpenRefine calls it after matching: for each matched IRI, the values of the chosen columns.

The values come from the store through ``sparql/reconcile-extend.rq`` with the entity bound as
an RDF term (one query per entity, each time-limited by the runner; the whole batch by
``time_limit``).  Columns: 団体コード, prefecture, kind (classification), reading, English name,
latitude, longitude, and for the eight case governments the CIO and CDO posts and the number
of plans.
"""

from __future__ import annotations

import time
from typing import Any

import pyoxigraph as ox

from ..content import app_query
from ..errors import BadRequest, Unavailable
from ..namespaces import BASE, JKG
from ..query.execution.runner import Runner
from .reconcile import clean_text

#: id → (ja name, en name): the columns a user can add.
EXTEND_PROPERTIES: dict[str, tuple[str, str]] = {
    "dantaiCode": ("団体コード", "local government code"), "prefecture": ("都道府県", "prefecture"),
    "kind": ("種別", "kind"), "reading": ("読み", "reading"), "nameEn": ("英語名", "English name"),
    "latitude": ("緯度", "latitude"), "longitude": ("経度", "longitude"),
    "cio": ("CIO", "CIO post"), "cdo": ("CDO", "CDO post"), "planCount": ("計画の数", "number of plans"),
}
MAX_IDS = 100


def _name(pid: str) -> str:
    ja, en = EXTEND_PROPERTIES[pid]
    return f"{ja} ({en})"


def propose_properties(type_: str | None, limit: int = 20) -> dict:
    """The columns for a type (every type gets the same ones: they are the bodies' columns)."""
    type_id = clean_text(type_ or str(JKG.LocalGovernment), "'type'", limit=500)
    return {"type": type_id, "properties": [{"id": pid, "name": _name(pid)} for pid in EXTEND_PROPERTIES][:limit]}


def _cell(value: Any, label: Any) -> dict:
    if isinstance(value, ox.NamedNode):
        return {"id": value.value, "name": label.value if label is not None else value.value}
    if isinstance(value, ox.Literal):
        dt = value.datatype.value if value.datatype else ""
        if dt.endswith(("#decimal", "#double", "#float")):
            return {"float": float(value.value)}
        if dt.endswith("#integer"):
            return {"int": int(value.value)}
        return {"str": value.value}
    return {"str": str(value)}


def data_extension(request: Any, runner: Runner, *, time_limit: float | None = None) -> dict:
    """Answer {"ids": [IRI …], "properties": [{"id": …} …]} with {"meta": …, "rows": …}."""
    if not isinstance(request, dict):
        raise BadRequest("'extend' must be a JSON object with 'ids' and 'properties'")
    ids, props = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not isinstance(props, list):
        raise BadRequest("'extend' needs a list 'ids' and a list 'properties'")
    if len(ids) > MAX_IDS:
        raise BadRequest(f"{len(ids)} ids in one extension; at most {MAX_IDS} are accepted")
    wanted = []
    for p in props[: len(EXTEND_PROPERTIES) + 1]:
        pid = p.get("id") if isinstance(p, dict) else None
        if pid not in EXTEND_PROPERTIES:
            raise BadRequest(f"unknown property {pid!r}; known: {', '.join(EXTEND_PROPERTIES)}")
        wanted.append(pid)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    rows: dict[str, dict[str, list]] = {}
    query = app_query("reconcile-extend")
    for raw in ids:
        iri = clean_text(raw, "an id", limit=2000)
        if not iri.startswith(BASE):
            raise BadRequest(f"{iri!r} is not an IRI of this dataset")
        if deadline is not None and time.monotonic() > deadline:
            raise Unavailable(f"the extension took longer than {time_limit:g} s; send fewer ids")
        cells: dict[str, list] = {pid: [] for pid in wanted}
        for row in runner.select(query, entity=ox.NamedNode(iri)):
            pid = row["property"].value
            if pid in cells:
                cells[pid].append(_cell(row["value"], row.get("label")))
        rows[iri] = cells
    return {"meta": [{"id": pid, "name": _name(pid)} for pid in wanted], "rows": rows}
