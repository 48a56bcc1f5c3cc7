"""Import of the MPSV registry (`manage.py import_mpsv`) on files written in its shape.

The files carry the pitfalls of the real registry (data/mpsv/FORMAT.md): null addresses,
missing address codes, a hidden address, one building listed twice, ended registrations,
unknown codes, a bad IČO, names of people in `statutarniOrgany`.
"""

from __future__ import annotations

import copy
import functools
import http.server
import io
import json
import re
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone

from directory.models import (
    Location,
    Organization,
    RegisteredCapacity,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCoverage,
)
from directory.validators import ico_with_checksum
from mpsv import services as mpsv_services
from mpsv.models import ImportRun, RegistryRecord
from mpsv.synthetic import Generator
from territory.models import Municipality
from tests.factories import KYJOV, make_territory

pytestmark = pytest.mark.django_db

VRACOV = 586765
ZDANICE = 586803
PRAHA = 554782
ICO_A = ico_with_checksum("2581234")
ICO_B = ico_with_checksum("4471113")
BAD_ICO = ICO_A[:7] + str((int(ICO_A[7]) + 1) % 10)
SECRET_STREET = "Utajená"
SECRET_POINT = 77712345
STATUTORY = ("Zdeňka", "Tajemná-Statutární")
DOCUMENT_URL = "https://www.mpsv.cz/agportal-server/rest/documents/123456"
TODAY = timezone.localdate()
PAST = (TODAY - timedelta(days=30)).isoformat()
FUTURE = (TODAY + timedelta(days=365)).isoformat()


# ------------------------------------------------------------------------ file helpers
def address(obec: int, *, street: str | None = "Masarykova", number: int = 100, point=True):
    muni = Municipality.objects.select_related("district", "region").get(code=obec)
    return {
        "cisloDomovni": number,
        "cisloOrientacni": "5",
        "dodatekAdresy": None,
        "kodAdresnihoMista": (obec * 10 + number) if point is True else point or None,
        "psc": "69701",
        "typCislaDomovniho": {"id": "TypStavebnihoObjektu/1"},
        "kraj": {"id": f"Kraj/{muni.region.ruian_code}"},
        "okres": {"id": f"Okres/{muni.district.ruian_code}"},
        "obec": {"id": f"Obec/{obec}"},
        "castObce": {"id": "CastObce/1"},
        "mestskyObvodMestskaCast": None,
        "mestskyObvodVPraze": None,
        "ulice": {"nazev": street} if street else None,
    }


def provider(ico: str = ICO_A, name: str = "Charita Kyjov") -> dict:
    return {
        "ico": ico,
        "nazev": name,
        "dic": f"CZ{ico}",
        "adresa": address(KYJOV, number=1),
        "emaily": [{"email": "charita@example.cz", "poznamka": None}],
        "telefony": [{"telefon": "518 000 000", "poznamka": None}],
        "weby": [{"web": "www.charita-kyjov.example.cz", "poznamka": None}],
        "statutarniOrgany": [
            {
                "titulPred": "Mgr.",
                "jmeno": STATUTORY[0],
                "prijmeni": STATUTORY[1],
                "funkce": "ředitelka",
            }
        ],
    }


