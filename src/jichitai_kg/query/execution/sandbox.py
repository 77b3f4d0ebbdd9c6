"""Make a query worker process unable to reach the network.

The SERVICE guard alone cannot be trusted: it reads the query with its own
lexer, and any spelling the lexer reads differently from the engine lets a
query make this server send requests.  So each query worker, when
it starts, installs a seccomp filter (Linux, x86_64 or aarch64) under which

* ``socket()`` fails with ``EPERM`` for every address family except
  ``AF_UNIX`` (the worker talks to its parent over a Unix pipe/socket pair),
* ``io_uring_setup()`` fails with ``EPERM`` (io_uring can open sockets
  without the ``socket`` system call),
* on x86_64, the x32 and i386 system-call ABIs are refused altogether.

A filter cannot be removed once installed and is inherited by every thread
and child, so nothing the engine does later can open a TCP or UDP socket:
a ``SERVICE`` call then fails inside the worker and no request leaves the
machine.  The filter needs ``PR_SET_NO_NEW_PRIVS``, which any process may set;
no root, capability or namespace is needed.

Where the filter cannot be installed (another OS or architecture, seccomp
disabled in the kernel), :func:`deny_network` returns ``False`` and the
caller must fall back to deciding on the engine's own parse of the query
(see :func:`jichitai_kg.query.rules.engine_guard.service_free`).

The worker also asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG``), so a worker can never outlive the server.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import signal
import struct
import sys
from typing import NamedTuple

# prctl options and seccomp constants (linux/prctl.h, linux/seccomp.h, linux/filter.h)
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
PR_GET_SECCOMP = 21
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000

BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
BPF_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
BPF_RET_K = 0x06  # BPF_RET | BPF_K

# offsets in struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6];}
OFF_NR, OFF_ARCH, OFF_ARG0 = 0, 4, 16

AF_UNIX = 1

#: Per architecture: audit arch value, socket and io_uring_setup numbers, and the first
#: number of a foreign ABI multiplexed on the same arch value (x32 on x86_64), if any.
class Arch(NamedTuple):
    audit: int
    socket: int
    io_uring_setup: int
    foreign_from: int | None


ARCHES = {
    "x86_64": Arch(audit=0xC000003E, socket=41, io_uring_setup=425, foreign_from=0x40000000),
    "aarch64": Arch(audit=0xC00000B7, socket=198, io_uring_setup=425, foreign_from=None),
}

_state = {"active": False, "reason": "not installed in this process"}


def _machine() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(m, m)


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def filter_program(arch: str) -> bytes:
    """The BPF program (struct sock_filter array) for ``arch``; see the module docstring."""
    a = ARCHES[arch]
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    prog = [
        _insn(BPF_LD_W_ABS, 0, 0, OFF_ARCH),
        _insn(BPF_JEQ_K, 1, 0, a.audit),          # native ABI: go on
        _insn(BPF_RET_K, 0, 0, deny),                # any other ABI: refused
        _insn(BPF_LD_W_ABS, 0, 0, OFF_NR),
    ]
    if a.foreign_from is not None:
        prog += [_insn(BPF_JGE_K, 0, 1, a.foreign_from),
                 _insn(BPF_RET_K, 0, 0, deny)]
    prog += [
        _insn(BPF_JEQ_K, 0, 1, a.io_uring_setup),
        _insn(BPF_RET_K, 0, 0, deny),
        _insn(BPF_JEQ_K, 1, 0, a.socket),
        _insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),   # not socket(): allowed
        _insn(BPF_LD_W_ABS, 0, 0, OFF_ARG0),         # socket(family, ...): low 32 bits
        _insn(BPF_JEQ_K, 0, 1, AF_UNIX),
        _insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        _insn(BPF_RET_K, 0, 0, deny),
    ]
    return b"".join(prog)


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _prctl(libc, option: int, *args: int | ctypes.c_void_p) -> None:
    argv = [ctypes.c_ulong(a) if isinstance(a, int) else a for a in args]
    argv += [ctypes.c_ulong(0)] * (4 - len(argv))
    if libc.prctl(option, *argv) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")


def limit_malloc_arenas(option: int, arenas: int) -> bool:
    """``mallopt(option, arenas)`` where the C library is glibc; ``False`` elsewhere."""
    try:
        return bool(_libc().mallopt(option, arenas))
    except (OSError, AttributeError):  # no libc found, or a libc without mallopt (musl, macOS)
        return False


def platform_supported() -> bool:
    """Linux on an architecture whose system-call numbers are known here."""
    return sys.platform.startswith("linux") and _machine() in ARCHES


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``signum`` to this process when its parent exits (Linux only)."""
    if sys.platform.startswith("linux"):
        _prctl(_libc(), PR_SET_PDEATHSIG, int(signum))


def deny_network() -> bool:
    """Install the filter in this process; ``True`` if it is (now) active.

    Call it at query-worker start, before the worker reads any query.  Returns
    ``False`` (and records why, see :func:`sandbox_status`) where no filter is possible.
    """
    if _state["active"]:
        return True
    if not platform_supported():
        _state["reason"] = f"no seccomp filter for {sys.platform}/{_machine()}"
        return False
    prog = filter_program(_machine())
    buf = ctypes.create_string_buffer(prog, len(prog))
    fprog = _SockFprog(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc = _libc()
    try:
        _prctl(libc, PR_SET_NO_NEW_PRIVS, 1)
        _prctl(libc, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.cast(ctypes.pointer(fprog),
                                                                       ctypes.c_void_p))
    except OSError as exc:
        _state["reason"] = f"seccomp filter refused by the kernel: {exc}"
        return False
    _state.update(active=True, reason="seccomp filter active")
    return True


def sandbox_status() -> tuple[bool, str]:
    """Whether this process runs under the filter, and a sentence saying why (not)."""
    return bool(_state["active"]), str(_state["reason"])


def sandbox_available() -> bool:
    """Whether a worker could be sandboxed here, tested in a throw-away child process."""
    if not platform_supported() or not hasattr(os, "fork"):
        return False
    pid = os.fork()
    if pid == 0:  # child: try, and report through the exit code only
        ok = False
        try:
            ok = deny_network()
            if ok:
                import socket
                try:
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
                    ok = False
                except PermissionError:
                    ok = True
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
