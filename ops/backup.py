"""Backup and restore of Spojka's database, for SQLite and PostgreSQL (docs/backup.md).

`backup(directory)` writes one file and its manifest:

- SQLite: SQLite's online backup API copies the live database page by page while the site
  keeps running (readers and writers are not stopped; the copy is one consistent moment),
  then `PRAGMA integrity_check` checks the copy. `spojka-YYYYMMDD-HHMMSS.sqlite3`.
- PostgreSQL: `pg_dump --format=custom` of one consistent snapshot; the row counts of the
  manifest are read in the same snapshot (`pg_export_snapshot`, `pg_dump --snapshot`).
  `spojka-YYYYMMDD-HHMMSS.dump`.
- The manifest (`<file>.json`): database kind, time, the applied migrations, the number of
  rows of every table, the size and SHA-256 of the file. Both files are readable by
  their owner only (0600): a backup holds the personal data of vulnerable people.

`restore(path)` checks the file against its manifest (SHA-256, kind of database), replaces
the database with it, rebuilds the SQLite full-text index, and compares the row counts with
the manifest; any difference is an error.

- SQLite: the backup is copied next to the database, checked, and moved over it in one
  rename; the database's old `-wal`/`-shm` files are removed first (a stale write-ahead log
  must never be replayed into another database). Stop the application first.
- PostgreSQL: `pg_restore --clean --if-exists --single-transaction --exit-on-error
  --no-owner --no-privileges`: every object of the backup is dropped and recreated in one
  transaction, so a failed restore leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.db import connections, transaction

PREFIX = "spojka-"
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
MANIFEST_FORMAT = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float

    def summary(self) -> str:
        tables = self.manifest["tables"]
        return (
            f"Backup {self.path} ({self.manifest['bytes'] / 2**20:.1f} MB, "
            f"{self.manifest['vendor']}): {len(tables)} tables, {sum(tables.values()):,} rows, "
            f"in {self.seconds:.1f} s."
        )


@dataclass
class RestoreResult:
    path: Path
    vendor: str
    tables: dict[str, int]
    seconds: float
    checked_against_manifest: bool
    pending_migrations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        checked = (
            "row counts match the manifest"
            if self.checked_against_manifest
            else ("no manifest to compare with")
        )
        return (
            f"Restored {self.path} ({self.vendor}): {len(self.tables)} tables, "
            f"{sum(self.tables.values()):,} rows, {checked}, in {self.seconds:.1f} s."
        )


Say = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


# --------------------------------------------------------------------------- helpers
def table_names(connection) -> list[str]:
    """Every table of the project's models (with many-to-many tables) that exists."""
    existing = set(connection.introspection.table_names())
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    names.add("django_migrations")
    return sorted(names & existing)


def count_rows(cursor, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor, quote: Callable[[str], str]) -> dict[str, str]:
    """The last applied migration of every app (what the backup's schema is)."""
    cursor.execute(f"SELECT app, name FROM {quote('django_migrations')} ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _private(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.chmod(0o600)


def _version() -> str:
    try:
        return metadata.version("spojka")
    except metadata.PackageNotFoundError:
        return ""


def _write_manifest(path: Path, manifest: dict) -> Path:
    target = path.with_name(path.name + ".json")
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _private(tmp)
    os.replace(tmp, target)
    return target


def read_manifest(path: Path) -> dict | None:
    manifest = path.with_name(path.name + ".json")
    if not manifest.exists():
        return None
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{manifest}: the manifest cannot be read ({exc})") from exc


def kind_of(path: Path) -> str:
    """'sqlite' or 'postgresql', from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path}: neither an SQLite database nor a pg_dump custom-format file "
        "(a backup made by `manage.py backup`)"
    )


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) in the version of the server or newer"
        )
    return found


def pg_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection options of pg_dump/pg_restore and their environment (the password)."""
    args = []
    env = dict(os.environ)
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    args.append("--no-password")
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what} failed ({done.returncode}): {' '.join(detail[-5:])}")


