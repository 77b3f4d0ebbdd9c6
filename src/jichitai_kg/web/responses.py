"""Small pieces every view shares: plain-text answers, the page language, the infer switch."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, current_app, request

from ..config import parse_bool

LANGUAGES = ("ja", "en")


def text_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A plain-text answer (errors, checksums); never HTML, so input is never interpreted."""
    resp = Response(message.rstrip() + "\n", status=status)
    resp.headers["Content-Type"] = "text/plain; charset=utf-8"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def request_lang() -> str:
    """The page language: ``?lang=en`` for English, Japanese otherwise."""
    return "en" if request.args.get("lang") == "en" else "ja"


def request_infer() -> bool:
    """``?infer=`` (true/false…), defaulting to the INFERENCE setting; BadRequest otherwise."""
    value = request.args.get("infer")
    if value is None:
        return bool(current_app.config["INFERENCE"])
    return parse_bool(value, "infer")
