"""Search of the directory: Czech normalisation, the database's full-text index, thesaurus.

A query is normalised like the documents (spojka.text), sent to FTS5 (SQLite) or a
tsvector (PostgreSQL) for text relevance, and matched against the life-situation
thesaurus and the everyday words of service types, which bring in services whose text
never says what the person typed ("hrozí mi vystěhování" → housing help, debt advice).
Candidates are then ranked by relevance, then by whether they serve the person's
obec, have verified free places, and by distance.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalog.codes import code_lists
from catalog.models import AgeGroup, LifeSituation, ProvisionForm, ServiceType, TargetGroup
from directory.models import Service, ServiceAtLocation, ServiceCoverage
from spojka.text import query_terms
from territory.models import Municipality, distance_km

# How many text and thesaurus candidates are ranked; beyond them results are irrelevant.
TEXT_CANDIDATES = 200
TYPE_CANDIDATES = 200
# Weight of a situation's service types by their rank of suitability (1 = first choice).
RANK_WEIGHT = {1: 1.0, 2: 0.8, 3: 0.65, 4: 0.5}


@dataclass(frozen=True)
class SearchFilters:
    situation: str = ""  # LifeSituation.slug
    service_type: str = ""  # ServiceType.code ("57", "60a", "cdz")
    target_group: str = ""  # TargetGroup.code
    age_group: str = ""  # AgeGroup.code
    form: str = ""  # ProvisionForm.code ("pob", "amb", "ter")
    municipality: int | None = None  # Municipality.code: where the person lives
    free_places: bool = False  # only services with verified free places now


@dataclass
class Hit:
    service: Service
    score: float
    distance_km: float | None = None  # from the chosen obec to the nearest public location
    covers_municipality: bool = False  # serves the chosen obec
    comes_to_you: bool = False  # serves the chosen obec by its area (a field service)


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    situations: list = field(default_factory=list)  # LifeSituation matched by the query


# --- the thesaurus -------------------------------------------------------------------------


@dataclass
class _Phrase:
    words: tuple[frozenset[str], ...]  # each word of the phrase as its alternative terms
    type_weights: dict[int, float]
    situation_id: int | None


class Thesaurus:
    """Phrases of life situations and service types, normalised once, matched per query."""

    def __init__(self) -> None:
        self.phrases: list[_Phrase] = []
        self.situations: dict[int, LifeSituation] = {}
        word_types: dict[str, set[int]] = {}
        types = list(ServiceType.objects.all())
        for stype in types:
            self._add(stype.name, {stype.id: 1.0}, None)
            for word in query_terms(stype.keywords):
                for term in word:
                    word_types.setdefault(term, set()).add(stype.id)
        # A single everyday word of a type points to it; the fewer types share the word,
        # the stronger ("exekuce" → one type, "pomoc" → many).
        for term, type_ids in word_types.items():
            weight = 0.9 / len(type_ids)
            if weight >= 0.2:
                self.phrases.append(
                    _Phrase((frozenset([term]),), dict.fromkeys(type_ids, weight), None)
                )
        for situation in LifeSituation.objects.prefetch_related("situationservicetype_set"):
            self.situations[situation.id] = situation
            weights = {
                link.service_type_id: RANK_WEIGHT.get(link.rank, 0.4)
                for link in situation.situationservicetype_set.all()
            }
            for phrase in [situation.name, situation.question, *situation.keyword_phrases()]:
                self._add(phrase, weights, situation.id)
        # A phrase matches only when its first word does: index phrases by those terms, so
        # that a query looks at a handful of phrases instead of all of them.
        self._by_first_term: dict[str, list[int]] = {}
        for index, phrase in enumerate(self.phrases):
            for term in phrase.words[0]:
                self._by_first_term.setdefault(term, []).append(index)

    def _add(self, text: str, weights: dict[int, float], situation_id: int | None) -> None:
        words = tuple(frozenset(alts) for alts in query_terms(text))
        if words:
            self.phrases.append(_Phrase(words, weights, situation_id))

    def match(self, terms: list[tuple[str, ...]]) -> tuple[dict[int, float], list[LifeSituation]]:
        """Service type weights (0–1) and the situations a query points to."""
        query = [frozenset(alts) for alts in terms]
        if not query:
            return {}, []
        type_scores: dict[int, float] = {}
        situation_scores: dict[int, float] = {}
        candidates = sorted(
            {i for alts in query for term in alts for i in self._by_first_term.get(term, ())}
        )
        for phrase in (self.phrases[i] for i in candidates):
            if not all(any(word & q for q in query) for word in phrase.words):
                continue
            # A phrase covering more of the query is more specific.
            strength = min(1.0, 0.6 + 0.4 * len(phrase.words) / len(query))
            for type_id, weight in phrase.type_weights.items():
                type_scores[type_id] = max(type_scores.get(type_id, 0.0), weight * strength)
            if phrase.situation_id is not None:
                situation_scores[phrase.situation_id] = max(
                    situation_scores.get(phrase.situation_id, 0.0), strength
                )
        ranked = sorted(situation_scores, key=lambda sid: -situation_scores[sid])
        return type_scores, [self.situations[sid] for sid in ranked]


_thesaurus: tuple[float, Thesaurus] | None = None


def get_thesaurus() -> Thesaurus:
    """The thesaurus, rebuilt at most once a minute (code lists change rarely)."""
    global _thesaurus
    now = time.monotonic()
    if _thesaurus is None or now - _thesaurus[0] > 60:
        _thesaurus = (now, Thesaurus())
    return _thesaurus[1]


def reset_thesaurus() -> None:
    global _thesaurus
    _thesaurus = None


# --- filtering -------------------------------------------------------------------------------


def stale_cutoff():
    """Capacity reported before this is "neověřeno". Whole minutes: the conditions of one
    search then agree, and repeated searches send the database the same statement."""
    now = timezone.now().replace(second=0, microsecond=0)
    return now - timedelta(days=settings.SPOJKA_CAPACITY_STALE_DAYS)


def _code_id(model, code: str) -> int | None:
    """Id of a code-list entry from the in-memory snapshot (None when not there)."""
    for entry in code_lists().by_id[model].values():
        if entry.code == code:
            return entry.pk
    return None


def filtered_services(territory, filters: SearchFilters) -> QuerySet[Service]:
    """The territory's public services that pass the filters.

    Codes are turned into ids from the in-memory code lists, so that the database filters
    on the service's own columns and link tables instead of joining the code lists.
    """
    qs = Service.objects.public()
    if territory is not None and territory.kind != "national":
        qs = qs.in_territory(territory)
    if filters.situation:
        qs = qs.filter(service_type__life_situations__slug=filters.situation)
    for value, model, field_name in (
        (filters.service_type, ServiceType, "service_type"),
        (filters.target_group, TargetGroup, "target_groups"),
        (filters.age_group, AgeGroup, "age_groups"),
        (filters.form, ProvisionForm, "forms"),
    ):
        if not value:
            continue
        entry_id = _code_id(model, value)
        if entry_id is None:  # unknown to the snapshot: let the database decide
            qs = qs.filter(**{f"{field_name}__code": value})
        else:
            qs = qs.filter(**{field_name: entry_id})
    if filters.free_places:
        qs = qs.filter(room_reported_at__gte=stale_cutoff())
    return qs


# --- full text -------------------------------------------------------------------------------


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


# A word found in more than this share of services says little about what is wanted;
# ranking every service that has it would cost more than it tells.
COMMON_TERM_SHARE = 0.03
_df_cache: dict[str, tuple[float, int]] = {}
_total_cache: list = [0.0, 0]


def _service_total() -> int:
    now = time.monotonic()
    if now - _total_cache[0] > 300:
        _total_cache[:] = [now, Service.objects.count()]
    return _total_cache[1]


def _pg_frequencies(cursor, terms: list[str]) -> dict[str, int]:
    """Document frequencies on PostgreSQL, from the planner's statistics where it can.

    ANALYZE keeps the most common index terms of `search_vector` with their share of rows
    (`pg_stats.most_common_elems`). A term among them gets its share of the services; a term
    not among them is rarer than the rarest that is, which is all the selectivity test
    needs, so it gets that bound. Counting a common term through the GIN index instead
    reads every row that has it (a quarter of a second at national scale). Without
    statistics (a new table) or when even the rarest listed term is common, terms are
    counted.
    """
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'directory_service' "
        "AND attname = 'search_vector'"
    )
    row = cursor.fetchone()
    total = _service_total()
    if row and row[0]:
        elems, freqs = row[0], row[1][: len(row[0])]
        shares = dict(zip(elems, freqs, strict=True))
        rarest = min(freqs)
        if rarest <= COMMON_TERM_SHARE:
            bound = math.ceil(rarest * total)
            return {t: round(shares[t] * total) if t in shares else bound for t in terms}
    found = {}
    for term in terms:
        cursor.execute(
            "SELECT count(*) FROM directory_service "
            "WHERE search_vector @@ to_tsquery('simple', %s)",
            [term],
        )
        found[term] = cursor.fetchone()[0]
    return found


def document_frequencies(terms: set[str]) -> dict[str, int]:
    """How many services contain each index term (cached for a few minutes)."""
    now = time.monotonic()
    missing = [t for t in terms if t not in _df_cache or now - _df_cache[t][0] > 300]
    if missing:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                marks = ", ".join(["%s"] * len(missing))
                cursor.execute(
                    f"SELECT term, doc FROM directory_service_fts_vocab WHERE term IN ({marks})",
                    missing,
                )
                found = dict(cursor.fetchall())
            else:
                found = _pg_frequencies(cursor, missing)
        for term in missing:
            _df_cache[term] = (now, int(found.get(term, 0)))
    return {t: _df_cache[t][1] for t in terms}


def split_by_selectivity(
    terms: list[tuple[str, ...]],
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """(selective words, common words) of a query, by the share of services containing them."""
    if not terms:
        return [], []
    df = document_frequencies({t for alts in terms for t in alts})
    limit = max(50, COMMON_TERM_SHARE * _service_total())
    selective, common = [], []
    for alts in terms:
        (selective if sum(df[t] for t in alts) <= limit else common).append(alts)
    return selective, common


# How many more matches the index is asked for when filters are checked afterwards.
POST_FILTER_FACTOR = 5
# Below this many matches of all selective words together, any of them will do.
MIN_AND_MATCHES = 20


def text_scores(
    base: QuerySet[Service],
    terms: list[tuple[str, ...]],
    *,
    restricted: bool = True,
    filtered: bool = False,
) -> dict:
    """Service id → text relevance in 0–1 for the best TEXT_CANDIDATES matches.

    Only the query's selective words go to the index: all of them together first, any of
    them when too few services have them all. A query of only common words takes the
    first matches unranked; the caller ranks them by how many query words they contain.
    `restricted` says whether `base` is a small part of the directory (a territory): then
    the index is asked within it. Otherwise the index is asked alone, and when `filtered`
    (free places, a kind of help… over the whole country) its matches are checked against
    `base` afterwards: a subquery of tens of thousands of ids would cost more.
    """
    if not terms:
        return {}
    selective, _common = split_by_selectivity(terms)
    if not selective:
        return dict.fromkeys(
            _matches(base, terms, any_word=True, ranked=False, restricted=restricted), 0.0
        )
    rows = _matches(base, selective, any_word=False, ranked=True, restricted=restricted)
    if len(rows) < MIN_AND_MATCHES and len(selective) > 1:
        rows = _matches(base, selective, any_word=True, ranked=True, restricted=restricted)
    if not rows:
        return {}
    top = max(rows.values()) or 1.0
    return {sid: max(score, 0.0) / top for sid, score in rows.items()}


def _matches(
    base: QuerySet[Service],
    words: list[tuple[str, ...]],
    *,
    any_word: bool,
    ranked: bool,
    restricted: bool,
    filtered: bool = False,
) -> dict:
    """Service id → raw text score of up to TEXT_CANDIDATES services matching `words`."""
    # Asked alone, the index returns more so that enough survive the filters afterwards.
    limit = TEXT_CANDIDATES * (POST_FILTER_FACTOR if filtered and not restricted else 1)
    joiner = " OR " if any_word else " AND "
    if connection.vendor == "sqlite":
        match = joiner.join("(" + " OR ".join(_fts_quote(t) for t in alts) + ")" for alts in words)
        score = "-bm25(directory_service_fts, 4.0, 1.0)" if ranked else "1.0"
        order = "ORDER BY score DESC " if ranked else ""
        if restricted:
            subquery, params = base.order_by().values("id").query.sql_with_params()
            sql = (
                f"SELECT s.id, {score} AS score FROM directory_service_fts "
                "JOIN directory_service s ON s.rowid = directory_service_fts.rowid "
                f"WHERE directory_service_fts MATCH %s AND s.id IN ({subquery}) {order}LIMIT %s"
            )
            args = [match, *params, TEXT_CANDIDATES]
        else:
            # The index alone first (a few milliseconds), then the rows it found.
            sql = (
                "SELECT s.id, m.score FROM ("
                f"SELECT rowid, {score} AS score FROM directory_service_fts "
                f"WHERE directory_service_fts MATCH %s {order}LIMIT %s) m "
                "JOIN directory_service s ON s.rowid = m.rowid WHERE s.status = %s"
            )
            args = [match, limit, Service.Status.ACTIVE]
    else:
        pg_joiner = " | " if any_word else " & "
        tsquery = pg_joiner.join("(" + " | ".join(alts) + ")" for alts in words)
        score = "ts_rank(s.search_vector, q, 1)" if ranked else "1.0"
        order = "ORDER BY score DESC " if ranked else ""
        if restricted:
            subquery, params = base.order_by().values("id").query.sql_with_params()
            where, where_params = f"s.id IN ({subquery})", list(params)
        else:
            where, where_params = "s.status = %s", [Service.Status.ACTIVE]
        sql = (
            f"SELECT s.id, {score} AS score FROM directory_service s, "
            f"to_tsquery('simple', %s) q WHERE s.search_vector @@ q AND {where} {order}LIMIT %s"
        )
        args = [tsquery, *where_params, TEXT_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = {_as_uuid(sid): float(score) for sid, score in cursor.fetchall()}
    if filtered and not restricted and rows:
        keep = set(base.filter(id__in=list(rows)).values_list("id", flat=True))
        rows = {sid: score for sid, score in rows.items() if sid in keep}
        rows = dict(list(rows.items())[:TEXT_CANDIDATES])
    return rows


def _as_uuid(value) -> uuid.UUID:
    """A service id as raw SQL returns it (hex text on SQLite, a UUID on PostgreSQL)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# --- ranking ---------------------------------------------------------------------------------


