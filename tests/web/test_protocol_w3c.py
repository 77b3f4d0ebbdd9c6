"""The W3C SPARQL 1.1 Protocol test suite, through the Flask test client and a real server.

The cases themselves live in ``tests/w3c_protocol_cases.py``; the remote-store suite
(``tests/remote/test_protocol_w3c.py``) runs them again with a client of its own.
"""

from w3c_protocol_cases import client, test_w3c_negative, test_w3c_query, test_w3c_update_is_refused  # noqa: F401