def item(portal_id: int, **overrides) -> dict:
    """A registered service: pečovatelská služba (terénní + ambulantní) in Kyjov."""
    data = {
        "portalId": portal_id,
        "id": f"id-{portal_id}",
        "identifikator": str(1_000_000 + portal_id),
        "datumPoskytovaniOd": "2007-01-01",
        "datumPoskytovaniDo": None,
        "kontaktniAdresy": [address(KYJOV, number=1)],
        "druhSocialniSluzby": {"id": "DruhSocialniSluzby/4"},
        "zarizeni": [
            {
                "nazev": f"Pečovatelská služba Kyjov {portal_id}",
                "adresa": address(KYJOV, number=portal_id),
                "poskytujeOd": "2007-01-01",
                "poskytujeDo": None,
            }
        ],
        "poskytovatel": provider(),
        "emaily": [{"email": f"ps{portal_id}@example.cz", "poznamka": None}],
        "telefony": [{"telefon": "518123456", "poznamka": "vedoucí"}],
        "weby": [{"web": "https://ps.example.cz", "poznamka": None}],
        "faxy": [],
        "ciloveSkupiny": [{"cilovaSkupina": {"id": "CilovaSkupinaOsoby/24"}}],
        "vekoveSkupiny": [{"vekovaSkupina": {"id": "VekovaSkupinaOsoby/7"}}],
        "doplnujiciInformaceVekoveSkupiny": None,
        "formy": [
            {
                "forma": {"id": "FormaSocialniSluzby/ter"},
                "nepretrzitePoskytovani": False,
                "casoveRozsahy": None,
                "kapacity": [
                    {
                        "pocet": 40,
                        "popis": "40 klientů",
                        "typ": {"id": "TypKapacitySocialniSluzby/klient"},
                    }
                ],
            },
            {
                "forma": {"id": "FormaSocialniSluzby/amb"},
                "nepretrzitePoskytovani": False,
                "casoveRozsahy": None,
                "kapacity": [
                    {"pocet": 5, "popis": None, "typ": {"id": "TypKapacitySocialniSluzby/klient"}}
                ],
            },
        ],
        "rozsirenePusobnostiVKraji": None,
        "doplnkoveUdaje": {
            "realizacePoskytovani": [{"priloha": {"nazev": "popis.pdf", "url": DOCUMENT_URL}}]
        },
    }
    data.update(overrides)
    return data


def home_for_seniors(portal_id: int, **overrides) -> dict:
    """A domov pro seniory whose building is listed twice (two floors, one address point)."""
    building = address(VRACOV, street="Zahradní", number=700)
    return item(
        portal_id,
        druhSocialniSluzby={"id": "DruhSocialniSluzby/13"},
        zarizeni=[
            {"nazev": "Domov Vracov – 2. NP", "adresa": building, "poskytujeOd": "2010-01-01"},
            {
                "nazev": "Domov Vracov – 3. NP",
                "adresa": copy.deepcopy(building),
                "poskytujeOd": "2010-01-01",
            },
        ],
        formy=[
            {
                "forma": {"id": "FormaSocialniSluzby/pob"},
                "nepretrzitePoskytovani": True,
                "casoveRozsahy": None,
                "kapacity": [
                    {
                        "pocet": 32,
                        "popis": "32 lůžek",
                        "typ": {"id": "TypKapacitySocialniSluzby/luzka"},
                    }
                ],
            }
        ],
        **overrides,
    )


def shelter(portal_id: int) -> dict:
    """An azylový dům with a hidden address."""
    return item(
        portal_id,
        druhSocialniSluzby={"id": "DruhSocialniSluzby/20"},
        zarizeni=[
            {
                "nazev": "Azylový dům pro matky s dětmi",
                "adresa": address(ZDANICE, street=SECRET_STREET, number=13, point=SECRET_POINT),
                "poskytujeOd": "2012-01-01",
                "utajenaAdresa": True,
            }
        ],
        formy=[
            {
                "forma": {"id": "FormaSocialniSluzby/pob"},
                "nepretrzitePoskytovani": True,
                "casoveRozsahy": None,
                "kapacity": [
                    {"pocet": 12, "popis": None, "typ": {"id": "TypKapacitySocialniSluzby/luzka"}}
                ],
            }
        ],
    )


def write(path: Path, items: list, *, tail: str = "\n]}\n") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write('{"polozky": [\n')
        out.write(",\n".join(json.dumps(i, ensure_ascii=False) for i in items))
        out.write(tail)
    return path


