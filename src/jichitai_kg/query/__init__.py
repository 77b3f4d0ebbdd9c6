"""Query execution: request parsing, negotiation, the guard, the executor and the runner."""
