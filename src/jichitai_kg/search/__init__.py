"""Full-text search and W3C reconciliation over the dataset.

``text`` matches words and highlights; ``rank`` holds the ranking rules; ``searcher`` answers
queries from the index file that ``store.text_index`` builds with the store; ``present`` turns
results into JSON; ``reconcile`` speaks the reconciliation API.  None of them imports Flask:
they take an index (or its path) as argument.
"""

from .searcher import MAX_QUERY_CHARS, Hit, Results, SearchIndex

__all__ = ["MAX_QUERY_CHARS", "Hit", "Results", "SearchIndex"]