def run_import(source, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_mpsv", str(source), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def summary(output: str) -> dict[str, int]:
    match = re.search(
        r"MPSV import: created (\d+), updated (\d+), unchanged (\d+), ended (\d+), "
        r"rejected (\d+) \(skipped outside territory (\d+)\)\.",
        output,
    )
    assert match, output
    keys = ("created", "updated", "unchanged", "ended", "rejected", "skipped")
    return dict(zip(keys, map(int, match.groups()), strict=True))


def service_of(portal_id: int) -> Service:
    return RegistryRecord.objects.select_related("service").get(portal_id=str(portal_id)).service


def text_columns():
    """(model, field name) of every text column of the directory and the import's tables."""
    for label in ("directory", "mpsv"):
        for model in apps.get_app_config(label).get_models():
            for f in model._meta.get_fields():
                if isinstance(f, models.CharField | models.TextField | models.JSONField):
                    yield model, f.name


def database_contains(text: str) -> list[str]:
    return [
        f"{model.__name__}.{name}"
        for model, name in text_columns()
        if model.objects.filter(**{f"{name}__icontains": text}).exists()
    ]


@pytest.fixture
def registry(tmp_path):
    return write(
        tmp_path / "rpss.json",
        [
            item(1),
            home_for_seniors(2),
            shelter(3),
            item(4, poskytovatel=provider(ICO_B, "Město Kyjov")),
        ],
    )


# ----------------------------------------------------------------------------- tests
def test_import_maps_services_locations_forms_capacity_groups_and_contacts(registry):
    out, err = run_import(registry)
    assert summary(out) == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "ended": 0,
        "rejected": 0,
        "skipped": 0,
    }
    assert "MPSV import [" in err and "100.0 %" in err

    care = service_of(1)
    assert care.name == "Pečovatelská služba Kyjov 1"
    assert care.service_type.code == "40"
    assert care.status == Service.Status.ACTIVE
    assert care.mpsv_identifier == "1000001" and care.mpsv_portal_id == "1"
    assert care.registered_from == date(2007, 1, 1) and care.registered_until is None
    assert care.organization.ico == ICO_A and care.organization.name == "Charita Kyjov"
    assert {f.code for f in care.forms.all()} == {"ter", "amb"}
    assert [g.code for g in care.target_groups.all()] == ["24"]
    assert [g.code for g in care.age_groups.all()] == ["7"]
    # Service contacts first; the document link of doplnkoveUdaje is not a web site.
    assert care.email == "ps1@example.cz"
    assert care.phone == "+420 518 123 456"
    assert care.url == "https://ps.example.cz"
    assert not database_contains("agportal-server")
    assert set(
        care.registered_capacities.values_list("form__code", "capacity_type__code", "count")
    ) == {("ter", "klient", 40), ("amb", "klient", 5)}
    (location,) = care.locations.all()
    assert location.street == "Masarykova 1/5"
    assert location.postal_code == "697 01" and location.city == "Kyjov"
    assert location.municipality_id == KYJOV
    kyjov = Municipality.objects.get(code=KYJOV)
    assert (location.latitude, location.longitude) == (kyjov.latitude, kyjov.longitude)
    # A field service comes to people: an area, and the search and coverage are derived.
    assert list(
        ServiceArea.objects.filter(service=care).values_list("municipality_id", flat=True)
    ) == [KYJOV]
    assert ServiceCoverage.objects.filter(service=care, municipality_id=KYJOV).exists()
    assert "pecovatel" in care.search_title

    # One building listed twice is one location, and its capacity is counted once.
    home = service_of(2)
    assert home.locations.count() == 1
    assert home.locations.get().name == "Domov Vracov – 2. NP"
    assert list(home.registered_capacities.values_list("count", flat=True)) == [32]
    assert not ServiceArea.objects.filter(service=home).exists()

    # Two providers by IČO; the provider's data is the organisation's.
    assert Organization.objects.get(ico=ICO_B).name == "Město Kyjov"
    org = Organization.objects.get(ico=ICO_A)
    assert org.email == "charita@example.cz"
    assert org.website == "http://www.charita-kyjov.example.cz"

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FINISHED
    assert (run.items, run.created, run.rejected) == (4, 4, 0)


def test_contacts_fall_back_to_the_provider(tmp_path):
    path = write(
        tmp_path / "r.json",
        [item(1, emaily=[], telefony=None, weby=[{"web": "nic", "poznamka": None}])],
    )
    run_import(path)
    care = service_of(1)
    assert care.email == "charita@example.cz"
    assert care.phone == "+420 518 000 000"
    assert care.url == "http://www.charita-kyjov.example.cz"


