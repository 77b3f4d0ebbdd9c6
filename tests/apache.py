"""Debian's Apache httpd on loopback, serving one folder with its .htaccess (for the static site)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers", "alias")


def binary() -> str:
    """The apache2 binary, or a failure that says how to get it (the tests never skip)."""
    found = shutil.which("apache2") or ("/usr/sbin/apache2" if os.path.exists("/usr/sbin/apache2") else None)
    missing = [m for m in NEEDED if not (MODULES / f"mod_{m}.so").exists()]
    if not found or missing:
        raise RuntimeError("Apache httpd is needed for the static-site tests: run `make apache` "
                           "(apt-get install apache2) — " + (f"missing modules {missing}" if found else "no apache2"))
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(docroot: Path, run_dir: Path, port: int, aliases: dict[str, Path] | None = None) -> str:
    user = "www-data" if os.geteuid() == 0 else None
    lines = [f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in NEEDED]
    lines += [
        f"ServerRoot {run_dir}", f"Listen 127.0.0.1:{port}", "ServerName 127.0.0.1",
        f"PidFile {run_dir}/httpd.pid", f"ErrorLog {run_dir}/error.log", "LogLevel warn",
        f"DefaultRuntimeDir {run_dir}", f"Mutex file:{run_dir}", "StartServers 1",
        "ServerLimit 1", "ThreadsPerChild 16", "MaxRequestWorkers 16", "TypesConfig /dev/null",
        *([f"User {user}", f"Group {user}"] if user else []),
        f'DocumentRoot "{docroot}"',
        f'<Directory "{docroot}">', "  AllowOverride All", "  Require all granted", "</Directory>",
    ]
    for prefix, folder in (aliases or {}).items():
        lines += [f'Alias "{prefix}" "{folder}"', f'<Directory "{folder}">', "  AllowOverride All",
                  "  Require all granted", "</Directory>"]
    return "\n".join(lines) + "\n"


class Apache:
    def __init__(self, docroot: Path, run_dir: Path, aliases: dict[str, Path] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.run_dir = run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        conf = run_dir / "httpd.conf"
        conf.write_text(config(docroot, run_dir, self.port, aliases), encoding="utf-8")
        self.proc = subprocess.Popen([binary(), "-f", str(conf), "-DFOREGROUND"], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"apache2 exited: {self.proc.stdout.read().decode()[-2000:]}"  # type: ignore[union-attr]
                                   + self.error_log())
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("apache2 did not answer within 20 s" + self.error_log())

    def error_log(self) -> str:
        log = self.run_dir / "error.log"
        return "\n" + log.read_text()[-2000:] if log.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed: (status, headers, body)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()