def _safe_term(term: str) -> str:
    return "".join(ch for ch in term if ch.isalnum())


def search_services(
    *,
    territory,
    query: str = "",
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    """Rank the territory's services for a query and filters; one page of hits."""
    filters = filters or SearchFilters()
    base = filtered_services(territory, filters)
    terms = query_to_terms(query)
    thesaurus = get_thesaurus()
    type_weights, situations = thesaurus.match(terms)
    if filters.situation:
        chosen = next(
            (s for s in thesaurus.situations.values() if s.slug == filters.situation), None
        )
        if chosen is not None and chosen not in situations:
            situations.insert(0, chosen)
    municipality = None
    if filters.municipality:
        municipality = Municipality.objects.filter(code=filters.municipality).first()

    if not terms:
        return _browse(
            base, municipality, page, page_size, situations, all_have_room=filters.free_places
        )

    restricted = territory is not None and territory.kind != "national"
    filtered = filters != SearchFilters(municipality=filters.municipality)
    ranking = rank_services(
        base,
        terms,
        type_weights,
        municipality=municipality,
        restricted=restricted,
        filtered=filtered,
    )
    total = len(ranking.order)
    num_pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), num_pages)
    page_ids = ranking.order[(page - 1) * page_size : page * page_size]
    services = Service.objects.filter(id__in=page_ids).for_cards().in_bulk()
    covered, by_area, distances = ranking.covered, ranking.by_area, ranking.distances
    scores = ranking.scores
    hits = [
        Hit(
            service=services[sid],
            score=round(scores[sid], 4),
            distance_km=distances.get(sid),
            covers_municipality=sid in covered,
            comes_to_you=sid in by_area,
        )
        for sid in page_ids
    ]
    return SearchPage(hits=hits, total=total, page=page, num_pages=num_pages, situations=situations)


