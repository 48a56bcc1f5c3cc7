"""Property tests (hypothesis): the search normaliser and the importers on malformed input.

- `spojka.text`: never fails on any Unicode text; its output is plain, space-separated,
  lower-case terms without diacritics; the same for upper and lower case; a word typed
  without diacritics still meets the word with them.
- The importers, given random mutations of a small valid input (JSON values replaced,
  keys removed, CSV cells, columns and rows changed, bytes cut off): they either import (the
  valid parts, as each documents) or refuse with an error that names the place (item,
  file, row, field); never another exception, and never a half-written record:
  - `mpsv.services.import_registry` (`manage.py import_mpsv`): a bad record is rejected
    by its portalId/IČS or item number, the others are imported whole; a broken file
    stops the import with the item and byte where it broke;
  - `directory.hsds_package.import_package` (`manage.py import_hsds`): all or nothing,
    errors name the table, the row and the field;
  - `catalog.loading.load_codelists`: all or nothing, a `ValueError` names the file, the
    entry and the field.

Every property is bounded (`max_examples` about 50, no deadline) and does not keep an
example database, so that a run leaves no files behind.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import loading as catalog_loading
from catalog.models import AgeGroup, CapacityType, LifeSituation, ProvisionForm, ServiceType
from catalog.models import TargetGroup as CatalogTargetGroup
from directory import hsds_package
from directory.models import (
    CapacityReport,
    Location,
    Organization,
    RegisteredCapacity,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCoverage,
)
from directory.services import build_search_text, covered_municipality_codes
from directory.validators import ico_with_checksum
from mpsv.models import RegistryRecord
from mpsv.services import ImportFailed, import_registry
from mpsv.synthetic import Generator as MpsvGenerator
from spojka.text import (
    light_stem,
    normalize,
    normalize_terms,
    strip_diacritics,
    word_terms,
    words,
)
from tests.factories import KYJOV, make_organization, make_service

BOUNDED = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUICK = settings(BOUNDED, max_examples=200)

CZECH_LETTERS = "aábcčdďeéěfghiíjklmnňoópqrřsštťuúůvwxyýzž"
# What people type into the search box: Czech letters in both cases, digits, punctuation.
czech_text = st.text(
    alphabet=st.sampled_from(list(CZECH_LETTERS + CZECH_LETTERS.upper() + "0123456789 ,.-?!")),
    max_size=80,
)
czech_word = st.text(alphabet=st.sampled_from(list(CZECH_LETTERS)), min_size=1, max_size=15)
any_text = st.text(max_size=120)


# ------------------------------------------------------------------------- normaliser
@QUICK
@given(any_text)
def test_normalise_never_fails_and_gives_plain_terms(text):
    result = normalize(text)
    assert isinstance(result, str)
    # Terms separated by single spaces, nothing at the ends, no empty terms.
    assert result == " ".join(result.split())
    assert normalize_terms(text) == (result.split() if result else [])
    # No combining marks (diacritics) left, whatever the script.
    assert not any(unicodedata.combining(ch) for ch in result)
    assert "\x00" not in result


@QUICK
@given(any_text)
def test_normalise_is_deterministic_and_tokenisation_is_stable(text):
    result = normalize(text)
    assert normalize(text) == result
    # Every term is a single token of the index: splitting on spaces gives the terms.
    for term in result.split():
        assert term == term.strip() and term


@QUICK
@given(any_text)
def test_strip_diacritics_is_idempotent(text):
    once = strip_diacritics(text)
    assert strip_diacritics(once) == once
    assert not any(unicodedata.combining(ch) for ch in once)


@QUICK
@given(czech_text)
def test_normalise_strips_diacritics_of_czech(text):
    result = normalize(text)
    assert result.isascii(), result
    assert result == result.lower()


@QUICK
@given(czech_text)
def test_normalise_is_case_insensitive(text):
    assert normalize(text.upper()) == normalize(text) == normalize(text.lower())
    assert normalize(text.title()) == normalize(text)


@QUICK
@given(czech_word)
def test_a_word_without_diacritics_meets_the_word_with_them(word):
    """ "azylovy" finds "azylový": the surface stem of both is the same index term."""
    assert set(word_terms(word)) & set(word_terms(strip_diacritics(word)))
    assert set(word_terms(word)) & set(word_terms(word.upper()))


@QUICK
@given(czech_word)
def test_light_stem_keeps_a_stem_of_three_letters(word):
    plain = strip_diacritics(word)
    stem = light_stem(plain)
    assert plain.startswith(stem)
    assert len(stem) >= min(3, len(plain))


@QUICK
@given(czech_text)
def test_words_of_the_output_are_the_output(text):
    """On Czech text the output is already tokenised: tokenising it again changes nothing."""
    result = normalize(text)
    assert words(result) == result.split()


def test_compatibility_capitals_are_lower_cased():
    assert normalize("𝕋𝕙𝕖 ℌ") == normalize("the h")


# --------------------------------------------------------------- JSON mutations (shared)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "null", "-1", "0", "Obec/0", "Obec/999999", "x" * 400])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


def _slots(value, skip: frozenset[str] = frozenset()) -> list[tuple[object, object]]:
    """Every (container, key) of a JSON tree: the places a mutation can hit."""
    found: list[tuple[object, object]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if key in skip:
                    continue
                found.append((node, key))
                stack.append(child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                found.append((node, index))
                stack.append(child)
    return found


@st.composite
def mutated_json(
    draw,
    sample,
    skip: frozenset[str] = frozenset(),
    max_changes: int = 4,
    values: st.SearchStrategy = json_values,
):
    data = copy.deepcopy(sample)
    for _ in range(draw(st.integers(1, max_changes))):
        slots = _slots(data, skip)
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "replace", "delete", "empty"]))
        if action == "delete":
            del container[key]
        elif action == "empty":
            current = container[key]
            container[key] = type(current)() if isinstance(current, (dict, list, str)) else None
        else:
            container[key] = draw(values)
    return data


def _in_rollback(check):
    """Run `check()` in a transaction that is always rolled back: each example starts
    from the same database."""
    with transaction.atomic():
        try:
            return check()
        finally:
            transaction.set_rollback(True)


# ------------------------------------------------------------------------------- MPSV
MPSV_TODAY = date(2026, 1, 1)
MPSV_COUNTED = (Organization, Service, Location, ServiceAtLocation, ServiceArea, RegistryRecord)


@pytest.fixture(scope="module")
def mpsv_sample(tmp_path_factory) -> list[dict]:
    """Five registry items in the registry's shape (mpsv.synthetic), without the long
    supplementary texts the import never reads."""
    path = tmp_path_factory.mktemp("mpsv") / "rpss.json"
    MpsvGenerator(services=5, seed=4242, today=MPSV_TODAY).write(path)
    items = json.loads(path.read_text(encoding="utf-8"))["polozky"]
    for item in items:
        item.pop("doplnkoveUdaje", None)
    return items


def _mpsv_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MPSV_COUNTED}


def _assert_complete_services(before: dict[str, int], result) -> None:
    """What the import wrote is whole: every service with its record, coverage and search
    text; no organisation or location that no imported service uses."""
    after = _mpsv_counts()
    new_services = after["Service"] - before["Service"]
    assert after["RegistryRecord"] - before["RegistryRecord"] == new_services
    assert new_services == result.created + result.ended
    for record in RegistryRecord.objects.select_related("service"):
        service = record.service
        stored = dict(
            ServiceCoverage.objects.filter(service=service).values_list(
                "municipality_id", "by_area"
            )
        )
        assert stored == covered_municipality_codes(service), record.portal_id
        title, body = build_search_text(service)
        assert service.search_title == normalize(title), record.portal_id
        assert service.search_document == normalize(body), record.portal_id
    assert not Organization.objects.filter(services__isnull=True).exists()
    assert not Location.objects.filter(serviceatlocation__isnull=True).exists()


def _run_mpsv(path: Path):
    """Import `path`; returns (result, error message or "")."""
    before = _mpsv_counts()
    message = ""
    try:
        result = import_registry(str(path), today=MPSV_TODAY)
    except ImportFailed as exc:
        message = str(exc)
        # The file and, when it broke while reading, the item and byte where it broke.
        assert message.startswith(f"{path}: "), message
        if "broken" in message or "stopped" in message:
            assert re.search(r"after item \d+ \(byte [\d,]+\)", message), message
        result = exc.result
        if result is None:
            assert _mpsv_counts() == before
            return None, message
    counted = (
        result.created
        + result.updated
        + result.unchanged
        + result.ended
        + result.rejected
        + result.skipped
    )
    # Every item read is accounted for, one way or another (a broken file stops after
    # the items before the break).
    assert counted == result.items
    for identifier, reason in result.rejections:
        assert re.fullmatch(r"(portalId .+|IČS .+|item #\d+)", identifier), identifier
        assert reason.strip()
    _assert_complete_services(before, result)
    return result, message


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_mpsv_import_of_mutated_items(mpsv_sample, data):
    """Values replaced, keys removed: bad records are rejected by name, the rest imported
    whole. (A number beyond 64 bits stops the streaming parser: "the file is broken after
    item N (byte B): integer overflow", which is also a clear error.)"""
    items = data.draw(mutated_json(mpsv_sample, skip=frozenset({"statutarniOrgany"})))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rpss.json"
        path.write_text(json.dumps({"polozky": items}, ensure_ascii=False), encoding="utf-8")

        def check():
            result, message = _run_mpsv(path)
            if not message:
                assert result.items == len(items)

        _in_rollback(check)


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_mpsv_import_of_a_broken_file(mpsv_sample, data):
    """Cut off, garbage bytes, another root: a clear error, and the items before it whole."""
    raw = json.dumps({"polozky": mpsv_sample}, ensure_ascii=False).encode()
    kind = data.draw(st.sampled_from(["cut", "garbage", "root", "insert"]))
    if kind == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif kind == "garbage":
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at + 1 :]
    elif kind == "insert":
        at = data.draw(st.integers(0, len(raw)))
        raw = (
            raw[:at]
            + data.draw(st.sampled_from([b"}", b"]", b",", b'"', b"\xff", b"{"]))
            + raw[at:]
        )
    else:
        raw = json.dumps(data.draw(json_values)).encode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rpss.json"
        path.write_bytes(raw)
        _in_rollback(lambda: _run_mpsv(path))


