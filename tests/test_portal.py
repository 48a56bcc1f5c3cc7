"""The public portal: home, search, detail pages, privacy of hidden addresses, language."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Contact, Location, RegisteredCapacity, Schedule, Service
from directory.services import report_capacity
from portal.forms import czech_sort_key
from tests.factories import KYJOV, make_organization, make_service, make_territory

pytestmark = pytest.mark.django_db

VRACOV = 586765
ZDANICE = 586803
SECRET_STREET = "Tajná 13"


@pytest.fixture
def kyjovsko():
    return make_territory(
        "kyjovsko",
        (KYJOV, VRACOV, ZDANICE),
        name="Kyjovsko",
        contact_name="Jana Vzorová",
        contact_role="odborná pracovnice MAS",
        contact_phone="+420 518 000 111",
        contact_email="pomoc@kyjovsko.example",
    )


@pytest.fixture
def org():
    return make_organization("Charita Kyjov", ico="00064581")


def url(name: str, territory, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"territory": territory.slug, **kwargs})


def text_of(response) -> str:
    """The page as text with whitespace collapsed, so that assertions read like the page."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text)


def card_titles(response) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', response.text)


def hide_address(service: Service) -> Location:
    location = service.locations.get()
    Location.objects.filter(pk=location.pk).update(street=SECRET_STREET, address_hidden=True)
    return location


# Index and home


def test_index_links_to_territory_portals(client, kyjovsko):
    response = client.get(reverse("portal:index"))
    assert response.status_code == 200
    assert f'href="{url("home", kyjovsko)}"' in response.text


def test_home_lists_situation_tiles_and_only_verified_free_places(client, kyjovsko, org):
    make_service(org, type_code="40", name="Pečovatelská služba s místem", free_places=2)
    make_service(org, type_code="49", name="Domov bez místa", free_places=0, waiting_list=3)
    stale = make_service(org, type_code="41", name="Tísňová péče se starým údajem")
    report_capacity(service=stale, free_places=9, reported_at=timezone.now() - timedelta(days=45))

    response = client.get(url("home", kyjovsko))

    assert response.status_code == 200
    search = url("search", kyjovsko)
    assert f'href="{search}?situace=dluhy-a-exekuce"' in response.text
    assert "Dluhy a exekuce" in response.text
    assert card_titles(response) == ["Pečovatelská služba s místem"]
    page = text_of(response)
    assert "2 volná místa" in page
    assert "Jana Vzorová, odborná pracovnice MAS" in page
    assert 'href="tel:+420518000111"' in response.text


def test_home_without_free_places_says_so(client, kyjovsko, org):
    make_service(org, type_code="49", name="Domov bez místa", free_places=0)
    response = client.get(url("home", kyjovsko))
    assert card_titles(response) == []
    assert "Žádná služba teď nehlásí ověřené volné místo" in text_of(response)


# Search


def test_search_finds_service_by_query(client, kyjovsko, org):
    make_service(org, type_code="57", name="Azylový dům pro matky s dětmi Kyjov")
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov")

    response = client.get(url("search", kyjovsko), {"q": "azylový dům"})

    assert response.status_code == 200
    assert card_titles(response)[0] == "Azylový dům pro matky s dětmi Kyjov"
    assert "Hledání „azylový dům“" in text_of(response)


def test_search_filters_by_service_type_and_shows_active_filter(client, kyjovsko, org):
    make_service(org, type_code="57", name="Azylový dům Kyjov")
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov")

    response = client.get(url("search", kyjovsko), {"druh": "40"})

    assert card_titles(response) == ["Pečovatelská služba Kyjov"]
    page = text_of(response)
    assert "Nalezena 1 služba" in page
    assert "Druh služby: pečovatelská služba (§ 40)" in page
    # The chip removes the filter and keeps nothing else.
    assert f'class="chip" href="{url("search", kyjovsko)}"' in response.text


def test_search_free_places_filter_excludes_full_and_stale(client, kyjovsko, org):
    make_service(org, type_code="49", name="Domov plný", free_places=0, waiting_list=4)
    make_service(org, type_code="49", name="Domov s místem", free_places=1)
    stale = make_service(org, type_code="49", name="Domov se starým údajem")
    report_capacity(service=stale, free_places=5, reported_at=timezone.now() - timedelta(days=45))

    response = client.get(url("search", kyjovsko), {"volna": "1"})

    assert card_titles(response) == ["Domov s místem"]


