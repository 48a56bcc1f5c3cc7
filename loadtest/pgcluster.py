"""A PostgreSQL cluster of the load test's own: initdb, start, restart, stop.

The load test never touches another server: it runs Debian's PostgreSQL binaries on a data
directory of its own (`bench/work/load/pgdata`, kept between runs so that the generated
directory is reused) on a free loopback port, like `.ci/run` does. As root the server runs
as the `postgres` user (initdb refuses to run as root).

Also a command line, for trying the fault by hand:

    python -m loadtest.pgcluster start|restart|stop|status [--dir DIR] [--port PORT]
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "bench" / "work" / "load" / "pgdata"


class ClusterError(RuntimeError):
    pass


def pg_bin() -> Path:
    """The newest Debian PostgreSQL bin directory (pg_ctl, initdb, postgres)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise ClusterError(
        "PostgreSQL server binaries not found (apt-get install postgresql): "
        "no /usr/lib/postgresql/*/bin/pg_ctl and no pg_ctl on PATH"
    )


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parent.parent.name
    return tuple(int(p) for p in part.split(".") if p.isdigit()) or (0,)


def free_port(start: int = 54340) -> int:
    for port in range(start, start + 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise ClusterError(f"no free port in {start}–{start + 199}")


class Cluster:
    """One data directory, one port, loopback only, trust authentication for `postgres`."""

    def __init__(self, directory: Path = DEFAULT_DIR, port: int | None = None):
        self.directory = Path(directory).resolve()
        self.data = self.directory / "data"
        self.socket_dir = self.directory / "sock"
        self.log = self.directory / "server.log"
        self.port = port
        self.bin = pg_bin()
        self.as_root = os.geteuid() == 0

    # ------------------------------------------------------------------ plumbing
    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> str:
        command = [str(a) for a in args]
        if self.as_root:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise ClusterError(
                f"{' '.join(args[:2])} failed ({done.returncode}): "
                f"{(done.stderr or done.stdout).strip()[-800:]}"
            )
        return done.stdout

    def _own(self, path: Path) -> None:
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            for p in [path, *path.rglob("*")] if path.exists() else []:
                os.chown(p, entry.pw_uid, entry.pw_gid)

    @property
    def url_base(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def url(self, database: str) -> str:
        return f"{self.url_base}/{database}"

    # --------------------------------------------------------------- life cycle
    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        self._own(self.directory)
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            timeout=300,
        )

    def _options(self) -> str:
        # Loopback only; a little more memory than the defaults for a 1 GB database.
        return (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socket_dir} "
            "-c shared_buffers=256MB -c max_connections=200 -c fsync=on "
            "-c synchronous_commit=on"
        )

    def running(self) -> bool:
        if self.port is None:
            return False
        done = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
        )
        return done.returncode == 0

    def start(self) -> None:
        self.init()
        if self.port is None:
            self.port = free_port()
        self.socket_dir.mkdir(exist_ok=True)
        self._own(self.socket_dir)
        status = self._run(self.bin / "pg_ctl", "-D", self.data, "status", check=False)
        if "server is running" in status:
            # Left over from an interrupted run: stop it and start on our port.
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "stop", check=False)
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-o",
            self._options(),
            "-l",
            self.log,
            "-w",
            "start",
        )

    def restart(self) -> float:
        """`pg_ctl restart -m fast`: every connection is dropped. Returns seconds taken."""
        started = time.monotonic()
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-m",
            "fast",
            "-o",
            self._options(),
            "-l",
            self.log,
            "-w",
            "restart",
        )
        return time.monotonic() - started

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)

    # ------------------------------------------------------------------- SQL
    def psql(self, sql: str, database: str = "postgres") -> str:
        psql = shutil.which("psql") or str(self.bin / "psql")
        done = subprocess.run(
            [
                psql,
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise ClusterError(f"psql {sql[:80]!r}: {done.stderr.strip()}")
        return done.stdout.strip()

    def exists(self, database: str) -> bool:
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"

    def clone(self, template: str, database: str) -> None:
        """A fresh copy of `template` (CREATE DATABASE … TEMPLATE: a file copy)."""
        self.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "restart", "stop", "status"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    cluster = Cluster(args.dir, args.port)
    if args.action == "start":
        cluster.start()
        print(f"PostgreSQL running on 127.0.0.1:{cluster.port} ({cluster.data})")
    elif args.action == "restart":
        if args.port is None:
            raise SystemExit("--port is needed to restart")
        print(f"restarted in {cluster.restart():.2f} s")
    elif args.action == "stop":
        cluster.stop()
        print("stopped")
    else:
        print("running" if cluster.running() else "not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
