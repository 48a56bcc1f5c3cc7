"""The HSDS 3.0 data package: export, import, round trip, bad packages, hidden addresses."""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from directory import hsds_package
from directory.demo import load_demo_data
from directory.hsds_ids import (
    CZ_PROFILE,
    SERVICE_TYPE,
    taxonomy_term_uuid,
    taxonomy_uuid,
)
from directory.models import (
    CapacityReport,
    Contact,
    Location,
    Organization,
    RegisteredCapacity,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCoverage,
)
from territory.models import Territory
from tests.factories import KYJOV, make_territory

OFFICIAL = json.loads(
    (Path(__file__).parent / "data" / "hsds" / "datapackage.json").read_text(encoding="utf-8")
)
OFFICIAL_RESOURCES = {resource["name"]: resource for resource in OFFICIAL["resources"]}
# What the hidden demo location really has: none of it may leave the database.
SECRET = {
    "street": "Skrytá 1313",
    "postal_code": "987 65",
    "latitude": 49.4242424242,
    "longitude": 15.1313131313,
    "transport": "Od zastávky Skrytý mlýn doprava",
    "accessibility": "Vchod ze dvora Skrytého mlýna",
}
COUNTED = (
    Organization,
    Service,
    Location,
    ServiceAtLocation,
    ServiceArea,
    ServiceCoverage,
    Schedule,
    Contact,
    CapacityReport,
    RegisteredCapacity,
    Service.forms.through,
    Service.target_groups.through,
    Service.age_groups.through,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def package(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo directory exported once (the whole and one territory), then rolled back.

    The hidden demo location gets a secret address and every capacity report a reporter
    first: neither may leave the database. Tests start from an empty directory.
    """
    root = tmp_path_factory.mktemp("hsds")
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        hidden = Location.objects.filter(address_hidden=True)
        assert hidden.exists()
        hidden.update(**SECRET)
        reporter = get_user_model().objects.create_user(
            username="reporterka-tajna", email="reporterka.tajna@example.cz"
        )
        CapacityReport.objects.update(reported_by=reporter)
        out = StringIO()
        call_command("export_hsds", str(root / "a"), stdout=out)
        territory = Territory.objects.get(slug="kyjovske-slovacko")
        call_command("export_hsds", str(root / "t"), "--territory", territory.slug, stdout=out)
        org = Organization.objects.exclude(ico="").order_by("id").first()
        service = Service.objects.select_related("service_type").order_by("id").first()
        info = {
            "dir": root / "a",
            "output": out.getvalue(),
            "counts": _counts(),
            "territory_dir": root / "t",
            "territory_services": set(
                Service.objects.in_territory(territory).values_list("id", flat=True)
            ),
            "hidden_ids": {str(pk) for pk in hidden.values_list("id", flat=True)},
            "org": (str(org.id), org.ico),
            "service": (str(service.id), service.service_type.code),
        }
        transaction.set_rollback(True)
    return info


@pytest.fixture
def populated(package, db):
    """The exported demo directory imported into the (empty) test database."""
    _import(package["dir"])
    return package


def _files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _import(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_hsds", str(directory), *args, stdout=out)
    return out.getvalue()


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------


def test_export_writes_the_official_tables_with_the_official_columns(package):
    directory = package["dir"]
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    ours = {resource["name"]: resource for resource in descriptor["resources"]}
    expected_files = {
        "organizations.csv",
        "organization_identifiers.csv",
        "services.csv",
        "locations.csv",
        "service_at_location.csv",
        "addresses.csv",
        "phones.csv",
        "schedules.csv",
        "service_areas.csv",
        "contacts.csv",
        "taxonomies.csv",
        "taxonomy_terms.csv",
        "attributes.csv",
        "cost_options.csv",
        "languages.csv",
        "accessibility.csv",
        "programs.csv",
        "cz_capacity_reports.csv",
        "cz_registered_capacities.csv",
        "datapackage.json",
    }
    assert {path.name for path in directory.iterdir()} == expected_files
    assert {resource["path"] for resource in descriptor["resources"]} == expected_files - {
        "datapackage.json"
    }
    assert descriptor["profile"] == "tabular-data-package"

    def essentials(resource):
        schema = resource["schema"]
        keep = ("name", "type", "format", "constraints")
        return {
            "name": resource["name"],
            "path": resource["path"],
            "profile": resource["profile"],
            "primaryKey": schema["primaryKey"],
            "foreignKeys": schema.get("foreignKeys"),
            "fields": [{k: f[k] for k in keep if k in f} for f in schema["fields"]],
        }

    official_written = [name for name in ours if name in OFFICIAL_RESOURCES]
    assert len(official_written) == 17
    for name in official_written:
        official = OFFICIAL_RESOURCES[name]
        header = _read(directory / official["path"])[0]
        assert header == [field["name"] for field in official["schema"]["fields"]], name
        assert essentials(ours[name]) == essentials(official), name
    for name in ("cz_capacity_report", "cz_registered_capacity"):
        assert name not in OFFICIAL_RESOURCES
        header = _read(directory / ours[name]["path"])[0]
        assert header == [field["name"] for field in ours[name]["schema"]["fields"]]


def test_export_counts_rows_and_ends_with_a_summary(package):
    lines = package["output"].strip().splitlines()
    counts = package["counts"]
    assert f"  services.csv: {counts['Service']} rows" in lines
    assert lines[0].startswith("Exporting HSDS 3.0 data package to ")
    summary = next(line for line in lines if line.startswith("Exported "))
    assert summary.startswith(
        f"Exported {counts['Service']} services, {counts['Organization']} organizations, "
        f"{counts['Location']} locations ("
    )
    directory = package["dir"]
    assert len(_dicts(directory / "services.csv")) == counts["Service"]
    for name in ("attributes.csv", "services.csv", "phones.csv"):
        ids = [row[0] for row in _read(directory / name)[1:]]
        assert ids == sorted(ids), name


def test_export_uses_the_shared_taxonomy_ids_and_czech_codes(package):
    directory = package["dir"]
    terms = {row["id"]: row for row in _dicts(directory / "taxonomy_terms.csv")}
    shelter = terms[str(taxonomy_term_uuid(SERVICE_TYPE, "57"))]
    assert shelter["code"] == "57"
    assert shelter["taxonomy_id"] == str(taxonomy_uuid(SERVICE_TYPE))
    assert terms[str(taxonomy_term_uuid("target_group", "1"))]["code"] == "target_group:1"
    codes = [row["code"] for row in terms.values()]
    assert len(codes) == len(set(codes))  # HSDS: term codes are unique
    taxonomies = {row["id"]: row for row in _dicts(directory / "taxonomies.csv")}
    assert "108/2006" in taxonomies[str(taxonomy_uuid(SERVICE_TYPE))]["name"]

    org_id, ico = package["org"]
    identifiers = [
        (row["identifier_scheme"], row["identifier_type"], row["identifier"])
        for row in _dicts(directory / "organization_identifiers.csv")
        if row["organization_id"] == org_id
    ]
    assert identifiers == [("CZ-ICO", "IČO", ico)]
    service_id, type_code = package["service"]
    types = [
        row
        for row in _dicts(directory / "attributes.csv")
        if row["link_id"] == service_id and row["link_type"] == SERVICE_TYPE
    ]
    assert [(row["link_entity"], row["taxonomy_term_id"]) for row in types] == [
        ("service", str(taxonomy_term_uuid(SERVICE_TYPE, type_code)))
    ]


def test_hidden_address_and_personal_data_are_never_exported(package):
    directory = package["dir"]
    everything = "\n".join(data.decode("utf-8") for data in _files(directory).values())
    for value in SECRET.values():
        assert str(value) not in everything
    assert "reporterka" not in everything
    assert "reported_by" not in everything

    hidden = package["hidden_ids"]
    rows = [row for row in _dicts(directory / "locations.csv") if row["id"] in hidden]
    assert len(rows) == len(hidden)
    for row in rows:
        assert row["latitude"] == row["longitude"] == row["transportation"] == ""
    assert not [row for row in _dicts(directory / "addresses.csv") if row["location_id"] in hidden]
    assert not [
        row for row in _dicts(directory / "accessibility.csv") if row["location_id"] in hidden
    ]
    flags = [
        row
        for row in _dicts(directory / "attributes.csv")
        if row["taxonomy_term_id"] == str(taxonomy_term_uuid(CZ_PROFILE, "address_hidden"))
    ]
    assert {row["link_id"]: row["value"] for row in flags} == dict.fromkeys(hidden, "true")


def test_export_of_a_territory_is_a_self_contained_package(package, db):
    ids = {uuid.UUID(row["id"]) for row in _dicts(package["territory_dir"] / "services.csv")}
    assert ids == package["territory_services"]
    assert 0 < len(ids) < package["counts"]["Service"]
    territory = make_territory("kyjov-a-okoli", (KYJOV,), name="Kyjov a okolí")

    output = _import(package["territory_dir"], "--territory", territory.slug)

    assert Service.objects.count() == len(ids)
    serving = Service.objects.in_territory(territory).count()
    assert 0 < serving <= len(ids)
    assert (
        output.strip()
        .splitlines()[-1]
        .endswith(
            f"(created {len(ids) + Organization.objects.count() + Location.objects.count()}, "
            f"updated 0). {serving} of the services serve Kyjov a okolí."
        )
    )


def test_unknown_territory_is_an_error(package, db, tmp_path):
    with pytest.raises(CommandError, match="Unknown territory 'nikde'"):
        call_command("export_hsds", str(tmp_path), "--territory", "nikde")
    with pytest.raises(CommandError, match="Unknown territory 'nikde'"):
        call_command("import_hsds", str(package["dir"]), "--territory", "nikde")


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------


def test_round_trip_into_an_empty_database_gives_identical_files(package, db, tmp_path):
    assert not Service.objects.exists()
    counts = package["counts"]

    output = _import(package["dir"])

    created = counts["Organization"] + counts["Service"] + counts["Location"]
    assert output.strip().splitlines()[-1] == (
        f"Imported {counts['Service']} services, {counts['Organization']} organizations, "
        f"{counts['Location']} locations (created {created}, updated 0)."
    )
    assert f"  services.csv: {counts['Service']} rows" in output
    assert _counts() == counts  # coverage is rebuilt as well

    call_command("export_hsds", str(tmp_path / "b"), stdout=StringIO())
    before, after = _files(package["dir"]), _files(tmp_path / "b")
    assert before.keys() == after.keys()
    for name in before:
        assert after[name] == before[name], name

    for hidden in Location.objects.filter(address_hidden=True):
        assert (hidden.street, hidden.latitude, hidden.transport) == ("", None, "")
    assert Location.objects.filter(address_hidden=True).count() == len(package["hidden_ids"])
    service = Service.objects.exclude(latest_capacity=None).first()
    assert service.latest_capacity == service.capacity_reports.order_by("-reported_at").first()
    assert service.search_document
    assert not CapacityReport.objects.exclude(reported_by=None).exists()


def test_import_updates_existing_records_and_keeps_a_hidden_address(populated, tmp_path):
    Location.objects.filter(address_hidden=True).update(**SECRET)
    directory = tmp_path / "p"
    shutil.copytree(populated["dir"], directory)
    rows = _read(directory / "organizations.csv")
    org_id = uuid.UUID(rows[1][0])
    rows[1][1] = "Nový název organizace"
    _write(directory / "organizations.csv", rows)
    counts = populated["counts"]

    output = _import(directory)

    total = counts["Organization"] + counts["Service"] + counts["Location"]
    assert output.strip().endswith(f"(created 0, updated 1, unchanged {total - 1}).")
    assert Organization.objects.get(id=org_id).name == "Nový název organizace"
    assert _counts() == counts
    for hidden in Location.objects.filter(address_hidden=True):
        assert (hidden.street, hidden.latitude) == (SECRET["street"], SECRET["latitude"])
        assert hidden.accessibility == SECRET["accessibility"]


def test_a_table_the_package_does_not_have_leaves_its_part_alone(populated, tmp_path):
    directory = tmp_path / "p"
    shutil.copytree(populated["dir"], directory)
    (directory / "schedules.csv").unlink()
    (directory / "phones.csv").unlink()
    schedules = Schedule.objects.count()
    phones = set(Service.objects.values_list("id", "phone"))
    assert schedules and any(phone for _, phone in phones)

    _import(directory)

    assert Schedule.objects.count() == schedules
    assert set(Service.objects.values_list("id", "phone")) == phones


def test_a_package_of_services_needs_its_attributes(populated, tmp_path):
    directory = tmp_path / "p"
    shutil.copytree(populated["dir"], directory)
    (directory / "attributes.csv").unlink()
    with pytest.raises(CommandError) as caught:
        _import(directory)
    assert "attributes.csv: the table is missing" in str(caught.value)


def _edit(path: Path, row: int, column: str, value: str) -> None:
    rows = _read(path)
    rows[row - 1][rows[0].index(column)] = value
    _write(path, rows)


def _drop_column(path: Path, column: str) -> None:
    rows = _read(path)
    index = rows[0].index(column)
    _write(path, [r[:index] + r[index + 1 :] for r in rows])


def _municipality_row(directory: Path) -> int:
    term = str(taxonomy_term_uuid(CZ_PROFILE, "municipality"))
    for number, row in enumerate(_dicts(directory / "attributes.csv"), start=2):
        if row["taxonomy_term_id"] == term and row["link_entity"] == "location":
            return number
    raise AssertionError("no municipality attribute")


UNKNOWN = "0b9f6a0e-1d7c-4a43-9d1e-7b3a5c2e4f10"


def _missing_column(d):
    _drop_column(d / "services.csv", "name")
    return 'services.csv row 1, field "name": required column is missing'


def _bad_uuid(d):
    _edit(d / "services.csv", 2, "id", "not-a-uuid")
    return "services.csv row 2, field \"id\": not a UUID 'not-a-uuid'"


def _unknown_organization(d):
    _edit(d / "services.csv", 7, "organization_id", UNKNOWN)
    return f"services.csv row 7, field \"organization_id\": unknown organization '{UNKNOWN}'"


def _bad_ico(d):
    _edit(d / "organization_identifiers.csv", 3, "identifier", "12345678")
    return (
        "organization_identifiers.csv row 3, field \"identifier\": invalid IČO '12345678' "
        "(8 digits, the last a mod-11 check digit)"
    )


def _bad_municipality(d):
    row = _municipality_row(d)
    _edit(d / "attributes.csv", row, "value", "999999")
    return f"attributes.csv row {row}, field \"value\": unknown municipality code '999999'"


def _unknown_location(d):
    _edit(d / "addresses.csv", 4, "location_id", UNKNOWN)
    return (
        f"addresses.csv row 4, field \"location_id\": unknown location '{UNKNOWN}' "
        "(not in locations.csv)"
    )


def _bad_number(d):
    _edit(d / "cz_capacity_reports.csv", 2, "free_places", "hodně")
    return (
        'cz_capacity_reports.csv row 2, field "free_places": '
        "not a whole number of 0 or more 'hodně'"
    )


def _bad_date(d):
    _edit(d / "cz_capacity_reports.csv", 3, "reported_at", "včera")
    return (
        'cz_capacity_reports.csv row 3, field "reported_at": '
        "not a date and time (ISO 8601) 'včera'"
    )


@pytest.mark.parametrize(
    "breaks",
    [
        _missing_column,
        _bad_uuid,
        _unknown_organization,
        _bad_ico,
        _bad_municipality,
        _unknown_location,
        _bad_number,
        _bad_date,
    ],
)
def test_bad_package_names_table_row_and_field_and_changes_nothing(populated, tmp_path, breaks):
    directory = tmp_path / "bad"
    shutil.copytree(populated["dir"], directory)
    # A valid change in the same package must not be written either.
    rows = _read(directory / "organizations.csv")
    org_id = rows[2][0]
    rows[2][1] = "Tohle se nesmí uložit"
    _write(directory / "organizations.csv", rows)
    expected = breaks(directory)
    org_before = Organization.objects.filter(id=org_id).values().get()
    counts_before = _counts()

    with pytest.raises(CommandError) as caught:
        _import(directory)

    message = str(caught.value)
    assert expected in message.splitlines(), message
    assert message.startswith("The package has ")
    assert "nothing was imported" in message.splitlines()[0]
    assert _counts() == counts_before
    assert Organization.objects.filter(id=org_id).values().get() == org_before


def test_errors_are_collected_up_to_a_limit(package, db, tmp_path):
    directory = tmp_path / "bad"
    shutil.copytree(package["dir"], directory)
    rows = _read(directory / "services.csv")
    for row in rows[1:]:
        row[rows[0].index("status")] = "snad"
    _write(directory / "services.csv", rows)
    with pytest.raises(CommandError) as caught:
        _import(directory)
    lines = str(caught.value).splitlines()
    assert lines[1] == (
        "services.csv row 2, field \"status\": 'snad' is not one of "
        "active, inactive, defunct, temporarily closed"
    )
    assert len(lines) == 1 + hsds_package.MAX_ERRORS + 1
    assert lines[-1] == f"(stopped after {hsds_package.MAX_ERRORS} errors)"
    assert not Service.objects.exists()


def test_failure_while_writing_rolls_everything_back(populated, tmp_path, monkeypatch):
    directory = tmp_path / "p"
    shutil.copytree(populated["dir"], directory)
    rows = _read(directory / "organizations.csv")
    org_id = rows[1][0]
    rows[1][1] = "Tohle se nesmí uložit"
    _write(directory / "organizations.csv", rows)
    rows = _read(directory / "services.csv")
    for row in rows[1:]:
        row[rows[0].index("description")] = "Ani tohle ne."
    _write(directory / "services.csv", rows)
    Schedule.objects.all().delete()  # the import would bring them back
    org_before = Organization.objects.filter(id=org_id).values().get()
    service = Service.objects.order_by("id").first()
    service_before = Service.objects.filter(id=service.id).values().get()
    counts_before = _counts()
    calls = []

    def failing_refresh(service):
        calls.append(service)
        if len(calls) == 10:
            raise RuntimeError("disk full")

    monkeypatch.setattr(hsds_package, "refresh_service", failing_refresh)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(directory)
    assert len(calls) == 10
    assert _counts() == counts_before
    assert Organization.objects.filter(id=org_id).values().get() == org_before
    assert Service.objects.filter(id=service.id).values().get() == service_before


def test_reimport_refreshes_only_what_changed(populated, tmp_path, monkeypatch):
    directory = tmp_path / "p"
    shutil.copytree(populated["dir"], directory)
    rows = _read(directory / "services.csv")
    changed_id = uuid.UUID(rows[1][0])
    rows[1][rows[0].index("description")] = "Nový popis: poradíme s dluhy."
    _write(directory / "services.csv", rows)
    refreshed = []
    monkeypatch.setattr(hsds_package, "refresh_service", lambda s: refreshed.append(s.id))

    _import(directory)

    assert refreshed == [changed_id]


def test_import_of_a_missing_directory_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        _import(tmp_path / "nothing-here")