def test_statutory_bodies_are_never_stored_or_shown(registry):
    out, err = run_import(registry)
    for name in STATUTORY:
        assert database_contains(name) == []
        assert name not in out and name not in err


def test_hidden_address_is_never_stored_nor_shown(registry, client):
    make_territory("cr", (KYJOV, VRACOV, ZDANICE), name="Česká republika", kind="national")
    run_import(registry)
    home = service_of(3)
    (location,) = home.locations.all()
    assert location.address_hidden is True
    assert location.street == "" and location.postal_code == ""
    assert location.municipality_id == ZDANICE
    assert SECRET_STREET not in location.mpsv_facility_id
    assert str(SECRET_POINT) not in location.mpsv_facility_id
    assert database_contains(SECRET_STREET) == []
    assert database_contains(str(SECRET_POINT)) == []
    response = client.get(home.get_absolute_url("cr"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Azylový dům pro matky s dětmi" in page
    assert SECRET_STREET not in page and "697 01" not in page


def test_null_addresses_and_missing_address_codes(tmp_path):
    no_code = address(ZDANICE, street="Polní", number=8, point=None)
    path = write(
        tmp_path / "r.json",
        [
            item(
                1,
                zarizeni=[
                    {"nazev": "Bez adresy", "adresa": None},
                    {"nazev": "Bez kódu adresního místa", "adresa": no_code},
                    {"nazev": "Bez kódu podruhé", "adresa": copy.deepcopy(no_code)},
                ],
            ),
            # No facility address at all: the contact address places it.
            item(2, zarizeni=[{"nazev": "Nikde", "adresa": None}]),
            # Nothing usable at all: rejected with the reason.
            item(3, zarizeni=[{"nazev": "Nikde", "adresa": None}], kontaktniAdresy=[None]),
            # An obec that does not exist.
            item(
                4,
                zarizeni=[
                    {
                        "nazev": "Neznámá obec",
                        "adresa": address(KYJOV) | {"obec": {"id": "Obec/999999"}},
                    }
                ],
                kontaktniAdresy=[],
            ),
        ],
    )
    out, _ = run_import(path)
    assert summary(out)["created"] == 2 and summary(out)["rejected"] == 2
    (location,) = service_of(1).locations.all()
    assert location.name == "Bez kódu adresního místa"
    assert location.street == "Polní 8/5" and location.municipality_id == ZDANICE
    assert location.mpsv_facility_id.startswith("ad:")
    (contact,) = service_of(2).locations.all()
    assert contact.municipality_id == KYJOV
    assert "portalId 3 / IČS 1000003: no usable municipality" in out
    assert "portalId 4 / IČS 1000004: no usable municipality" in out
    assert "facility without address: 2 services" in out
    # Addresses without a code are recognised again: nothing changes on a second run.
    again, _ = run_import(path)
    assert summary(again)["unchanged"] == 2
    assert Location.objects.count() == 2


def test_ended_registrations_are_marked_not_deleted(tmp_path):
    path = write(
        tmp_path / "r.json",
        [item(1), item(2, datumPoskytovaniDo=PAST), item(3, datumPoskytovaniDo=FUTURE)],
    )
    out, _ = run_import(path)
    assert summary(out) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "ended": 1,
        "rejected": 0,
        "skipped": 0,
    }
    ended = service_of(2)
    assert ended.status == Service.Status.DEFUNCT
    assert ended.registered_until.isoformat() == PAST
    assert service_of(3).status == Service.Status.ACTIVE
    assert service_of(3).registered_until.isoformat() == FUTURE
    assert not Service.objects.public().filter(pk=ended.pk).exists()

    # The first service's registration ends: it is kept, marked, counted as ended.
    write(
        path,
        [
            item(1, datumPoskytovaniDo=PAST),
            item(2, datumPoskytovaniDo=PAST),
            item(3, datumPoskytovaniDo=FUTURE),
        ],
    )
    out, _ = run_import(path)
    assert summary(out) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "ended": 1,
        "rejected": 0,
        "skipped": 0,
    }
    assert service_of(1).status == Service.Status.DEFUNCT
    assert Service.objects.count() == 3