# ------------------------------------------------------------------------ HSDS package
HSDS_COUNTED = (
    Organization,
    Service,
    Location,
    ServiceAtLocation,
    ServiceArea,
    ServiceCoverage,
    Schedule,
    CapacityReport,
    RegisteredCapacity,
    Service.forms.through,
    Service.target_groups.through,
    Service.age_groups.through,
)
# An error names the table (file), the row and the field, or the package itself.
HSDS_ERROR = re.compile(
    r'^(?:[\w.-]+\.csv(?: row \d+)?(?:, field "[^"]*")?|datapackage\.json(?: resource \d+)?'
    r'(?:, field "[^"]*")?|.+: no HSDS tables found)[: ]'
)


def _hsds_counts() -> dict[str, int]:
    return {model.__name__ + model._meta.db_table: model.objects.count() for model in HSDS_COUNTED}


@pytest.fixture(scope="module")
def hsds_sample(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A small valid package (two organisations, three services) exported, then rolled back."""
    directory = tmp_path_factory.mktemp("hsds") / "package"
    with django_db_blocker.unblock(), transaction.atomic():
        charita = make_organization("Charita Kyjov", ico=ico_with_checksum("4499026"))
        spolek = make_organization("Spolek Pod střechou")
        make_service(charita, type_code="37", target_groups=("23",), free_places=3)
        make_service(
            charita,
            type_code="40",
            forms=("ter",),
            area_municipalities=(KYJOV,),
            name="Pečovatelská služba Kyjov",
        )
        make_service(spolek, type_code="57", address_hidden=True, name="Azylový dům pro matky")
        hsds_package.export_package(directory)
        transaction.set_rollback(True)
    return directory


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


cell_values = st.text(max_size=30) | st.sampled_from(
    [
        "",
        "not-a-uuid",
        "00000000-0000-0000-0000-000000000000",
        "-1",
        "1e309",
        "99999999999999999999999",
        "NaN",
        "2026-13-45",
        "25:99",
        "x" * 3000,
        "true",
        "586307",
        "http://",
        "nobody@",
    ]
)


@st.composite
def hsds_mutation(draw, directory: Path):
    """(file name, mutation) applied to a copy of the package by `_apply_hsds`."""
    files = sorted(p.name for p in directory.iterdir())
    name = draw(st.sampled_from(files))
    kind = draw(
        st.sampled_from(
            [
                "cell",
                "cell",
                "cell",
                "swap_ids",
                "drop_column",
                "rename_column",
                "drop_row",
                "duplicate_row",
                "short_row",
                "bytes",
                "delete_file",
            ]
        )
    )
    return name, kind, draw(st.randoms(use_true_random=False)), draw(cell_values)


def _apply_hsds(directory: Path, name: str, kind: str, rng, value: str) -> None:
    path = directory / name
    if kind == "delete_file":
        path.unlink()
        return
    if kind == "bytes":
        raw = path.read_bytes()
        at = rng.randrange(len(raw) + 1)
        path.write_bytes(raw[:at] + rng.choice([b"\xff\xfe", b'"', b"\x00", b"\n\n,"]) + raw[at:])
        return
    try:
        text = path.read_text(encoding="utf-8")
        parsed = json.loads(text) if name.endswith(".json") else _read_csv(path)
    except (UnicodeDecodeError, ValueError, csv.Error):
        return  # already broken by an earlier mutation: leave it broken
    if name.endswith(".json"):
        descriptor = parsed
        slots = _slots(descriptor)
        if not slots:
            return
        container, key = rng.choice(slots)
        container[key] = value if kind == "cell" else None
        path.write_text(json.dumps(descriptor), encoding="utf-8")
        return
    rows = parsed
    if not rows or not rows[0]:
        return
    header = rows[0]
    # Rows cut short by an earlier mutation stay as they are.
    body = [row for row in rows[1:] if len(row) == len(header)]
    short = [row for row in rows[1:] if len(row) != len(header)]
    column = rng.randrange(len(header))
    if kind == "cell" and body:
        rng.choice(body)[column] = value
    elif kind == "swap_ids" and len(body) > 1:
        a, b = rng.sample(range(len(body)), 2)
        body[a][column], body[b][column] = body[b][column], body[a][column]
    elif kind == "drop_column":
        header.pop(column)
        for row in body:
            row.pop(column)
    elif kind == "rename_column":
        header[column] = value[:20] or "x"
    elif kind == "drop_row" and body:
        body.pop(rng.randrange(len(body)))
    elif kind == "duplicate_row" and body:
        body.append(list(rng.choice(body)))
    elif kind == "short_row" and body:
        rng.choice(body).pop()
    _write_csv(path, [header, *body, *short])


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_hsds_import_of_a_mutated_package(hsds_sample, data):
    mutations = data.draw(st.lists(hsds_mutation(hsds_sample), min_size=1, max_size=3))
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "package"
        shutil.copytree(hsds_sample, directory)
        for name, kind, rng, value in mutations:
            if (directory / name).exists():
                _apply_hsds(directory, name, kind, rng, value)

        def check():
            before = _hsds_counts()
            try:
                result = hsds_package.import_package(directory)
            except hsds_package.PackageError as exc:
                assert exc.errors
                for message in exc.errors:
                    assert HSDS_ERROR.match(message), message
                assert _hsds_counts() == before, "a refused package changed the database"
                return
            # Imported: every service is whole (coverage and search text computed).
            assert result is not None
            for service in Service.objects.all():
                stored = dict(
                    ServiceCoverage.objects.filter(service=service).values_list(
                        "municipality_id", "by_area"
                    )
                )
                assert stored == covered_municipality_codes(service)

        _in_rollback(check)


# ---------------------------------------------------------------------------- catalog
CATALOG_MODELS = (
    ServiceType,
    ProvisionForm,
    CatalogTargetGroup,
    AgeGroup,
    CapacityType,
    LifeSituation,
)
CATALOG_ERROR = re.compile(r"^\w+\.json(?:, entry \d+)?(?:, field '[^']*')?: .+", re.S)


def _catalog_state() -> list:
    state = []
    for model in CATALOG_MODELS:
        state.append(sorted(map(str, model.objects.values_list(flat=False).order_by("pk"))))
    state.append(LifeSituation.target_groups.through.objects.count())
    state.append(sorted(LifeSituation.service_types.through.objects.values_list("rank", flat=True)))
    return state


CATALOG_FILES = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(catalog_loading.DATA_DIR.glob("*.json"))
}


# Values within what the columns hold: numbers and lengths out of range are the known gap
# below (test_catalog_values_out_of_range_*), kept out of the random property so that it
# does not fail now and then.
catalog_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(0, 30_000)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "37", "pece", "amb", "-", "x" * 200]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def catalog_input(draw):
    """(file name, its new text): a mutated code list, or now and then one cut short."""
    name = draw(st.sampled_from(sorted(CATALOG_FILES)))
    if draw(st.integers(0, 9)) == 0:
        text = json.dumps(CATALOG_FILES[name], ensure_ascii=False)
        return name, text[: draw(st.integers(0, len(text) - 1))]
    mutated = draw(mutated_json(CATALOG_FILES[name], max_changes=2, values=catalog_values))
    return name, json.dumps(mutated, ensure_ascii=False)


@pytest.mark.django_db
@BOUNDED
@given(catalog_input())
def test_catalog_load_of_mutated_code_lists(change):
    name, text = change
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for other, content in CATALOG_FILES.items():
            (directory / other).write_text(json.dumps(content, ensure_ascii=False), "utf-8")
        (directory / name).write_text(text, "utf-8")

        def check():
            before = _catalog_state()
            try:
                catalog_loading.load_codelists(data_dir=directory)
            except ValueError as exc:
                assert CATALOG_ERROR.match(str(exc)), str(exc)
                assert _catalog_state() == before, "a refused code list changed the database"

        _in_rollback(check)


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("order", 2**70), ("order", -5), ("name", "x" * 300)])
def test_catalog_values_out_of_range_get_a_clear_error(field, value):
    files = copy.deepcopy(CATALOG_FILES)
    files["target_groups.json"][0][field] = value
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in files.items():
            (Path(tmp) / name).write_text(json.dumps(content, ensure_ascii=False), "utf-8")

        def check():
            with pytest.raises(ValueError, match=rf"target_groups\.json, entry 0, field '{field}'"):
                catalog_loading.load_codelists(data_dir=tmp)

        _in_rollback(check)


def test_mutation_helpers_reach_every_place():
    """The JSON mutation sees nested keys and list items (a check of the test itself)."""
    sample = {"a": [1, {"b": 2}], "c": {"d": None}}
    slots = {(id(c), k) for c, k in _slots(sample)}
    assert len(slots) == 6


def test_csv_helpers_round_trip(tmp_path):
    rows = [["id", "name"], ["1", 'a "quoted", value'], ["2", "řádek\nnový"]]
    _write_csv(tmp_path / "t.csv", rows)
    assert _read_csv(tmp_path / "t.csv") == rows
