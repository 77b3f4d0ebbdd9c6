"""The workbench's runs on the server: a syntax check, stopping a query by its id, short permalinks.

- ``POST /check`` (form field ``query``) parses the query without running it
  (``query/rules/syntax_check.py``): ``{"ok": true, "form": "SELECT"}``, or the same 400 a run would
  give (the parser's message with its line and column).  The workbench asks it as you type.

- Every query request may name itself with ``X-Query-Id`` (the workbench sends a random id
  with each run); ``POST /cancel/<id>`` then kills the worker evaluating it, in whichever
  serving process runs it (``query/execution/cancel.py``), so a stopped runaway frees its worker at once.
- ``POST /q`` with the workbench state (JSON: query or question and parameters, view,
  inference switch, language) stores it under its content hash and answers ``{"url": "/q/<hash>"}``;
  ``GET /q/<hash>`` redirects to the long permalink.  The same state always gets the same
  hash; the store is a folder of small files (bounded in size and number).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, jsonify, redirect, request

from ..errors import BadRequest, JKGError, NotFound, QuerySyntaxError
from ..query.execution.cancel import CURRENT_QUERY_ID, valid_id
from ..query.rules import syntax_errors
from ..query.rules.syntax_check import check_syntax
from .state import get_dataset

bp = Blueprint("runs", __name__)

#: The state a short permalink keeps, and the longest value of each (bytes, as JSON).
STATE_KEYS = ("query", "question", "params", "view", "infer", "lang")
MAX_STATE_BYTES = 64 * 1024
#: At most this many short permalinks are kept; beyond it, new ones are refused (507).
MAX_LINKS = 100_000
_HASH = re.compile(r"^[0-9a-f]{12}$")
#: Question parameters travel as plain query-string names; these names are the workbench's own.
RESERVED = ("query", "question", "view", "infer", "lang")


@bp.route("/check", methods=["POST"])
def check():
    limit = current_app.config["MAX_REQUEST_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise JKGError(f"The request body is larger than {limit} bytes (MAX_REQUEST_BYTES).", status=413)
    query = request.form.get("query")
    if not query:
        raise BadRequest("Send the query text in the form field query.")
    try:
        info = check_syntax(query, current_app.config["SERVICE_ALLOWLIST"])
    except QuerySyntaxError as exc:  # the sentence a run would give, with line/column/token
        raise syntax_errors.rewrite(exc, query) from None
    return jsonify(ok=True, form=info.form)


@bp.route("/cancel/<query_id>", methods=["POST"])
def cancel(query_id: str):
    if not valid_id(query_id):
        raise BadRequest("A query id is 16 to 64 letters, digits, '-' or '_'.")
    executor = get_dataset().executor
    stop = getattr(executor, "cancel", None)
    cancelled = bool(stop(query_id)) if stop is not None else False
    return jsonify(id=query_id, cancelled=cancelled)


def long_permalink(state: dict) -> str:
    """The workbench address of a state (the same one the page itself builds)."""
    args: dict[str, str] = {}
    if state.get("question"):
        args["question"] = state["question"]
        args.update({k: v for k, v in (state.get("params") or {}).items()
                     if v and k not in RESERVED})
    else:
        args["query"] = state.get("query") or ""
    if state.get("view") and state["view"] != "table":
        args["view"] = state["view"]
    if state.get("infer") is False:
        args["infer"] = "false"
    args["lang"] = state.get("lang") or "ja"
    return "/?" + urlencode(args)


def _clean_state(raw: object) -> dict:
    if not isinstance(raw, dict):
        raise BadRequest('Send a JSON object: {"query": "…", "view": "table", "infer": true, "lang": "ja"}.')
    state = {k: raw[k] for k in STATE_KEYS if k in raw and raw[k] not in (None, "")}
    for key in ("query", "question", "view", "lang"):
        if key in state and not isinstance(state[key], str):
            raise BadRequest(f"{key} must be a string.")
    if "infer" in state and not isinstance(state["infer"], bool):
        raise BadRequest("infer must be true or false.")
    params = state.get("params")
    if params is not None and not (isinstance(params, dict)
                                   and all(isinstance(v, str) for v in params.values())):
        raise BadRequest("params must be an object of strings.")
    if not state.get("query") and not state.get("question"):
        raise BadRequest("A short permalink needs a query or a question.")
    return state


def _links_dir() -> Path:
    """Beside the stores in the cache folder: they outlive a rebuild, like the links."""
    return get_dataset().cache_dir / "short-links"


@bp.route("/q", methods=["POST"])
def shorten():
    body = request.get_data(cache=False)
    if len(body) > MAX_STATE_BYTES:
        raise JKGError(f"The state is larger than {MAX_STATE_BYTES} bytes.", status=413)
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("The body is not JSON.") from None
    state = _clean_state(raw)
    text = json.dumps(state, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    folder = _links_dir()
    path = folder / digest
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if sum(1 for _ in os.scandir(folder)) >= MAX_LINKS:
            raise JKGError("This server keeps no more short links; use the long one.", status=507)
        tmp = folder / f".{digest}.{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)  # content-addressed: a concurrent writer writes the same bytes
    return jsonify(url=f"/q/{digest}", hash=digest, long=long_permalink(state))


@bp.route("/q/<digest>", methods=["GET"])
def expand(digest: str):
    if not _HASH.match(digest):
        raise NotFound("A short link is /q/ and 12 hexadecimal digits.")
    try:
        state = json.loads((_links_dir() / digest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound(f"No short link /q/{digest} is stored here.") from None
    return redirect(long_permalink(state), code=302)


def _take_query_id() -> None:
    query_id = request.headers.get("X-Query-Id")
    if query_id and valid_id(query_id):
        g._jkg_query_id_token = CURRENT_QUERY_ID.set(query_id)


def _release_query_id(exc: BaseException | None) -> None:
    token = g.pop("_jkg_query_id_token", None)
    if token is not None:
        CURRENT_QUERY_ID.reset(token)


def install(app: Flask) -> None:
    """Register the hooks that carry a request's query id to the executor (the routes are
    the blueprint ``bp``, registered with the others)."""
    app.before_request(_take_query_id)
    app.teardown_request(_release_query_id)