def test_registration_ending_later_is_ended_when_its_day_has_passed(tmp_path):
    path = write(tmp_path / "r.json", [item(1, datumPoskytovaniDo=FUTURE)])
    run_import(path)
    later = TODAY + timedelta(days=400)
    result = mpsv_services.import_registry(str(path), today=later)
    assert (result.ended, result.unchanged) == (1, 0)
    assert service_of(1).status == Service.Status.DEFUNCT


def test_unknown_codes_are_reported_not_guessed(tmp_path):
    path = write(
        tmp_path / "r.json",
        [
            item(1, druhSocialniSluzby={"id": "DruhSocialniSluzby/99"}),
            item(
                2,
                ciloveSkupiny=[
                    {"cilovaSkupina": {"id": "CilovaSkupinaOsoby/24"}},
                    {"cilovaSkupina": {"id": "CilovaSkupinaOsoby/30"}},
                ],
            ),
            item(3, druhSocialniSluzby=None),
        ],
    )
    out, _ = run_import(path)
    assert summary(out)["created"] == 1 and summary(out)["rejected"] == 2
    assert "portalId 1 / IČS 1000001: unknown service type DruhSocialniSluzby/99" in out
    assert "portalId 3 / IČS 1000003: no service type" in out
    assert "unknown code CilovaSkupinaOsoby/30 in 1 services: not imported" in out
    assert "target groups mapped by Spojka's unverified numbering" in out
    assert [g.code for g in service_of(2).target_groups.all()] == ["24"]
    run = ImportRun.objects.get()
    assert {r["identifier"] for r in run.rejections} == {
        "portalId 1 / IČS 1000001",
        "portalId 3 / IČS 1000003",
    }


def test_codelists_match_codes_by_name(tmp_path):
    lists = tmp_path / "ciselniky"
    lists.mkdir()

    def codelist(name, entries):
        (lists / name).write_text(
            json.dumps({"polozky": [{"id": i, "nazev": {"cs": n}} for i, n in entries]}),
            encoding="utf-8",
        )

    codelist(
        "druhy-socialni-sluzby.json",
        [
            ("DruhSocialniSluzby/4", "pečovatelská služba"),
            ("DruhSocialniSluzby/40", "azylové domy"),
        ],
    )
    codelist(
        "cilove-skupiny-osoby.json",
        [
            ("CilovaSkupinaOsoby/24", "senioři"),
            ("CilovaSkupinaOsoby/31", "Osoby s chronickým duševním onemocněním"),
            ("CilovaSkupinaOsoby/30", "osoby žijící s demencí"),
        ],
    )
    codelist("vekove-skupiny-osoby.json", [("VekovaSkupinaOsoby/7", "mladší senioři (65-80 let)")])
    groups = [{"cilovaSkupina": {"id": f"CilovaSkupinaOsoby/{c}"}} for c in (24, 31, 30, 10)]
    path = write(
        tmp_path / "r.json",
        [
            item(1, ciloveSkupiny=groups),
            item(2, druhSocialniSluzby={"id": "DruhSocialniSluzby/40"}),
            item(3, druhSocialniSluzby={"id": "DruhSocialniSluzby/13"}),
        ],
    )
    out, _ = run_import(path, "--codelists", str(lists))
    assert summary(out)["created"] == 2
    care = service_of(1)
    assert sorted(g.code for g in care.target_groups.all()) == ["10", "24"]
    assert [g.code for g in care.age_groups.all()] == ["7"]
    assert service_of(2).service_type.code == "57"
    # Known by the code list but not by the catalog; absent from the code list: reported.
    assert "unknown code CilovaSkupinaOsoby/30 (osoby žijící s demencí) in 1 services" in out
    assert "unknown code CilovaSkupinaOsoby/10 in 1 services" in out
    assert "portalId 3 / IČS 1000003: unknown service type DruhSocialniSluzby/13" in out
    assert "target groups mapped by Spojka's unverified numbering" not in out