@dataclass
class Ranking:
    """Services in their order of relevance, with what was learnt about places on the way."""

    order: list
    scores: dict
    covered: set
    by_area: set
    distances: dict


def rank_services(
    base: QuerySet[Service],
    terms: list[tuple[str, ...]],
    type_weights: dict[int, float],
    *,
    municipality: Municipality | None = None,
    restricted: bool = True,
    filtered: bool = False,
) -> Ranking:
    """Rank the services of `base` for a query's terms (the portal's and the API's order).

    Candidates are the full-text matches and services of the types the thesaurus points
    to (those serving the obec first). The score weighs text relevance and type, then
    verified free places, the obec's coverage and the distance; ties go by id, so paging
    never shows a service twice.
    """
    texts = text_scores(base, terms, restricted=restricted, filtered=filtered)
    candidates: dict = {}
    top_types = sorted(type_weights, key=lambda t: -type_weights[t])[:8]
    if top_types:
        # No ORDER BY: sorting thousands of rows only to rank them again in Python is waste.
        by_type = base.filter(service_type_id__in=top_types).order_by()
        if municipality is not None:
            covering = by_type.covering(municipality.code).values_list("id", flat=True)
            candidates.update(dict.fromkeys(covering[:TYPE_CANDIDATES]))
        rest = by_type.values_list("id", flat=True)[: max(0, TYPE_CANDIDATES - len(candidates))]
        candidates.update(dict.fromkeys(rest))
    candidates.update(dict.fromkeys(texts))
    if not candidates:
        return Ranking([], {}, set(), set(), {})
    cutoff = stale_cutoff()
    ids = list(candidates)
    rows = Service.objects.filter(id__in=ids).values_list(
        "id", "service_type_id", "room_reported_at", "search_title", "search_document"
    )
    covered, by_area, distances = _place_facts(ids, municipality)
    padded = [tuple(f" {term} " for term in alternatives) for alternatives in terms]
    scored = []
    for sid, type_id, room_at, title, document in rows:
        # bm25 favours one rare word; how many of the query's words a service has counts too.
        text = 0.5 * texts.get(sid, 0.0) + 0.5 * _word_share(padded, title, document)
        relevance = 0.5 * text + 0.5 * type_weights.get(type_id, 0.0)
        has_room = room_at is not None and room_at >= cutoff
        score = relevance + 0.08 * has_room
        if municipality is not None:
            score += 0.12 * (sid in covered)
            if sid in distances:
                score -= 0.08 * min(distances[sid] / 40.0, 1.0)
        scored.append((score, sid))
    scored.sort(key=lambda item: (-item[0], str(item[1])))
    return Ranking(
        order=[sid for _, sid in scored],
        scores={sid: score for score, sid in scored},
        covered=covered,
        by_area=by_area,
        distances=distances,
    )


