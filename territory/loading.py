"""Load kraje, okresy, ORP and obce from the CSV files in `territory/data/`."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_municipalities(apps=None) -> int:
    """Upsert all units from the CSV files; returns the number of obce. Idempotent."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Region = apps.get_model("territory", "Region")
    District = apps.get_model("territory", "District")
    Orp = apps.get_model("territory", "Orp")
    Municipality = apps.get_model("territory", "Municipality")

    with (DATA_DIR / "obce_souradnice.csv").open(encoding="utf-8", newline="") as fh:
        points = {
            int(r["kod_obce"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)
        }
    with (DATA_DIR / "obce_cz.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    regions, districts, orps = {}, {}, {}
    for r in rows:
        regions[int(r["kod_kraje"])] = Region(
            code=int(r["kod_kraje"]),
            ruian_code=int(r["kod_kraje_ruian"]),
            nuts_code=r["kod_kraje_nuts"],
            name=r["nazev_kraje"],
        )
        districts[int(r["kod_okresu"])] = District(
            code=int(r["kod_okresu"]),
            ruian_code=int(r["kod_okresu_ruian"]),
            lau_code=r["kod_okresu_lau"],
            name=r["nazev_okresu"],
            region_id=int(r["kod_kraje"]),
        )
        orps[int(r["kod_orp"])] = Orp(
            code=int(r["kod_orp"]), name=r["nazev_orp"], region_id=int(r["kod_kraje"])
        )
    Region.objects.bulk_create(
        regions.values(),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["ruian_code", "nuts_code", "name"],
    )
    District.objects.bulk_create(
        districts.values(),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["ruian_code", "lau_code", "name", "region"],
    )
    Orp.objects.bulk_create(
        orps.values(),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "region"],
    )
    municipalities = []
    for r in rows:
        code = int(r["kod_obce"])
        lat, lon = points[code]
        municipalities.append(
            Municipality(
                code=code,
                name=r["nazev_obce"],
                pou_code=int(r["kod_pou"]),
                pou_name=r["nazev_pou"],
                orp_id=int(r["kod_orp"]),
                district_id=int(r["kod_okresu"]),
                region_id=int(r["kod_kraje"]),
                latitude=lat,
                longitude=lon,
            )
        )
    Municipality.objects.bulk_create(
        municipalities,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "pou_code",
            "pou_name",
            "orp",
            "district",
            "region",
            "latitude",
            "longitude",
        ],
    )
    return len(municipalities)