def test_bad_ico_is_rejected_with_identifier_and_reason(tmp_path):
    path = write(
        tmp_path / "r.json",
        [
            item(1),
            item(2, poskytovatel=provider(BAD_ICO, "Překlep, z.s.")),
            item(3, poskytovatel=provider("", "Bez IČO")),
        ],
    )
    out, _ = run_import(path)
    assert summary(out)["created"] == 1 and summary(out)["rejected"] == 2
    assert f"portalId 2 / IČS 1000002: bad IČO '{BAD_ICO}'" in out
    assert "portalId 3 / IČS 1000003: provider has no IČO" in out
    assert not Organization.objects.filter(name__in=["Překlep, z.s.", "Bez IČO"]).exists()


def test_malformed_records_are_rejected_and_the_rest_imported(tmp_path):
    path = write(
        tmp_path / "r.json",
        [
            "not an object",
            item(2, formy={"forma": "pob"}),
            item(3, zarizeni=[{"nazev": "x", "adresa": "Kyjov"}]),
            {"identifikator": "123"},
            item(5, datumPoskytovaniOd="loni"),
            item(6),
            item(6),
        ],
    )
    out, _ = run_import(path)
    assert summary(out)["created"] == 1 and summary(out)["rejected"] == 6
    assert "item #1: malformed structure" in out
    assert "portalId 2 / IČS 1000002: malformed structure: 'formy' is not a list" in out
    assert "portalId 3 / IČS 1000003: malformed structure" in out
    assert "IČS 123: no portalId" in out
    assert "portalId 5 / IČS 1000005: malformed date in 'datumPoskytovaniOd'" in out
    assert "portalId 6 / IČS 1000006: the same portalId is in the file twice" in out


def test_second_import_of_the_same_file_changes_nothing(registry):
    run_import(registry)

    def snapshot():
        return {
            "services": sorted(Service.objects.values_list("id", "updated_at", "search_document")),
            "orgs": sorted(Organization.objects.values_list("id", "updated_at")),
            "locations": sorted(Location.objects.values_list("id", "name", "street")),
            "links": sorted(ServiceAtLocation.objects.values_list("service_id", "location_id")),
            "capacity": sorted(RegisteredCapacity.objects.values_list("id", "count")),
            "areas": sorted(ServiceArea.objects.values_list("id", flat=True)),
            "coverage": sorted(ServiceCoverage.objects.values_list("id", flat=True)),
            "records": sorted(RegistryRecord.objects.values_list("id", "changed_at")),
        }

    before = snapshot()
    out, _ = run_import(registry)
    assert summary(out) == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "ended": 0,
        "rejected": 0,
        "skipped": 0,
    }
    assert snapshot() == before


def test_changed_record_is_updated(tmp_path):
    path = write(tmp_path / "r.json", [item(1), home_for_seniors(2)])
    run_import(path)
    care = service_of(1)
    old_location = care.locations.get()
    care.description = "Popis, který doplnil poskytovatel."
    care.save()

    changed = item(
        1,
        telefony=[{"telefon": "+420 777 111 222", "poznamka": None}],
        zarizeni=[{"nazev": "Pečovatelská služba Vracov", "adresa": address(VRACOV, number=9)}],
        ciloveSkupiny=[{"cilovaSkupina": {"id": "CilovaSkupinaOsoby/17"}}],
    )
    changed["formy"][0]["kapacity"][0]["pocet"] = 55
    write(path, [changed, home_for_seniors(2)])
    out, _ = run_import(path)
    assert summary(out)["updated"] == 1 and summary(out)["unchanged"] == 1, out

    care = service_of(1)
    assert care.phone == "+420 777 111 222"
    assert care.description == "Popis, který doplnil poskytovatel."
    assert [g.code for g in care.target_groups.all()] == ["17"]
    assert care.registered_capacities.get(form__code="ter").count == 55
    (location,) = care.locations.all()
    assert location.municipality_id == VRACOV and location.name == "Pečovatelská služba Vracov"
    # The old facility served nothing else: it is gone; the coverage follows.
    assert not Location.objects.filter(pk=old_location.pk).exists()
    assert set(care.coverage.values_list("municipality_id", flat=True)) == {VRACOV}
    assert "vrac" in care.search_document


