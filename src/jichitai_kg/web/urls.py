"""The addresses the service answers at: behind a proxy (PUBLIC_BASE) or as requested."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import current_app, request


def path_prefix() -> str:
    """Path prefix when the app is mounted below a path (PUBLIC_BASE or SCRIPT_NAME)."""
    base = current_app.config.get("PUBLIC_BASE")
    if base:
        return urlparse(base).path.rstrip("/")
    return request.script_root.rstrip("/")


def base_url() -> str:
    """``scheme://host[/prefix]`` of the service, without a trailing slash."""
    return current_app.config.get("PUBLIC_BASE") or request.host_url.rstrip("/") + request.script_root


def endpoint_url() -> str:
    """The SPARQL endpoint's public IRI."""
    return base_url() + "/sparql"
