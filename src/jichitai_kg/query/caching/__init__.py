"""Caching of answers and of per-text work: the answer cache, the byte-bounded memo and the answers shared between processes."""
