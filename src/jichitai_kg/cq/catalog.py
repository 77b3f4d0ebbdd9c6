"""The competency-question catalog: ``queries/<id>.rq`` files with a metadata header.

Each file is the single source of a question: the web pages, the CLI and the
tests read title, question, parameters and result columns from its ``#``
header, so adding a question means adding one file, never editing Python.

Parameters reach the query only as RDF terms (pyoxigraph ``substitutions``),
so a value can never change the query's text.  pyoxigraph only substitutes
variables of the outer SELECT projection, which is why every query projects
``?lang`` and its parameter variables; :attr:`Question.columns` names the
contract columns, the parameter columns come after them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..content import rq_header
from ..errors import JKGError, NotFound
from ..namespaces import OWN

log = logging.getLogger(__name__)

#: Languages labels can be asked for; the first is the default.
LANGUAGES = ("ja", "en")
#: The question the catalog runs to learn the governments (slug, 団体コード) it accepts.
GOVERNMENTS_QUESTION = "governments"
#: Header keys that may carry a language tag (``title@ja``).
LOCALIZED_KEYS = ("title", "question", "description")
#: Parameter types whose values are concepts of one namespace, named by the local name.
CONCEPT_TYPES = {
    "category": OWN["CATEGORY"],
    "partner-kind": OWN["PARTNERKIND"],
    "kind": OWN["KIND"],
    "phase": OWN["PHASE"],
    "role": OWN["ROLE"],
}
#: Parameter types whose values are instances of one namespace (any well-formed local name).
INSTANCE_TYPES = {
    "initiative": OWN["INITIATIVE"],
    "plan": OWN["PLAN"],
    "unit": OWN["UNIT"],
    "post": OWN["POST"],
    "partner": OWN["PARTNER"],
    "figure": OWN["FIGURE"],
}
PARAM_TYPES = ("government", "text", *CONCEPT_TYPES, *INSTANCE_TYPES)

_PARAM_NAME = re.compile(r"^(?P<name>[A-Za-z]\w*)(?:\s*\(\?(?P<var>[A-Za-z]\w*)\))?$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CatalogError(JKGError):
    """A query file whose header breaks the format of docs/conventions.md."""


class UnknownQuestion(NotFound):
    def __init__(self, qid: str, known: Iterable[str]):
        self.qid = qid
        self.known = sorted(known)
        super().__init__(f"No competency question {qid!r}. Known: {', '.join(self.known)}")


@dataclass(frozen=True)
class Param:
    name: str
    var: str
    type: str
    required: bool
    description: str
    allowed: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "variable": self.var, "type": self.type,
                "required": self.required, "description": self.description,
                "allowed": list(self.allowed)}


@dataclass(frozen=True)
class Question:
    id: str
    path: Path
    text: str
    title: Mapping[str, str]
    question: Mapping[str, str]
    description: Mapping[str, str]
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    tags: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)

    def localized(self, key: str, lang: str) -> str:
        """The header value in ``lang``, falling back to English, then to any language."""
        values = getattr(self, key)
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")

    @property
    def view(self) -> str:
        """The result view its page opens with (``# view:`` header; see docs/workbench.md)."""
        return self.extra.get("view", "table")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def as_dict(self, lang: str = "ja") -> dict:
        return {
            "id": self.id,
            "title": dict(self.title),
            "question": dict(self.question),
            "description": dict(self.description),
            "label": self.localized("title", lang),
            "params": [p.as_dict() for p in self.params],
            "columns": list(self.columns),
            "tags": list(self.tags),
            "query": self.text,
        }


# --------------------------------------------------------------------------- parsing


def parse_question(text: str, path: Path | str) -> Question:
    """Read the header of one ``.rq`` file; raise CatalogError naming the file on any defect."""
    path = Path(path)
    fields, _body = rq_header(text)

    def one(key: str, required: bool = True) -> str | None:
        values = fields.get(key, [])
        if len(values) > 1:
            raise CatalogError(f"{path}: header key {key!r} is given {len(values)} times")
        if not values:
            if required:
                raise CatalogError(f"{path}: header lacks '# {key}: …'")
            return None
        return values[0]

    qid = one("id")
    if qid != path.stem:
        raise CatalogError(f"{path}: '# id: {qid}' does not match the file name")
    if not _ID.match(qid):
        raise CatalogError(f"{path}: id {qid!r} must be lower-case words joined by hyphens")
    localized: dict[str, dict[str, str]] = {}
    for key in LOCALIZED_KEYS:
        values: dict[str, str] = {}
        for header_key in fields:
            base, _, lang = header_key.partition("@")
            if base == key:
                values[lang or "en"] = one(header_key) or ""
        localized[key] = values
    for key in ("title", "question"):
        if not localized[key].get("en") or not localized[key].get("ja"):
            raise CatalogError(f"{path}: '# {key}:' and '# {key}@ja:' are both required")
    columns = tuple((one("columns") or "").split())
    if not columns:
        raise CatalogError(f"{path}: '# columns:' lists no result column")
    params = tuple(_parse_param(v, path) for v in fields.get("param", []))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise CatalogError(f"{path}: a parameter is declared twice")
    tags = tuple(t.strip() for t in (one("tags", required=False) or "").split(",") if t.strip())
    known = {"id", "columns", "param", "tags"} | {k for k in fields if k.partition("@")[0] in LOCALIZED_KEYS}
    extra = {k: v[0] for k, v in fields.items() if k not in known}
    return Question(id=qid, path=path, text=text, title=localized["title"],
                    question=localized["question"], description=localized["description"],
                    params=params, columns=columns, tags=tags, extra=extra)


def _parse_param(value: str, path: Path) -> Param:
    """``name[ (?var)] | type | required|optional | description or allowed values``."""
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 4:
        raise CatalogError(f"{path}: '# param: {value}' needs 4 fields separated by '|': "
                           "name | type | required or optional | allowed values")
    m = _PARAM_NAME.match(parts[0])
    if not m:
        raise CatalogError(f"{path}: bad parameter name {parts[0]!r}")
    ptype = parts[1]
    if ptype not in PARAM_TYPES:
        raise CatalogError(f"{path}: parameter {m['name']!r} has unknown type {ptype!r}; "
                           f"known: {', '.join(PARAM_TYPES)}")
    if parts[2] not in ("required", "optional"):
        raise CatalogError(f"{path}: parameter {m['name']!r} must be 'required' or 'optional'")
    allowed: tuple[str, ...] = ()
    if ptype in CONCEPT_TYPES:
        # For concept types the fourth field *is* the list of accepted local names.
        allowed = tuple(a.strip() for a in re.split(r"[,\s]+", parts[3].split("(")[0]) if a.strip())
        if not allowed:
            raise CatalogError(f"{path}: parameter {m['name']!r} lists no allowed value")
    return Param(name=m["name"], var=m["var"] or m["name"], type=ptype,
                 required=parts[2] == "required", description=parts[3], allowed=allowed)


class Catalog:
    """The questions of one ``queries/`` directory, in a stable order."""

    def __init__(self, questions: Iterable[Question], errors: Iterable[str] = ()):
        self._by_id = {q.id: q for q in sorted(questions, key=_sort_key)}
        #: Files left out because their header is broken (non-strict loading only).
        self.errors = list(errors)

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, qid: str) -> bool:
        return qid in self._by_id

    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, qid: str) -> Question:
        try:
            return self._by_id[qid]
        except KeyError:
            raise UnknownQuestion(qid, self._by_id) from None


def _sort_key(q: Question) -> tuple:
    try:
        order = int(q.extra.get("order", ""))
    except ValueError:
        order = 10_000
    return (order, q.id)


def load_catalog(queries_dir: Path | str, *, strict: bool = True) -> Catalog:
    """Every ``queries/*.rq`` (not the ``checks/`` or ``app/`` sub-folders).

    The server and CLI load non-strictly: one broken file is logged and left
    out instead of taking the whole catalog down; the tests load strictly.
    """
    questions, errors = [], []
    for f in sorted(Path(queries_dir).glob("*.rq")):
        try:
            questions.append(parse_question(f.read_text(encoding="utf-8"), f))
        except CatalogError as exc:
            if strict:
                raise
            log.warning("competency question left out: %s", exc)
            errors.append(str(exc))
    return Catalog(questions, errors)
