"""A remote SPARQL 1.1 store: push the dataset into it, and answer from it (docs/deployment.md)."""