def test_services_of_one_provider_share_a_building(tmp_path):
    same = address(KYJOV, street="Nemocniční", number=50)
    path = write(
        tmp_path / "r.json",
        [
            item(1, zarizeni=[{"nazev": "Domov Kyjov", "adresa": same}]),
            item(
                2, zarizeni=[{"nazev": "Odlehčovací služba Kyjov", "adresa": copy.deepcopy(same)}]
            ),
        ],
    )
    run_import(path)
    assert Location.objects.count() == 1
    assert ServiceAtLocation.objects.count() == 2


def test_field_service_areas_from_the_extended_scope(tmp_path):
    hodonin = Municipality.objects.get(code=KYJOV).district
    scope = [
        {"kraj": {"id": "Kraj/116"}, "obce": [{"id": f"Obec/{VRACOV}"}, {"id": f"Obec/{ZDANICE}"}]},
        {"okres": {"id": f"Okres/{hodonin.ruian_code}"}},
        {"text": "celý kraj"},
    ]
    path = write(tmp_path / "r.json", [item(1, rozsirenePusobnostiVKraji=scope)])
    run_import(path)
    care = service_of(1)
    areas = set(care.areas.values_list("municipality_id", "district_id"))
    assert areas == {(KYJOV, None), (VRACOV, None), (ZDANICE, None), (None, hodonin.code)}
    assert care.coverage.count() == hodonin.municipalities.count()


def test_territory_imports_only_its_services(tmp_path):
    make_territory("kyjovsko", (KYJOV, VRACOV))
    prague = address(PRAHA, street="Vodičkova", number=20)
    path = write(
        tmp_path / "r.json",
        [
            item(1),
            item(2, zarizeni=[{"nazev": "Praha", "adresa": prague}], kontaktniAdresy=[]),
            # A field service seated in Prague that comes to Vracov.
            item(
                3,
                zarizeni=[{"nazev": "Praha terén", "adresa": copy.deepcopy(prague)}],
                rozsirenePusobnostiVKraji=[{"obce": [{"id": f"Obec/{VRACOV}"}]}],
            ),
        ],
    )
    out, _ = run_import(path, "--territory", "kyjovsko")
    assert summary(out) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "ended": 0,
        "rejected": 0,
        "skipped": 1,
    }
    assert set(RegistryRecord.objects.values_list("portal_id", flat=True)) == {"1", "3"}
    with pytest.raises(CommandError, match="no territory"):
        run_import(path, "--territory", "neni")


def test_interrupted_run_leaves_only_complete_services(tmp_path):
    broken = write(
        tmp_path / "broken.json",
        [item(1), home_for_seniors(2), item(3)],
        tail=',\n{"portalId": 4, "identifikator": "1000004", "zarizeni": [{"nazev": "uříznuto',
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="broken after item 3"):
        call_command("import_mpsv", str(broken), stdout=out, stderr=io.StringIO())
    assert "created 3" in out.getvalue()
    assert sorted(RegistryRecord.objects.values_list("portal_id", flat=True)) == ["1", "2", "3"]
    for pid in (1, 2, 3):
        service = service_of(pid)
        assert service.locations.count() == 1
        assert service.registered_capacities.exists()
        assert service.coverage.exists()
        assert service.search_document
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and "broken after item 3" in run.message


