"""Releases of the dataset (docs/releases.md): cut into ``data/releases/``, each queryable for good."""

from .catalog import Release, find, load
from .content import ensure_store, store_content_hash
from .cut import cut

__all__ = ["Release", "cut", "ensure_store", "find", "load", "store_content_hash"]
