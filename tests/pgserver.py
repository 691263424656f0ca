"""A real PostgreSQL server for tests, started on loopback in a temporary folder and stopped after.

The server binaries come from the system (``make system-deps`` installs Debian's ``postgresql``).
PostgreSQL refuses to run as root, so under root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    candidates = [str(Path(os.path.realpath(found)).parent)] if found else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    return next((Path(c) for c in candidates if (Path(c) / "initdb").exists()), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Postgres:
    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (initdb, pg_ctl): run `make system-deps`")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="oitcheck-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.user = None if os.geteuid() != 0 else pwd.getpwnam("postgres")
        if self.user:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str) -> None:
        def drop() -> None:
            if self.user:
                os.setgid(self.user.pw_gid)
                os.setuid(self.user.pw_uid)

        proc = subprocess.run(args, preexec_fn=drop, capture_output=True, text=True, timeout=120, cwd=self.root)
        if proc.returncode:
            log = self.root / "server.log"
            raise RuntimeError(f"{args[0]} failed: {proc.stderr or proc.stdout}"
                               + (log.read_text()[-2000:] if log.exists() else ""))

    def start(self) -> Postgres:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "oitcheck", "--auth=trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.root / "server.log"),
                  "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://oitcheck@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