def test_failure_inside_a_service_leaves_no_half_written_service(tmp_path, monkeypatch):
    path = write(
        tmp_path / "r.json", [item(1), item(2, poskytovatel=provider(ICO_B, "Nový")), item(3)]
    )
    real = mpsv_services.insert_objects
    records = []

    def break_at_the_last_step_of_the_second_service(model, objects):
        if model is RegistryRecord:
            records.append(objects)
            if len(records) == 2:  # everything else of the service is written by now
                raise KeyboardInterrupt
        real(model, objects)

    monkeypatch.setattr(
        mpsv_services, "insert_objects", break_at_the_last_step_of_the_second_service
    )
    with pytest.raises(KeyboardInterrupt):
        run_import(path)
    assert list(RegistryRecord.objects.values_list("portal_id", flat=True)) == ["1"]
    assert Service.objects.count() == 1
    assert not Organization.objects.filter(ico=ICO_B).exists()
    assert Location.objects.count() == 1
    assert ServiceAtLocation.objects.count() == 1
    assert ServiceCoverage.objects.values("service").distinct().count() == 1
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED

    # The next run completes the rest.
    monkeypatch.setattr(mpsv_services, "insert_objects", real)
    out, _ = run_import(path)
    assert summary(out)["created"] == 2 and summary(out)["unchanged"] == 1


def test_services_missing_from_the_file_are_left_and_counted(tmp_path):
    path = write(tmp_path / "r.json", [item(1), item(2)])
    run_import(path)
    write(path, [item(1)])
    out, _ = run_import(path)
    assert "1 services imported earlier are not in this file and were left as they were" in out
    assert service_of(2).status == Service.Status.ACTIVE
    assert ImportRun.objects.order_by("-pk").first().missing == 1


def test_import_from_an_http_url(tmp_path):
    write(tmp_path / "rpss.json", [item(1), home_for_seniors(2)])

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/rpss.json"
        out, err = run_import(url)
        assert summary(out)["created"] == 2
        assert "100.0 %" in err
        with pytest.raises(CommandError, match="HTTP 404"):
            run_import(url.replace("rpss", "chybi"))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "chybi.json")
    (tmp_path / "empty.json").write_text('{"polozky": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="no items under the root key 'polozky'"):
        run_import(tmp_path / "empty.json")


def test_synthetic_file_has_the_pitfalls_and_imports(tmp_path):
    path = tmp_path / "synthetic.json"
    stats = Generator(services=300, seed=7).write(path)
    assert stats["services"] == 300 and stats["facilities"] > 600
    with path.open(encoding="utf-8") as fh:
        items = json.load(fh)["polozky"]
    facilities = [f for i in items for f in i["zarizeni"]]
    assert any(f["adresa"] is None for f in facilities)
    assert any(f["adresa"] and f["adresa"]["kodAdresnihoMista"] is None for f in facilities)
    assert any(f.get("utajenaAdresa") for f in facilities)
    assert any(i["datumPoskytovaniDo"] for i in items)
    assert all(i["poskytovatel"]["statutarniOrgany"] for i in items)

    out, _ = run_import(path)
    counts = summary(out)
    assert counts["created"] + counts["ended"] + counts["rejected"] == 300
    assert counts["created"] > 250
    assert not Location.objects.filter(address_hidden=True).exclude(street="").exists()
    again, _ = run_import(path)
    assert summary(again)["unchanged"] == counts["created"] + counts["ended"]


def test_derived_data_of_new_services_is_what_refresh_service_computes(registry, tmp_path):
    """New services get their coverage and search text without `refresh_service`; it must
    agree with what `refresh_service` computes."""
    from directory.services import refresh_service

    run_import(registry)
    district = Municipality.objects.get(code=KYJOV).district.ruian_code
    scope = [{"okres": {"id": f"Okres/{district}"}}]
    run_import(write(tmp_path / "field.json", [item(10, rozsirenePusobnostiVKraji=scope)]))

    def derived():
        return {
            s.pk: (
                s.search_title,
                s.search_document,
                sorted(s.coverage.values_list("municipality_id", "by_area")),
            )
            for s in Service.objects.all()
        }

    before = derived()
    assert len(before) == 5
    for service in Service.objects.all():
        refresh_service(service)
    assert derived() == before


def test_gzipped_file(tmp_path):
    import gzip

    plain_file = write(tmp_path / "rpss.json", [item(1)])
    packed = tmp_path / "rpss.json.gz"
    packed.write_bytes(gzip.compress(plain_file.read_bytes()))
    out, _ = run_import(packed)
    assert summary(out)["created"] == 1
