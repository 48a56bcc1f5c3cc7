"""The HSDS API at national scale: /api/hsds/services?per_page=50, listing and searching.

Requests go through Django's test Client (middleware, django-ninja, serialisation), each
kind interleaved with the floor page of the same run:

- `hsds_services`: pages of the plain list, spread evenly over all pages (a harvester
  reads every page; page 1 is among them);
- `hsds_search`: `search=` with Czech queries as typed (the benchmark's phrases, with and
  without diacritics, some with a place name), ranked like the portal.

Target (issue 3): p95 ≤ 100 ms for both.
"""

from __future__ import annotations

import json
import random
import statistics
from urllib.parse import urlencode

from bench.common import Samples, figures_of, interleave, say

TARGET_P95_MS = 100.0
PER_PAGE = 50


def available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/hsds/services")
    except Resolver404:
        return False
    return True


def search_queries(n: int, seed: int = 11) -> list[str]:
    """`n` different Czech queries as people type them (bench/queries.py's phrases)."""
    from bench.queries import PHRASES, _variant

    rng = random.Random(seed)
    phrases = PHRASES[:]
    rng.shuffle(phrases)
    out: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n and i < 50 * n:
        text = _variant(rng, phrases[i % len(phrases)])
        i += 1
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


class ApiRunner:
    def __init__(self) -> None:
        from django.test import Client

        self.client = Client()
        self.floor_client = Client()
        self.sizes: list[int] = []
        self.totals: list[int] = []

    def get(self, path: str, params: dict) -> dict:
        url = f"{path}?{urlencode(params)}"
        response = self.client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        self.sizes.append(len(response.content))
        return json.loads(response.content)

    def services(self, page: int) -> dict:
        return self.get("/api/hsds/services", {"per_page": PER_PAGE, "page": page})

    def search(self, query: str) -> dict:
        data = self.get("/api/hsds/services", {"per_page": PER_PAGE, "search": query})
        self.totals.append(data["total_items"])
        return data

    def floor(self) -> None:
        response = self.floor_client.get("/_bench/floor/")
        if response.status_code != 200:
            raise SystemExit(f"/_bench/floor/ answered {response.status_code}")


def measure(n: int, warmup: int = 10) -> tuple[dict[str, float], dict[str, list]]:
    """Figures of the HSDS section, and the requests of each kind (for profiling)."""
    runner = ApiRunner()
    first = runner.services(1)
    total_pages = first["total_pages"]
    if len(first["contents"]) != min(PER_PAGE, first["total_items"]):
        raise SystemExit("/api/hsds/services returned a short first page")
    rng = random.Random(12)
    pages = [1 + (k * (total_pages - 1)) // max(1, n - 1) for k in range(n)]
    rng.shuffle(pages)
    queries = search_queries(n + warmup)
    warm, queries = queries[:warmup], queries[warmup:]
    say(
        f"Measuring the HSDS API: {n} pages of /api/hsds/services?per_page={PER_PAGE} "
        f"(of {total_pages:,}) and {n} searches, interleaved with the floor page …"
    )
    for k, query in enumerate(warm):
        runner.services(1 + k * total_pages // max(1, warmup))
        runner.search(query)
        runner.floor()
    runner.sizes.clear()
    runner.totals.clear()
    samples: dict[str, Samples] = interleave(
        {
            "hsds_services": lambda i: runner.services(pages[i]),
            "hsds_search": lambda i: runner.search(queries[i]),
            "floor": lambda i: runner.floor(),
        },
        n,
        label="hsds",
    )
    floor = samples["floor"]
    figures: dict[str, float] = {}
    figures.update(figures_of("hsds_services", samples["hsds_services"], floor))
    figures.update(figures_of("hsds_search", samples["hsds_search"], floor))
    figures["hsds_floor_p50_ms"] = round(floor.p(50), 2)
    figures["hsds_floor_p95_ms"] = round(floor.p(95), 2)
    figures["hsds_search_hits_mean"] = round(statistics.fmean(runner.totals), 1)
    figures["hsds_response_kb_mean"] = round(statistics.fmean(runner.sizes) / 1024, 1)
    figures["hsds_requests"] = n
    calls = {
        "hsds_services": [lambda p=p: runner.services(p) for p in pages],
        "hsds_search": [lambda q=q: runner.search(q) for q in queries],
    }
    return figures, calls


# Entry points whose cumulative time is worth knowing when the API is slow.
CUMULATIVE = [
    ("services view (api/hsds.py)", "api/hsds.py", "services"),
    ("ServiceSelection.of (filters; or Paging.of)", "api/hsds.py", "of"),
    ("rank_service_ids (search and ranking)", "directory/search.py", "rank_service_ids"),
    ("page_ids (count and ids of the page)", "api/hsds.py", "page_ids"),
    ("_load_in_order (services with prefetches)", "api/hsds.py", "_load_in_order"),
    ("service_list_dict (serialising)", "api/hsds_serializers.py", "service_list_dict"),
    ("json_response (encoding, ETag)", "api/http.py", "json_response"),
]
