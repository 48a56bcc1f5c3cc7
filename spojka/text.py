"""Normalisation of Czech text for search, used on documents and queries alike.

Czech is inflected and people type without diacritics, so "azylovém domě",
"azylove domy" and "azylový dům" must meet in one index term. Each word is
lemmatised with simplemma (which only knows spellings with diacritics), then
stripped of diacritics, then cut by a light stemmer. The stemmer is what makes
a query typed without diacritics meet a lemma: both end up at the same stem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Function words and words so general in this domain that they only add noise.
STOPWORDS = frozenset(
    """
    a aby abych aj ale an ani ano asi az by byl byla byli bylo byt co do jak jake jako jaky je
    jeho jej jeji jejich jen jenz jeste ji jiz jsem jsi jsme jsou jste k kam kde kdo kdy kdyz ke
    ktera ktere kteri kterou ktery ku ma mate me mi mit mne mnou moje muj muze my na nad nam nas
    nase nebo nejsem neni nez ni nic o od on ona oni ono pak po pod pokud pro proc proto prave
    pres pri s se si sve svuj ta tak take tam te tedy ten tento teto tim to tohle toho tom tomto
    tu ty tyto u uz v ve vam vas vase vsak z za ze zda
    potrebovat chtit hledat moci muset nemit nekdo neco nejaky prosim dobry pomoc pomoct pomoci
    """.split()
)

# Endings of the Czech light stemmer (after Dolamic & Savoy), longest first.
_CASE_ENDINGS = sorted(
    [
        "atech",
        "etem",
        "atum",
        "ech",
        "ich",
        "ami",
        "emi",
        "ete",
        "eti",
        "iho",
        "imi",
        "imu",
        "ach",
        "ata",
        "aty",
        "ym",
        "ymi",
        "ych",
        "ymu",
        "ama",
        "emu",
        "ime",
        "mi",
        "ou",
        "um",
        "em",
        "es",
        "et",
        "ho",
        "a",
        "e",
        "i",
        "o",
        "u",
        "y",
    ],
    key=len,
    reverse=True,
)
_SUFFIXES = sorted(
    ["ovan", "ovat", "ost", "ov", "sk", "in"],
    key=len,
    reverse=True,
)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold(word: str) -> str:
    """Lower case of the compatibility form: "𝕋" and "ℌ" are letters T and H in disguise."""
    return unicodedata.normalize("NFKC", word).lower()


def light_stem(word: str) -> str:
    """Cut one case ending (keeping three letters) and one derivational suffix (keeping four:
    "domov" must not meet "doma")."""
    for ending in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word: the stem of its lemma and, when different, of its surface form.

    Both are kept because simplemma only knows spellings with diacritics and now and then
    picks a lemma too far away ("neslyšící" -> "slyšící"); a query typed without
    diacritics still meets the document through the surface stem.
    """
    lowered = _fold(word)
    if lowered.isdigit():
        return (lowered,)
    surface = light_stem(strip_diacritics(lowered))
    lemma = light_stem(strip_diacritics(simplemma.lemmatize(lowered, lang="cs").lower()))
    if lemma == surface or len(lemma) < 2:
        return (surface,)
    return (lemma, surface)


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def is_stopword(word: str) -> bool:
    """A function word, or a word that says only "I need help", as typed or as its lemma."""
    lowered = _fold(word)
    if strip_diacritics(lowered) in STOPWORDS:
        return True
    return strip_diacritics(simplemma.lemmatize(lowered, lang="cs").lower()) in STOPWORDS


def query_terms(text: str) -> list[tuple[str, ...]]:
    """For each meaningful word of a query, its alternative index terms."""
    return [word_terms(w) for w in words(text) if not is_stopword(w)]


def normalize_terms(text: str) -> list[str]:
    """All index terms of `text`, in order."""
    terms: list[str] = []
    for alternatives in query_terms(text):
        terms.extend(alternatives)
    return terms


def normalize(text: str) -> str:
    """The normalised document stored with a record and indexed by the full-text engine."""
    return " ".join(normalize_terms(text))
