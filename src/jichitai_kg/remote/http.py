"""A small HTTP client for talking to a remote SPARQL store (standard library only).

Used by ``push`` (Graph Store Protocol and SPARQL Update) and by the remote query
executor.  Every request has a deadline that covers connecting *and* reading the
body, a cap on the body it will read, and optional credentials: Basic is sent up
front, Digest (Virtuoso's ``/sparql-auth``) is answered when the server asks for it.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..errors import BadRequest

USER_AGENT = "jichitai-kg (remote store client)"
CHUNK = 64 * 1024


class RemoteError(RuntimeError):
    """The store answered with an error status, or could not be reached.

    Internal to this package: the executor and push turn it into a :class:`~jichitai_kg.errors.JKGError`.
    """

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteTimeout(RemoteError):
    """The deadline passed before the whole answer arrived."""


class RemoteTooLarge(RemoteError):
    """The answer is longer than the caller is willing to read."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    @classmethod
    def from_env(cls, user: str | None, password_env: str | None) -> Credentials | None:
        """``user`` with the password read from the environment variable ``password_env``."""
        if not user:
            return None
        if not password_env or password_env not in os.environ:
            raise BadRequest(f"a user name is given but the password variable {password_env!r} "
                             "is not set in the environment")
        return cls(user, os.environ[password_env])


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


class Client:
    """Requests to one store, safe to share between threads.

    Each thread keeps one persistent connection per store (a new TCP connection and
    urllib's machinery cost about 1.6 ms per request on loopback, several times the time
    the Oxigraph server needs for a small query).  Basic credentials are sent up front;
    when the store asks for Digest instead, requests go through urllib's Digest handler.
    """

    def __init__(self, credentials: Credentials | None = None):
        self.credentials = credentials
        self._local = threading.local()
        self._digest = False  # the store asked for Digest: use urllib from then on
        handlers: list = []
        if credentials is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, "http://", credentials.user, credentials.password)
            passwords.add_password(None, "https://", credentials.user, credentials.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        # No proxies from the environment: the store is addressed directly.
        handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 30.0,
                max_bytes: int = 256 * 1024 * 1024) -> Response:
        """Send one request; raise :class:`RemoteError` for any status >= 300."""
        deadline = time.monotonic() + timeout
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.credentials is not None:
            token = f"{self.credentials.user}:{self.credentials.password}".encode()
            all_headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        if not self._digest:
            resp = self._pooled(method, url, body, all_headers, timeout, deadline, max_bytes)
            if resp is not None:
                return resp
        return self._via_urllib(method, url, body, all_headers, timeout, deadline, max_bytes)

    # -- persistent connections (http.client)

    def _connection(self, parts: urllib.parse.SplitResult, timeout: float):
        conns = self._local.__dict__.setdefault("conns", {})
        key = (parts.scheme, parts.hostname, parts.port)
        if key not in conns:
            cls = (http.client.HTTPSConnection if parts.scheme == "https"
                   else http.client.HTTPConnection)
            conns[key] = cls(parts.hostname or "", parts.port, timeout=timeout)
        return conns[key], key

    def _drop(self, key) -> None:
        conn = self._local.__dict__.get("conns", {}).pop(key, None)
        if conn is not None:
            conn.close()

    def _pooled(self, method, url, body, headers, timeout, deadline, max_bytes):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"not an http(s) URL: {short_url(url)}")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (0, 1):
            conn, key = self._connection(parts, timeout)
            reused = conn.sock is not None
            try:
                if reused:
                    conn.sock.settimeout(timeout)
                else:
                    conn.timeout = timeout
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = _read(resp, deadline, max_bytes)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self._drop(key)
                if reused and attempt == 0:
                    continue  # the store closed an idle kept-alive connection: open a new one
                raise RemoteError(f"the connection to {short_url(url)} failed: {exc}") from None
            except TimeoutError:
                self._drop(key)
                raise RemoteTimeout(f"no answer from {short_url(url)} within {timeout:g} s") from None
            except RemoteError:
                self._drop(key)
                raise
            except (OSError, http.client.HTTPException) as exc:
                self._drop(key)
                raise RemoteError(f"cannot reach the store at {short_url(url)}: {exc}") from None
            if resp.will_close:
                self._drop(key)
            challenge = (resp.headers.get("WWW-Authenticate") or "").lower()
            if resp.status == 401 and self.credentials is not None and "digest" in challenge:
                self._digest = True
                return None
            if resp.status >= 300:
                detail = _detail(data)
                raise RemoteError(f"the store answered {resp.status} {resp.reason} for {method} "
                                  f"{short_url(url)}" + (f": {detail}" if detail else ""),
                                  status=resp.status)
            return Response(resp.status, resp.headers.get("Content-Type", ""), data)
        raise AssertionError("unreachable")

    # -- urllib, for Digest authentication

    def _via_urllib(self, method, url, body, headers, timeout, deadline, max_bytes):
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                data = _read(resp, deadline, max_bytes)
                return Response(resp.status, resp.headers.get("Content-Type", ""), data)
        except urllib.error.HTTPError as exc:
            try:
                detail = _detail(exc.read(2000))
            except Exception:  # the body is only a detail of the message
                detail = ""
            raise RemoteError(f"the store answered {exc.code} {exc.reason} for {method} "
                              f"{short_url(url)}" + (f": {detail}" if detail else ""),
                              status=exc.code) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise RemoteTimeout(f"no answer from {short_url(url)} within {timeout:g} s") from None
            raise RemoteError(f"cannot reach the store at {short_url(url)}: {exc.reason}") from None
        except TimeoutError:
            raise RemoteTimeout(f"no answer from {short_url(url)} within {timeout:g} s") from None
        except (ConnectionError, OSError) as exc:
            raise RemoteError(f"the connection to {short_url(url)} failed: {exc}") from None


def _read(resp, deadline: float, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RemoteTimeout("the store did not finish its answer in time")
        sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
        if sock is not None:
            sock.settimeout(left)
        chunk = resp.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > max_bytes:
            raise RemoteTooLarge(f"the store's answer is longer than {max_bytes} bytes")
        parts.append(chunk)


def _detail(data: bytes) -> str:
    """The start of an error body, on one line, for the message."""
    return " ".join(data[:2000].decode("utf-8", "replace").split())[:500]


def short_url(url: str) -> str:
    """The URL for messages: no user info and no query string (queries are long)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def form_body(pairs: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(pairs).encode("ascii")


def with_params(url: str, pairs: list[tuple[str, str]]) -> str:
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + sep + urllib.parse.urlencode(pairs)
