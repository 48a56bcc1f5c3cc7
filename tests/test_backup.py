"""Backup and restore (`manage.py backup`, `manage.py restore`; docs/backup.md).

Round trip on the database the suite runs on (SQLite locally, SQLite and PostgreSQL in CI):
data of every kind (directory, coverage and search text, a person with consent, a referral
and its history, audit entries), back up, wipe the database completely, restore: the same
row counts, the same content of the main tables (a checksum), and search still finds the
services. Damaged, foreign and mismatched files are refused with a clear message.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import AuditEntry
from directory.models import Location, Organization, Service, ServiceCoverage
from directory.search import reset_thesaurus, search_services
from directory.validators import ico_with_checksum
from ops import backup as ops
from referrals import services as referral_services
from referrals.models import Consent, Person, Referral, ReferralEvent
from tests.factories import KYJOV, make_organization, make_service, make_territory, make_user

# Every test here commits: the backup is taken by another connection (SQLite's backup API,
# pg_dump), and the restore replaces the whole database.
pytestmark = pytest.mark.django_db(transaction=True)

CHECKSUMMED = (
    Organization,
    Service,
    Location,
    ServiceCoverage,
    Person,
    Consent,
    Referral,
    ReferralEvent,
    AuditEntry,
)


def _vendor_is(vendor: str) -> None:
    if connection.vendor != vendor:
        pytest.skip(f"runs when the suite runs on {vendor} (DATABASE_URL)")


def _pg_tools() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not on PATH: install the PostgreSQL client tools "
            "(apt-get install postgresql-client) to test PostgreSQL backups"
        )


def _make_data():
    """A small territory with services, a person, consent, a referral: every kind of row."""
    territory = make_territory("kyjovsko", codes=(KYJOV,))
    shelter_org = make_organization("Azylový dům Kyjov, z.s.", ico=ico_with_checksum("2680001"))
    shelter = make_service(
        shelter_org,
        type_code="57",
        name="Azylový dům pro matky s dětmi",
        target_groups=("23",),
        free_places=2,
    )
    intake = make_organization("MAS Kyjovské Slovácko", ico=ico_with_checksum("2680002"))
    make_service(intake, type_code="37", name="Dluhová poradna Kyjov", forms=("amb", "ter"))
    worker = make_user("zalohova-pracovnice", organization=intake, role="social_worker")
    person = referral_services.record_person(
        actor=worker, organization=intake, name="Jana Zálohová", birth_year=1980
    )
    referral_services.record_consent(
        actor=worker, person=person, purpose="referral", given_by="self", share_with=[shelter_org]
    )
    referral_services.create_referral(
        actor=worker, person=person, service=shelter, territory=territory, note="Hledá bydlení."
    )
    return territory, shelter


def _checksum(model) -> str:
    rows = model.objects.order_by("pk").values_list()
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _snapshot() -> dict:
    with connection.cursor() as cursor:
        counts = ops.count_rows(cursor, ops.table_names(connection), connection.ops.quote_name)
    return {"counts": counts, "checksums": {m.__name__: _checksum(m) for m in CHECKSUMMED}}


def _finds(territory, service) -> bool:
    reset_thesaurus()
    hits = search_services(territory=territory, query="azylove domy pro matky").hits
    return service.pk in {hit.service.pk for hit in hits}


def _tables() -> list[str]:
    return connection.introspection.table_names()


def _round_trip(tmp_path, wipe) -> None:
    territory, shelter = _make_data()
    before = _snapshot()
    assert before["counts"]["referrals_referral"] == 1
    assert _finds(territory, shelter)

    result = ops.backup(tmp_path / "backups")
    assert result.path.exists()
    assert result.manifest["tables"] == before["counts"]
    manifest_path = result.path.with_name(result.path.name + ".json")
    assert json.loads(manifest_path.read_text())["sha256"] == ops.sha256(result.path)
    # Personal data: the backup and its manifest are readable by their owner only.
    for path in (result.path, manifest_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    wipe()
    assert "directory_service" not in _tables(), "the wipe left the database as it was"

    restored = ops.restore(result.path)
    assert restored.checked_against_manifest
    assert restored.pending_migrations == []
    after = _snapshot()
    assert after["counts"] == before["counts"]
    assert after["checksums"] == before["checksums"]
    assert _finds(territory, shelter), "search does not find the service after the restore"


def test_sqlite_round_trip(tmp_path):
    _vendor_is("sqlite")

    def wipe():
        name = connection.settings_dict["NAME"]
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)

    _round_trip(tmp_path, wipe)


def test_postgresql_round_trip(tmp_path):
    _vendor_is("postgresql")
    _pg_tools()

    def wipe():
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")

    _round_trip(tmp_path, wipe)


def test_commands_keep_the_newest_and_check_a_backup(tmp_path):
    if connection.vendor == "postgresql":
        _pg_tools()
    make_organization("Spolek Záloha", ico=ico_with_checksum("2680003"))
    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    call_command("backup", str(tmp_path), "--keep", "1", stdout=out)
    assert "Backup " in out.getvalue() and "tables" in out.getvalue()
    backups = sorted(p for p in tmp_path.iterdir() if p.suffix in (".sqlite3", ".dump"))
    assert len(backups) == 1, backups
    assert backups[0].with_name(backups[0].name + ".json").exists()

    out = io.StringIO()
    call_command("restore", str(backups[0]), "--check-only", stdout=out)
    assert "matches its manifest" in out.getvalue()

    # Restored by the command, without questions (--no-input), the organisation is back.
    Organization.objects.all().delete()
    out = io.StringIO()
    call_command("restore", str(backups[0]), "--no-input", stdout=out)
    assert "row counts match the manifest" in out.getvalue()
    assert Organization.objects.filter(name="Spolek Záloha").exists()


def test_damaged_or_foreign_files_are_refused(tmp_path):
    if connection.vendor == "postgresql":
        _pg_tools()
    make_organization("Spolek Záloha", ico=ico_with_checksum("2680004"))
    result = ops.backup(tmp_path)
    before = _snapshot()

    damaged = tmp_path / "damaged" / result.path.name
    damaged.parent.mkdir()
    shutil.copy(result.path, damaged)
    shutil.copy(result.path.with_name(result.path.name + ".json"), damaged.parent)
    raw = bytearray(damaged.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(ops.BackupError, match="differs from its manifest"):
        ops.restore(damaged)
    with pytest.raises(CommandError, match="differs from its manifest"):
        call_command("restore", str(damaged), "--check-only")

    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a backup")
    with pytest.raises(ops.BackupError, match="neither an SQLite database nor a pg_dump"):
        ops.restore(foreign)

    with pytest.raises(ops.BackupError, match="no such file"):
        ops.restore(tmp_path / "missing.sqlite3")
    assert _snapshot() == before, "a refused restore changed the database"


def test_a_backup_of_the_other_database_kind_is_refused(tmp_path):
    other = tmp_path / ("spojka-x.dump" if connection.vendor == "sqlite" else "spojka-x.sqlite3")
    other.write_bytes(
        ops.PGDUMP_MAGIC + b"\x00" * 64
        if connection.vendor == "sqlite"
        else ops.SQLITE_MAGIC + b"\x00" * 64
    )
    with pytest.raises(ops.BackupError, match="backup, but the database"):
        ops.restore(other)
