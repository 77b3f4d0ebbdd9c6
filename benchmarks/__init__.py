"""Benchmark harness: synthetic graphs shaped like the real one, and measurements in one run."""
