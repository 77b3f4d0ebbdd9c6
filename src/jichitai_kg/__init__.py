"""jichitai-kg: a knowledge graph of ICT adoption in eight Japanese local governments.

The Python API (docs/python-api.md) is imported on first use, so ``import jichitai_kg``
and the command line stay fast::

    import jichitai_kg
    kg = jichitai_kg.open()                            # the embedded dataset
    kg = jichitai_kg.connect("http://localhost:5000")  # a running server, same interface
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: Names served by :mod:`jichitai_kg.api`, imported when first asked for (PEP 562).
API = ("open", "connect", "KnowledgeGraph", "Result")


def __getattr__(name: str) -> Any:
    if name in API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'jichitai_kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *API])