# ---------------------------------------------------------------------------- backup
def backup(directory: Path | str, *, using: str = "default", say: Say = _quiet) -> BackupResult:
    """Write a backup of the database `using` into `directory`; see the module docstring."""
    started = time.monotonic()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    vendor = connection.vendor
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if vendor == "sqlite":
        path = _unique(directory / f"{PREFIX}{stamp}.sqlite3")
        tables, migrations = _backup_sqlite(connection, path, say)
    elif vendor == "postgresql":
        path = _unique(directory / f"{PREFIX}{stamp}.dump")
        tables, migrations = _backup_postgresql(connection, path, say)
    else:
        raise BackupError(f"backups of {vendor} databases are not supported")
    manifest = {
        "format": MANIFEST_FORMAT,
        "vendor": vendor,
        "file": path.name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "spojka_version": _version(),
        "django_version": metadata.version("django"),
        "migrations": migrations,
        "tables": tables,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
    }
    _write_manifest(path, manifest)
    return BackupResult(path=path, manifest=manifest, seconds=time.monotonic() - started)


def _unique(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _backup_sqlite(connection, path: Path, say: Say) -> tuple[dict, dict]:
    source = Path(connection.settings_dict["NAME"])
    if not source.exists():
        raise BackupError(f"{source}: the database file does not exist")
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    say(f"Backing up {source} with SQLite's online backup API …")

    def progress(status, remaining, total):
        if total:
            done = total - remaining
            say(f"  {100 * done // total:3d} %  {done:,}/{total:,} pages")

    # A connection of our own: the backup API copies pages while others read and write,
    # restarting on a change, and ends with one consistent moment of the database.
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(tmp)) as dst,
    ):
        src.backup(dst, pages=8192, progress=progress)
    _private(tmp)
    with contextlib.closing(sqlite3.connect(f"file:{tmp}?mode=ro", uri=True)) as copy:
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            tmp.unlink(missing_ok=True)
            raise BackupError(f"the copy of {source} failed its integrity check: {check}")
        cursor = copy.cursor()
        names = [
            row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        wanted = [t for t in table_names(connection) if t in names]
        quote = connection.ops.quote_name
        tables = count_rows(cursor, wanted, quote)
        migrations = applied_migrations(cursor, quote)
    os.replace(tmp, path)
    return tables, migrations


def _backup_postgresql(connection, path: Path, say: Say) -> tuple[dict, dict]:
    pg_dump = pg_tool("pg_dump")
    args, env = pg_arguments(connection.settings_dict)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    quote = connection.ops.quote_name
    if connection.in_atomic_block:
        raise BackupError(
            "a PostgreSQL backup needs a snapshot of its own: run it outside a transaction"
        )
    say(f"Backing up {connection.settings_dict['NAME']} with pg_dump --format=custom …")
    # One snapshot for the counts and the dump: the manifest says what the file holds.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = count_rows(cursor, table_names(connection), quote)
        migrations = applied_migrations(cursor, quote)
        _run(
            [
                pg_dump,
                *args,
                "--format=custom",
                "--compress=6",
                f"--snapshot={snapshot}",
                "--file",
                str(tmp),
                str(connection.settings_dict["NAME"]),
            ],
            env,
            "pg_dump",
        )
    _private(tmp)
    os.replace(tmp, path)
    return tables, migrations


def prune(directory: Path | str, keep: int, say: Say = _quiet) -> list[Path]:
    """Delete all but the `keep` newest backups (and their manifests) in `directory`."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    backups = sorted(
        (
            p
            for p in Path(directory).glob(f"{PREFIX}*")
            if p.suffix in (".sqlite3", ".dump") and p.is_file()
        ),
        key=lambda p: p.name,
        reverse=True,
    )
    removed = []
    for old in backups[keep:]:
        for path in (old, old.with_name(old.name + ".json")):
            if path.exists():
                path.unlink()
                removed.append(path)
        say(f"  removed the old backup {old.name}")
    return removed


# --------------------------------------------------------------------------- restore
def verify(path: Path | str) -> dict | None:
    """Check a backup file against its manifest (size, SHA-256); returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    manifest = read_manifest(path)
    kind = kind_of(path)
    if manifest is None:
        return None
    if manifest.get("vendor") != kind:
        raise BackupError(f"{path}: the manifest says {manifest.get('vendor')}, the file is {kind}")
    if path.stat().st_size != manifest.get("bytes") or sha256(path) != manifest.get("sha256"):
        raise BackupError(
            f"{path}: the file differs from its manifest (size or SHA-256): it is damaged or "
            "incomplete; restore another backup"
        )
    return manifest


def restore(
    path: Path | str,
    *,
    using: str = "default",
    reindex: bool = True,
    say: Say = _quiet,
) -> RestoreResult:
    """Replace the database `using` with the backup at `path`; see the module docstring."""
    started = time.monotonic()
    path = Path(path).resolve()
    manifest = verify(path)
    kind = kind_of(path)
    connection = connections[using]
    if kind != connection.vendor:
        raise BackupError(
            f"{path} is a {kind} backup, but the database {using!r} is {connection.vendor}"
        )
    if kind == "sqlite":
        _restore_sqlite(connection, path, say)
    else:
        _restore_postgresql(connection, path, say)
    connection.close()
    if reindex:
        from directory.services import rebuild_search_index

        say("Rebuilding the full-text index …")
        rebuild_search_index()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = count_rows(cursor, table_names(connection), quote)
        migrations = applied_migrations(cursor, quote)
    checked = False
    if manifest is not None:
        expected = manifest.get("tables", {})
        different = [
            f"{table}: {count:,} in the backup, {tables.get(table, 0):,} restored"
            for table, count in sorted(expected.items())
            if tables.get(table, 0) != count
        ]
        if different:
            raise BackupError(
                "the restored database differs from the backup's manifest: "
                + "; ".join(different[:10])
            )
        checked = True
    pending = _pending_migrations(migrations)
    return RestoreResult(
        path=path,
        vendor=kind,
        tables=tables,
        seconds=time.monotonic() - started,
        checked_against_manifest=checked,
        pending_migrations=pending,
    )


def _pending_migrations(applied: dict[str, str]) -> list[str]:
    """Apps whose code has newer migrations than the restored database (run `migrate`)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    newest: dict[str, str] = {}
    for app, name in loader.disk_migrations:
        newest[app] = max(newest.get(app, ""), name)
    return sorted(app for app, name in newest.items() if applied.get(app, "") < name)


def _restore_sqlite(connection, path: Path, say: Say) -> None:
    target = Path(connection.settings_dict["NAME"])
    if str(target) in ("", ":memory:") or "mode=memory" in str(target):
        raise BackupError("the database is in memory; there is no file to restore into")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore")
    tmp.unlink(missing_ok=True)
    say(f"Restoring {path} into {target} …")
    with (
        contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(tmp)) as dst,
    ):
        src.backup(dst, pages=8192)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        tmp.unlink(missing_ok=True)
        raise BackupError(f"{path} failed its integrity check: {check}; nothing was changed")
    _private(tmp)
    connection.close()
    # The old database's write-ahead log belongs to the old file: never replay it into this.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, target)


def _restore_postgresql(connection, path: Path, say: Say) -> None:
    pg_restore = pg_tool("pg_restore")
    args, env = pg_arguments(connection.settings_dict)
    say(f"Restoring {path} into {connection.settings_dict['NAME']} with pg_restore …")
    connection.close()
    _run(
        [
            pg_restore,
            *args,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(path),
        ],
        env,
        "pg_restore",
    )
