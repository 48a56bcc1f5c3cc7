"""The code lists that `migrate` loads from `catalog/data`, and their loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.db.models import Count

from catalog.loading import DATA_DIR, load_codelists
from catalog.models import (
    AgeGroup,
    CapacityType,
    LifeSituation,
    ProvisionForm,
    ServiceType,
    SituationServiceType,
    TargetGroup,
)

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "37", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52",
    "54", "55", "56", "57", "58", "59", "60", "60a", "61", "62", "63", "64", "65", "66", "67",
    "68", "69", "70",
]  # fmt: skip

CONFIRMED_MPSV_CODES = {
    1: "37", 3: "39", 4: "40", 5: "41", 6: "42", 8: "44", 9: "45", 10: "46", 11: "47",
    12: "48", 13: "49", 14: "50", 15: "51", 18: "55", 19: "56", 23: "60", 28: "65",
    29: "66", 30: "67", 32: "69", 33: "70",
}  # fmt: skip

OTHER_KINDS = [
    "cdz", "komunitni-aktivita", "fakultativni-cinnost", "dluhove-poradenstvi",
    "socialni-prace-obce", "ospod", "svepomocna-skupina", "dobrovolnictvi", "pujcovna-pomucek",
    "zdravotni-pece-doma", "podporovane-zamestnani",
]  # fmt: skip


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every code list, to compare two loads."""
    return {
        "service_types": list(ServiceType.objects.order_by("code").values_list()),
        "provision_forms": list(ProvisionForm.objects.order_by("code").values_list()),
        "target_groups": list(TargetGroup.objects.order_by("code").values_list()),
        "age_groups": list(AgeGroup.objects.order_by("code").values_list()),
        "capacity_types": list(CapacityType.objects.order_by("code").values_list()),
        "life_situations": list(LifeSituation.objects.order_by("code").values_list()),
        "links": list(
            SituationServiceType.objects.order_by("situation__code", "rank").values_list(
                "situation__code", "service_type__code", "rank"
            )
        ),
        "situation_groups": list(
            LifeSituation.target_groups.through.objects.order_by("pk").values_list(
                "lifesituation__code", "targetgroup__code"
            )
        ),
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, change) -> None:
    entries = json.loads(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def test_registered_service_types_after_migrate_are_the_33_paragraphs():
    registered = ServiceType.objects.filter(is_registered=True)

    assert sorted(registered.values_list("code", flat=True)) == sorted(PARAGRAPHS)
    assert registered.count() == 33
    for stype in registered:
        assert stype.paragraph == stype.code
        assert stype.description
        assert stype.keywords
        assert stype.name_en


def test_registered_service_types_have_the_categories_of_the_act():
    categories = dict(
        ServiceType.objects.filter(is_registered=True).values_list("code", "category")
    )

    assert categories["37"] == "poradenstvi"
    assert {categories[p] for p in PARAGRAPHS[1:15]} == {"pece"}
    assert PARAGRAPHS[14] == "52"
    assert {categories[p] for p in PARAGRAPHS[15:]} == {"prevence"}


def test_service_type_names_are_those_of_the_act():
    names = dict(ServiceType.objects.values_list("code", "name"))

    assert names["37"] == "odborné sociální poradenství"
    assert names["42"] == "průvodcovské a předčitatelské služby"
    assert names["52"] == "sociální služby poskytované ve zdravotnických zařízeních lůžkové péče"
    assert names["60a"] == "intervenční centra"
    assert names["66"] == "sociálně aktivizační služby pro seniory a osoby se zdravotním postižením"
    assert names["cdz"] == "centrum duševního zdraví"


def test_mpsv_codes_confirmed_and_unconfirmed():
    confirmed = dict(
        ServiceType.objects.filter(mpsv_code_confirmed=True).values_list("mpsv_code", "code")
    )
    unconfirmed = dict(
        ServiceType.objects.filter(mpsv_code__isnull=False, mpsv_code_confirmed=False).values_list(
            "mpsv_code", "code"
        )
    )

    assert confirmed == CONFIRMED_MPSV_CODES
    assert unconfirmed == {
        7: "43", 16: "52", 17: "54", 20: "57", 21: "58", 22: "59", 24: "61", 25: "62",
        26: "63", 27: "64", 31: "68", 34: "60a",
    }  # fmt: skip


def test_other_kinds_of_help_are_not_registered():
    others = ServiceType.objects.filter(code__in=OTHER_KINDS)

    assert sorted(others.values_list("code", flat=True)) == sorted(OTHER_KINDS)
    assert set(others.values_list("is_registered", "paragraph", "category", "mpsv_code")) == {
        (False, "", "jina", None)
    }
    assert ServiceType.objects.get(code="cdz").name == "centrum duševního zdraví"


def test_small_code_lists():
    assert list(ProvisionForm.objects.order_by("code").values_list("code", "is_field")) == [
        ("amb", False),
        ("pob", False),
        ("ter", True),
    ]
    assert sorted(CapacityType.objects.values_list("code", flat=True)) == [
        "hovor", "interv", "klient", "kontakt", "luzka",
    ]  # fmt: skip
    assert sorted(TargetGroup.objects.values_list("code", flat=True), key=int) == [
        str(n) for n in range(1, 27)
    ]
    assert TargetGroup.objects.get(code="24").name == "senioři"
    assert TargetGroup.objects.get(code="25").name == (
        "osoby ohrožené závislostí nebo závislé na návykových látkách"
    )
    ages = {a.code: (a.min_age, a.max_age) for a in AgeGroup.objects.all()}
    assert ages == {
        "1": (1, 6), "2": (7, 12), "3": (13, 15), "4": (16, 18), "5": (19, 26),
        "6": (27, 64), "7": (65, 80), "8": (81, None), "9": (None, None),
    }  # fmt: skip


def test_every_life_situation_maps_to_a_service_type():
    situations = LifeSituation.objects.annotate(n=Count("service_types"))

    assert situations.count() >= 25
    assert [s.slug for s in situations if s.n == 0] == []
    for situation in situations:
        assert situation.code == situation.slug
        assert situation.question
        assert len(situation.keyword_phrases()) >= 10
        ranks = list(
            SituationServiceType.objects.filter(situation=situation).values_list("rank", flat=True)
        )
        assert ranks == list(range(1, len(ranks) + 1))


def test_debt_situation_points_first_to_counselling():
    situation = LifeSituation.objects.get(slug="dluhy-a-exekuce")
    first = SituationServiceType.objects.filter(situation=situation).first()

    assert first.service_type.code == "37"
    assert "exekutor" in situation.keyword_phrases()


def test_loader_twice_changes_nothing():
    before = snapshot()

    counts = load_codelists()
    after = snapshot()

    assert after == before
    assert counts == {
        "service_types": ServiceType.objects.count(),
        "provision_forms": 3,
        "target_groups": 26,
        "age_groups": 9,
        "capacity_types": 5,
        "life_situations": LifeSituation.objects.count(),
    }


def test_loader_updates_changed_words_and_links(data_copy: Path):
    def change_type(entries):
        entries[0]["keywords"] = "nové slovo"

    def change_situation(entries):
        debt = next(e for e in entries if e["slug"] == "dluhy-a-exekuce")
        debt["service_types"] = ["69", "37"]

    edit(data_copy / "service_types.json", change_type)
    edit(data_copy / "life_situations.json", change_situation)
    count = ServiceType.objects.count()

    load_codelists(data_dir=data_copy)

    assert ServiceType.objects.get(code="37").keywords == "nové slovo"
    assert ServiceType.objects.count() == count
    links = SituationServiceType.objects.filter(situation__slug="dluhy-a-exekuce")
    assert list(links.values_list("service_type__code", "rank")) == [("69", 1), ("37", 2)]


def test_loader_moves_an_mpsv_code_between_service_types(data_copy: Path):
    def swap(entries):
        by_code = {e["code"]: e for e in entries}
        by_code["43"]["mpsv_code"], by_code["52"]["mpsv_code"] = 16, 7

    edit(data_copy / "service_types.json", swap)

    load_codelists(data_dir=data_copy)

    codes = dict(ServiceType.objects.filter(code__in=["43", "52"]).values_list("code", "mpsv_code"))
    assert codes == {"43": 16, "52": 7}


def test_loader_error_names_file_entry_and_field(data_copy: Path):
    def break_situation(entries):
        entries[2]["service_types"] = ["37", "99"]

    edit(data_copy / "life_situations.json", break_situation)
    before = snapshot()

    with pytest.raises(ValueError) as excinfo:
        load_codelists(data_dir=data_copy)

    assert str(excinfo.value) == (
        "life_situations.json, entry 2, field 'service_types': unknown code '99'"
    )
    assert snapshot() == before


def test_loader_error_on_missing_field(data_copy: Path):
    def break_type(entries):
        del entries[5]["category"]

    edit(data_copy / "service_types.json", break_type)

    with pytest.raises(ValueError) as excinfo:
        load_codelists(data_dir=data_copy)

    assert str(excinfo.value) == "service_types.json, entry 5, field 'category': missing"


def test_loader_error_on_wrong_type(data_copy: Path):
    def break_age(entries):
        entries[0]["min_age"] = "one"

    edit(data_copy / "age_groups.json", break_age)

    with pytest.raises(ValueError) as excinfo:
        load_codelists(data_dir=data_copy)

    assert (
        str(excinfo.value) == "age_groups.json, entry 0, field 'min_age': expected int, got 'one'"
    )
