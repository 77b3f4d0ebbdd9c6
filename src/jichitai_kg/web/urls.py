"""The addresses the service answers at: behind a proxy (PUBLIC_BASE) or as requested."""

from __future__ import annotations

from flask import current_app, request

from ..linked_data.pages import iris_resolve, mount_prefix
from ..linked_data.pages import local_href as _local_href
from ..namespaces import BASE


def path_prefix() -> str:
    """Path prefix when the app is mounted below a path (PUBLIC_BASE or SCRIPT_NAME)."""
    return mount_prefix(current_app.config.get("PUBLIC_BASE"), request.script_root)


def local_href(iri: str) -> str:
    """The link a page shows for ``iri``: this server unless PUBLIC_BASE says the IRIs resolve."""
    return _local_href(iri, current_app.config.get("PUBLIC_BASE"), request.script_root)


def local_base() -> str:
    """What the dataset base (``https://w3id.org/jichitai-kg/``) becomes in this server's links."""
    return BASE if iris_resolve(current_app.config.get("PUBLIC_BASE")) else path_prefix() + "/"


def base_url() -> str:
    """``scheme://host[/prefix]`` of the service, without a trailing slash."""
    # Not request.host_url: it re-encodes the whole URL, a cost paid on every query.
    return (current_app.config.get("PUBLIC_BASE")
            or f"{request.scheme}://{request.host}{request.script_root}")


def endpoint_url() -> str:
    """The SPARQL endpoint's public IRI."""
    return base_url() + "/sparql"