def test_search_situation_filter_keeps_matching_types(client, kyjovsko, org):
    make_service(org, type_code="37", name="Dluhová poradna Kyjov")
    make_service(org, type_code="41", name="Tísňová péče Kyjov")

    response = client.get(url("search", kyjovsko), {"situace": "dluhy-a-exekuce"})

    assert card_titles(response) == ["Dluhová poradna Kyjov"]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "Nalezena 1 služba"), (3, "Nalezeny 3 služby"), (5, "Nalezeno 5 služeb")],
)
def test_search_result_count_uses_czech_plural(client, kyjovsko, org, count, expected):
    for number in range(count):
        make_service(org, type_code="40", name=f"Pečovatelská služba {number}")
    response = client.get(url("search", kyjovsko))
    assert expected in text_of(response)


def test_search_unknown_code_is_reported_and_the_rest_still_searches(client, kyjovsko, org):
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov")

    response = client.get(url("search", kyjovsko), {"druh": "999", "obec": "abc", "strana": "x"})

    assert response.status_code == 200
    page = text_of(response)
    assert "Některé filtry jsme nepoužili" in page
    assert card_titles(response) == ["Pečovatelská služba Kyjov"]
    assert 'aria-describedby="id_druh-error"' in response.text


@pytest.mark.parametrize("page", ["0", "-3", "abc", "9999999999999"])
def test_search_bad_page_number_shows_first_page(client, kyjovsko, org, page):
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov")
    response = client.get(url("search", kyjovsko), {"strana": page})
    assert response.status_code == 200
    assert card_titles(response) == ["Pečovatelská služba Kyjov"]


def test_search_page_past_the_end_shows_last_page(client, kyjovsko, org, settings):
    settings.SPOJKA_PAGE_SIZE = 2
    for number in range(3):
        make_service(org, type_code="40", name=f"Pečovatelská služba {number}")
    response = client.get(url("search", kyjovsko), {"strana": "7"})
    assert len(card_titles(response)) == 1
    assert response.context["result"].page == 2


def test_search_paging_links_keep_filters(client, kyjovsko, org, settings):
    settings.SPOJKA_PAGE_SIZE = 2
    for number in range(5):
        make_service(org, type_code="40", name=f"Pečovatelská služba {number}")

    response = client.get(url("search", kyjovsko), {"druh": "40", "strana": "2"})

    assert len(card_titles(response)) == 2
    html = response.text
    assert 'href="?druh=40&amp;strana=1" rel="prev"' in html
    assert 'href="?druh=40&amp;strana=3" rel="next"' in html
    assert 'href="?druh=40&amp;strana=2" aria-current="page"' in html


def test_search_field_service_comes_to_you(client, kyjovsko, org):
    make_service(
        org,
        type_code="48",
        name="Terénní program Vracov",
        municipality=VRACOV,
        forms=("ter",),
        area_municipalities=(ZDANICE,),
    )

    response = client.get(url("search", kyjovsko), {"obec": ZDANICE})

    page = text_of(response)
    assert "přijedou za vámi" in page
    assert "terénní služba pro obec Ždánice" in page


def test_search_shows_distance_when_municipality_is_chosen(client, kyjovsko, org):
    make_service(org, type_code="40", name="Pečovatelská služba Vracov", municipality=VRACOV)

    response = client.get(url("search", kyjovsko), {"obec": KYJOV})

    assert re.search(r"vzdálenost \d+(,\d)? km", text_of(response))


def test_search_empty_result_suggests_life_situations(client, kyjovsko):
    response = client.get(url("search", kyjovsko), {"q": "žirafa"})
    page = text_of(response)
    assert "Nalezeno 0 služeb" in page
    assert "Nic jsme nenašli" in page
    assert f'href="{url("search", kyjovsko)}?situace=dluhy-a-exekuce"' in response.text