def query_to_terms(query: str) -> list[tuple[str, ...]]:
    """The query's words as alternative index terms, safe to put into a MATCH expression."""
    terms = [tuple(t for t in (_safe_term(a) for a in alts) if t) for alts in query_terms(query)]
    return [alts for alts in terms if alts]


def rank_service_ids(
    base: QuerySet[Service], query: str, municipality=None, *, restricted: bool = True
) -> list | None:
    """All ids of `base` in the portal's order for `query`; None for a query with no words."""
    terms = query_to_terms(query)
    if not terms:
        return None
    type_weights, _situations = get_thesaurus().match(terms)
    return rank_services(
        base, terms, type_weights, municipality=municipality, restricted=restricted
    ).order


def _word_share(terms: list[tuple[str, ...]], title: str, document: str) -> float:
    """Share of the query's words found in the document; in the title they count a bit more.

    `terms` are padded with spaces (see rank_services) and so is the text here: a
    substring test finds whole words without splitting a thousand-word document into a set.
    """
    title, document = f" {title} ", f" {document} "
    found = 0.0
    for alternatives in terms:
        if any(term in title for term in alternatives):
            found += 1.0
        elif any(term in document for term in alternatives):
            found += 0.8
    return found / len(terms)


def _place_facts(ids: list, municipality: Municipality | None) -> tuple[set, set, dict]:
    """Which services cover the obec (at all, by area only) and their nearest public distance."""
    if municipality is None or not ids:
        return set(), set(), {}
    covered: set = set()
    by_area: set = set()
    for sid, area in ServiceCoverage.objects.filter(
        municipality=municipality, service_id__in=ids
    ).values_list("service_id", "by_area"):
        covered.add(sid)
        if area:
            by_area.add(sid)
    distances: dict = {}
    for sid, lat, lon, hidden, m_lat, m_lon in ServiceAtLocation.objects.filter(
        service_id__in=ids
    ).values_list(
        "service_id",
        "location__latitude",
        "location__longitude",
        "location__address_hidden",
        "location__municipality__latitude",
        "location__municipality__longitude",
    ):
        # A hidden address still has a distance, but only to its obec, not the house.
        if hidden or lat is None:
            lat, lon = m_lat, m_lon
        d = distance_km(municipality.latitude, municipality.longitude, lat, lon)
        distances[sid] = min(d, distances.get(sid, d))
    return covered, by_area, distances


