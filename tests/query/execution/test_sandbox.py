"""The seccomp network sandbox of query workers (query/execution/sandbox.py)."""

from __future__ import annotations

import os
import socket
import threading

from hostile_queries import NEEDS_SANDBOX
from jichitai_kg.query.execution import sandbox


def _connect_in_sandboxed_child(port: int) -> int:
    """Fork, sandbox the child, let it connect to ``port``; the child's exit code says what happened."""
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            sandbox.deny_network()
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            code = 0
        except PermissionError:
            code = 1
        except BaseException:
            code = 2
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@NEEDS_SANDBOX
def test_sandboxed_process_cannot_connect_to_loopback(listener):
    assert _connect_in_sandboxed_child(listener.port) == 1
    assert listener.connections == 0
    # the same connection from an unsandboxed process does arrive (the listener works)
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    threading.Event().wait(0.5)
    assert listener.connections == 1


@NEEDS_SANDBOX
def test_filter_program_is_whole_instructions():
    for arch in sandbox.ARCHES:
        prog = sandbox.filter_program(arch)
        assert len(prog) % 8 == 0 and len(prog) // 8 < 32