def test_search_map_view_carries_public_points_only(client, kyjovsko, org):
    public = make_service(org, type_code="40", name="Pečovatelská služba Kyjov")
    hidden = make_service(org, type_code="57", name="Azylový dům", municipality=VRACOV)
    hide_address(hidden)

    response = client.get(url("search", kyjovsko), {"zobrazeni": "mapa"})

    data = json.loads(
        re.search(
            r'<script id="map-data" type="application/json">(.*?)</script>', response.text, re.S
        ).group(1)
    )
    assert [point["name"] for point in data["points"]] == [public.name]
    assert "vendor/leaflet/leaflet.js" in response.text
    # The list stays complete without the map.
    assert sorted(card_titles(response)) == ["Azylový dům", "Pečovatelská služba Kyjov"]


def test_search_escapes_the_query(client, kyjovsko):
    response = client.get(url("search", kyjovsko), {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text


@pytest.mark.parametrize("view", ["", "mapa"])
def test_search_query_count_does_not_grow_with_results(client, kyjovsko, org, view):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("search", kyjovsko), {"zobrazeni": view, "obec": KYJOV})
        assert response.status_code == 200
        return len(captured)

    make_service(org, type_code="40", name="Služba 0", target_groups=("24",), free_places=1)
    client.get(url("search", kyjovsko))  # warm caches (thesaurus, municipalities)
    with_one = count_queries()
    for number in range(1, 5):
        make_service(
            org, type_code="40", name=f"Služba {number}", target_groups=("24",), free_places=1
        )
    with_five = count_queries()
    assert len(card_titles(client.get(url("search", kyjovsko)))) == 5
    assert with_one == with_five


# Capacity


def test_capacity_shows_age_of_the_report(client, kyjovsko, org):
    service = make_service(org, type_code="49", name="Domov Kyjov")
    report_capacity(
        service=service,
        free_places=0,
        waiting_list=12,
        typical_wait_days=30,
        reported_at=timezone.now() - timedelta(days=3, hours=2),
    )
    page = text_of(client.get(url("service", kyjovsko, pk=service.pk)))
    assert "Volná místa: teď žádné" in page
    assert "V pořadníku čeká 12 lidí." in page
    assert "Obvykle se čeká 30 dní." in page
    assert "aktualizováno před 3 dny" in page


def test_stale_capacity_shows_not_verified_instead_of_a_number(client, kyjovsko, org):
    service = make_service(org, type_code="49", name="Domov Kyjov")
    report_capacity(service=service, free_places=7, reported_at=timezone.now() - timedelta(days=45))
    for response in (
        client.get(url("service", kyjovsko, pk=service.pk)),
        client.get(url("search", kyjovsko)),
    ):
        page = text_of(response)
        assert "Volná místa: neověřeno" in page
        assert "7 volných míst" not in page


def test_service_without_reports_says_capacity_not_given(client, kyjovsko, org):
    service = make_service(org, type_code="37", name="Poradna Kyjov")
    page = text_of(client.get(url("service", kyjovsko, pk=service.pk)))
    assert "Volná místa: kapacitu neuvádí" in page


# Detail pages


def test_service_page_shows_all_details(client, kyjovsko, org):
    service = make_service(
        org,
        type_code="49",
        name="Domov pro seniory Kyjov",
        target_groups=("24",),
        area_municipalities=(VRACOV,),
        description="Celoroční pobyt s péčí.",
        eligibility="Senioři od 65 let.",
        application_process="Podejte žádost.",
        is_free=False,
        fees_description="Podle ceníku.",
        mpsv_identifier="1234567",
        languages="cs,uk",
    )
    for days, free in ((10, 1), (2, 3)):
        report_capacity(
            service=service, free_places=free, reported_at=timezone.now() - timedelta(days=days)
        )
    from catalog.models import CapacityType, ProvisionForm

    RegisteredCapacity.objects.create(
        service=service,
        form=ProvisionForm.objects.get(code="pob"),
        capacity_type=CapacityType.objects.get(code="luzka"),
        count=40,
    )
    Schedule.objects.create(service=service, weekday=1, opens_at="08:00", closes_at="16:00")
    Contact.objects.create(service=service, title="sociální pracovnice", phone="+420 777 000 000")

    response = client.get(url("service", kyjovsko, pk=service.pk))

    assert response.status_code == 200
    page = text_of(response)
    for expected in (
        "Domov pro seniory Kyjov",
        "domovy pro seniory (§ 49 zákona o sociálních službách)",
        "poskytuje Charita Kyjov",
        "Celoroční pobyt s péčí.",
        "Senioři od 65 let.",
        "Podejte žádost.",
        "Služba se hradí.",
        "Podle ceníku.",
        "senioři",
        "Jazyky česky, ukrajinsky",
        "3 volná místa",
        "Masarykovo nám. 1",
        "Vracov",
        "pondělí 08:00–16:00",
        "sociální pracovnice",
        "Identifikátor v registru MPSV 1234567",
    ):
        assert expected in page, (expected, page)
    assert "40" in page
    assert len(response.context["history"]) == 2
    assert f'href="{url("organization", kyjovsko, pk=org.pk)}"' in response.text


def test_organization_page_lists_its_services_and_ico(client, kyjovsko, org):
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov")
    make_service(org, type_code="57", name="Azylový dům Brno", municipality=582786)

    response = client.get(url("organization", kyjovsko, pk=org.pk))

    assert response.status_code == 200
    page = text_of(response)
    assert "IČO 00064581" in page
    assert card_titles(response) == ["Pečovatelská služba Kyjov", "Azylový dům Brno"]
    assert [hit.service.name for hit in response.context["elsewhere"]] == ["Azylový dům Brno"]


def test_municipality_page_groups_services_by_type(client, kyjovsko, org):
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov")
    make_service(
        org,
        type_code="48",
        name="Terénní program",
        municipality=VRACOV,
        forms=("ter",),
        area_municipalities=(KYJOV,),
    )
    make_service(org, type_code="57", name="Azylový dům Vracov", municipality=VRACOV)

    response = client.get(url("municipality", kyjovsko, code=KYJOV))

    assert response.status_code == 200
    page = text_of(response)
    assert "Co je dostupné pro obec Kyjov" in page
    groups = [
        (t.code, [h.service.name for h in hits]) for t, hits, *_ in response.context["groups"]
    ]
    assert groups == [("40", ["Pečovatelská služba Kyjov"]), ("48", ["Terénní program"])]
    assert "přijedou za vámi" in page


def test_municipality_page_shows_a_few_of_each_kind_and_links_to_the_rest(client, kyjovsko, org):
    for n in range(1, 9):
        make_service(org, type_code="40", name=f"Pečovatelská služba {n}")
    make_service(org, type_code="57", name="Azylový dům Kyjov")

    response = client.get(url("municipality", kyjovsko, code=KYJOV))

    page = text_of(response)
    assert "působí 9 služeb" in page
    groups = {t.code: (len(hits), count) for t, hits, count, _url in response.context["groups"]}
    assert groups == {"40": (6, 8), "57": (1, 1)}
    assert "Pečovatelská služba 6" in page and "Pečovatelská služba 7" not in page
    more = f"{url('search', kyjovsko)}?obec={KYJOV}&amp;druh=40"
    assert f'href="{more}"' in response.content.decode()
    assert "Všech 8 služeb tohoto druhu pro obec" in page


def test_situation_url_redirects_to_search(client, kyjovsko):
    response = client.get(url("situation", kyjovsko, slug="dluhy-a-exekuce"))
    assert response.status_code == 302
    assert response["Location"] == f"{url('search', kyjovsko)}?situace=dluhy-a-exekuce"


# Privacy


def test_hidden_address_never_appears_in_any_page(client, kyjovsko, org):
    shelter = make_service(
        org,
        type_code="57",
        name="Azylový dům pro matky",
        municipality=VRACOV,
        area_municipalities=(KYJOV,),
        free_places=2,
    )
    hide_address(shelter)
    pages = [
        url("home", kyjovsko),
        url("search", kyjovsko),
        url("search", kyjovsko) + "?zobrazeni=mapa",
        url("search", kyjovsko) + f"?obec={KYJOV}",
        url("search", kyjovsko) + "?q=azylový dům",
        url("service", kyjovsko, pk=shelter.pk),
        url("organization", kyjovsko, pk=org.pk),
        url("municipality", kyjovsko, code=VRACOV),
        url("municipality", kyjovsko, code=KYJOV),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Azylový dům pro matky" in response.text, page
        assert SECRET_STREET not in response.text, page
        assert "Tajn" not in response.text, page
    service_page = text_of(client.get(url("service", kyjovsko, pk=shelter.pk)))
    assert "Adresa je z bezpečnostních důvodů utajená" in service_page


# Language


def test_english_switch_translates_the_portal(client, kyjovsko, org):
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov", free_places=1)
    home = url("home", kyjovsko)

    response = client.post("/i18n/setlang/", {"language": "en", "next": home}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == home
    assert '<html lang="en">' in response.text
    page = text_of(response)
    assert "Find help close to home" in page
    assert "1 free place" in page
    search = text_of(client.get(url("search", kyjovsko)))
    assert "Found 1 service" in search


def test_czech_is_the_default_language_even_for_an_english_browser(client, kyjovsko):
    response = client.get(url("home", kyjovsko), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="cs">' in response.text
    assert "Najděte pomoc blízko domova" in response.text


# Not found


@pytest.mark.parametrize(
    "path",
    [
        "/neznamo/",
        "/neznamo/hledat/",
        "/kyjovsko/sluzba/{unknown}/",
        "/kyjovsko/sluzba/{inactive}/",
        "/kyjovsko/organizace/{unknown}/",
        "/kyjovsko/organizace/{empty_org}/",
        "/kyjovsko/obec/582786/",
        "/kyjovsko/situace/neznama-situace/",
    ],
)
def test_not_found(client, kyjovsko, org, path):
    inactive = make_service(org, type_code="40", status=Service.Status.INACTIVE)
    empty_org = make_organization("Bez služeb")
    path = path.format(unknown=uuid.uuid4(), inactive=inactive.pk, empty_org=empty_org.pk)

    response = client.get(path)

    assert response.status_code == 404
    assert "Stránka nenalezena" in response.text


def test_pages_are_served_with_strict_csp(client, kyjovsko):
    response = client.get(url("home", kyjovsko))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy


def test_municipality_select_is_in_czech_order_and_tells_namesakes_apart(client, org):
    # Kyjov (Hodonín), Kyjov (Havlíčkův Brod), Čejkovice, Arnolec, Hýsly, Hrubá Vrbka
    territory = make_territory("obce", (586307, 548308, 586102, 586854, 586200, 586196))
    response = client.get(url("search", territory))
    select = re.search(r'<select id="id_obec".*?</select>', response.text, re.S).group(0)
    labels = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert labels == sorted(labels, key=czech_sort_key)
    assert "Kyjov (okres Hodonín)" in labels
    assert "Kyjov (okres Havlíčkův Brod)" in labels


def test_czech_sort_key_follows_the_czech_alphabet():
    words = ["Žádovice", "Zlín", "Chrudim", "Čeložnice", "Cheb", "Hodonín", "Ivančice", "Řeka"]
    assert sorted(words, key=czech_sort_key) == [
        "Čeložnice",
        "Hodonín",
        "Cheb",
        "Chrudim",
        "Ivančice",
        "Řeka",
        "Zlín",
        "Žádovice",
    ]


# A large territory: the obec is typed, not chosen from thousands of options


@pytest.fixture
def large_territory(db):
    from territory.models import Municipality

    territory = make_territory("velke-uzemi", ())
    codes = list(Municipality.objects.order_by("code").values_list("code", flat=True)[:400])
    territory.municipalities.set(Municipality.objects.filter(code__in=[*codes, KYJOV]))
    return territory


def test_large_territory_takes_a_typed_obec_name_without_diacritics(client, large_territory):
    org = make_organization("Poradna Kyjov, z.ú.")
    make_service(org, type_code="37", name="Občanská poradna Kyjov", free_places=1)
    response = client.get(url("search", large_territory), {"q": "poradna", "obec": "kyjov"})
    assert response.status_code == 200
    assert '<select id="id_obec"' not in response.text
    assert 'name="obec" value="Kyjov"' in response.text
    assert response.context["municipality_code"] == KYJOV


def test_large_territory_reports_an_unknown_obec_by_name(client, large_territory):
    response = client.get(url("search", large_territory), {"obec": "Neexistujov"})
    assert "Obec „Neexistujov“ v území nenacházíme; zkontrolujte název." in response.text