def _browse(
    base, municipality, page, page_size, situations, *, all_have_room: bool = False
) -> SearchPage:
    """No query words: services serving the obec first, then those with verified free
    places, then by name.

    Done as consecutive segments, each ordered by name on an index and counted, so that a
    page is read from the one or two segments it falls into instead of sorting the whole
    directory (a national territory has 100,000 services).
    """
    cutoff = stale_cutoff()
    room = Q(room_reported_at__gte=cutoff)
    if all_have_room:
        # "Free places now" is a filter already: no segments without room to count.
        room = Q()
    if municipality is not None:
        covering = Q(
            id__in=ServiceCoverage.objects.filter(municipality=municipality).values("service_id")
        )
        parts = [covering & room, covering & ~room, ~covering & room, ~covering & ~room]
    else:
        parts = [room, ~room]
    segments = [base.filter(part).order_by("name", "id") for part in parts]

    # Count in two passes, each counting with and without room at once: all services, and
    # those serving the obec. The other segments follow by subtraction, instead of counting
    # "does not serve the obec" over the whole directory.
    def with_and_without_room(qs: QuerySet[Service]) -> tuple[int, int]:
        if all_have_room:
            n = qs.count()
            return n, n
        # COUNT(*) and the reported-at column: the (status, type, reported-at) indexes
        # hold both, so one pass over an index answers.
        both = qs.aggregate(total=Count("*"), with_room=Count("room_reported_at", filter=room))
        return both["total"], both["with_room"]

    total, with_room = with_and_without_room(base)
    if municipality is not None:
        near, covering_room = with_and_without_room(base.filter(covering))
        covering_other = near - covering_room
        counts = [
            covering_room,
            covering_other,
            with_room - covering_room,
            total - with_room - covering_other,
        ]
    else:
        counts = [with_room, total - with_room]
    num_pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), num_pages)
    start, stop = (page - 1) * page_size, page * page_size
    ids: list = []
    offset = 0
    for segment, count in zip(segments, counts, strict=True):
        lo, hi = max(start - offset, 0), min(stop - offset, count)
        if lo < hi:
            # The page's ids first, from the name index alone; asked for whole cards, the
            # planner joins first and sorts every service with room by name.
            ids.extend(segment.values_list("id", flat=True)[lo:hi])
        offset += count
    cards = Service.objects.filter(id__in=ids).for_cards().in_bulk()
    services = [cards[sid] for sid in ids]
    covered, by_area, distances = _place_facts(ids, municipality)
    hits = [
        Hit(
            service=s,
            score=0.0,
            distance_km=distances.get(s.id),
            covers_municipality=s.id in covered,
            comes_to_you=s.id in by_area,
        )
        for s in services
    ]
    return SearchPage(hits=hits, total=total, page=page, num_pages=num_pages, situations=situations)
