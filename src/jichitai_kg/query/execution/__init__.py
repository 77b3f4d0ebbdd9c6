"""Query execution: the executors (worker processes, in process), the worker set-up and its sandbox, outbound SERVICE calls, admission and cancellation, and the runner."""
