"""Competency questions: the catalog of ``queries/<id>.rq`` files, their parameters, running them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ParameterError
from ..query.execution.worker import QueryOutcome
from .catalog import (
    LANGUAGES,
    Catalog,
    CatalogError,
    Param,
    Question,
    UnknownQuestion,
    load_catalog,
    parse_question,
)
from .params import Binding, Government, Governments, bind, check_lang, governments_from_runner

__all__ = ["LANGUAGES", "Binding", "Catalog", "CatalogError", "Government", "Governments", "Param",
           "ParameterError", "Question", "UnknownQuestion", "bind", "check_lang", "governments_from_runner",
           "load_catalog", "parse_question", "run"]


def run(executor: Any, question: Question, binding: Binding, *, result_format: str,
        dataset: Mapping[str, Any] | None = None, timeout: float | None = None) -> QueryOutcome:
    """Run a bound question on the shared executor (same limits as ``/sparql``)."""
    return executor.run(question.text, result_format=result_format,
                        substitutions=binding.substitutions, timeout=timeout, **(dataset or {}))
