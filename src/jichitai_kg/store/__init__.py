"""The dataset on disk: built from the content files, cached by content hash, opened read-only."""

from .build import (
                    Inputs,
                    graph_triple_counts,
                    hold,
                    in_use,
                    open_read_only,
                    parse_file,
                    prepare,
                    read_report,
                    store_path,
)

__all__ = ["Inputs", "graph_triple_counts", "hold", "in_use", "open_read_only", "parse_file",
           "prepare", "read_report", "store_path"]
