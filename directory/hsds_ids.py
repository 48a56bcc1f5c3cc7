"""HSDS ids of Spojka's code lists, shared by the HSDS JSON API and the HSDS data package.

The catalog code lists (service types, target groups, …) have integer primary keys; in HSDS
they are taxonomies and taxonomy terms with UUIDs. The UUIDs are derived from the codes, so
that a term has the same id in every database, every export and every API response:

    taxonomy_uuid(kind)            = uuid5(NAMESPACE, kind)
    taxonomy_term_uuid(kind, code) = uuid5(NAMESPACE, f"{kind}:{code}")

`taxonomy_term_code(kind, code)` is the term's HSDS `code`: the paragraph of Act 108/2006 Sb.
("57", "60a") or the slug ("cdz") for service types, and `kind:code` for the other kinds
("target_group:5", "age_group:5"), because HSDS requires term codes to be unique across all
taxonomies of a data set and the MPSV numbering of target and age groups overlaps.
"""

from __future__ import annotations

import uuid

from catalog.models import AgeGroup, LifeSituation, ProvisionForm, ServiceType, TargetGroup

NAMESPACE = uuid.UUID("6f1c2a52-6b0c-4f8e-9d3a-2f5b7c1e9a10")

SERVICE_TYPE = "service_type"
TARGET_GROUP = "target_group"
AGE_GROUP = "age_group"
PROVISION_FORM = "provision_form"
LIFE_SITUATION = "life_situation"
# Spojka's own terms for the Czech profile of HSDS (see directory/hsds_package.py).
CZ_PROFILE = "cz_profile"

KINDS: tuple[str, ...] = (SERVICE_TYPE, TARGET_GROUP, AGE_GROUP, PROVISION_FORM, LIFE_SITUATION)

# kind → (HSDS taxonomy name, description); the service types' name contains "108/2006".
TAXONOMIES: dict[str, tuple[str, str]] = {
    SERVICE_TYPE: (
        "Druhy pomoci: sociální služby podle zákona č. 108/2006 Sb. a další",
        "Sociální služby podle paragrafů zákona č. 108/2006 Sb., o sociálních službách "
        "(kód termínu je paragraf, např. 57 nebo 60a), a další druhy pomoci, které nejsou "
        "registrovanou sociální službou (kód je zkratka, např. cdz).",
    ),
    TARGET_GROUP: (
        "Cílové skupiny (registr poskytovatelů sociálních služeb MPSV)",
        "Cílové skupiny osob, jak je uvádí registr poskytovatelů sociálních služeb MPSV "
        "(číselník CilovaSkupinaOsoby); kód termínu je target_group:<číslo>.",
    ),
    AGE_GROUP: (
        "Věkové skupiny (registr poskytovatelů sociálních služeb MPSV)",
        "Věkové skupiny klientů, jak je uvádí registr poskytovatelů sociálních služeb MPSV "
        "(číselník VekovaSkupinaOsoby); kód termínu je age_group:<číslo>.",
    ),
    PROVISION_FORM: (
        "Formy poskytování sociálních služeb",
        "Pobytová, ambulantní a terénní forma (číselník MPSV FormaSocialniSluzby); kód "
        "termínu je provision_form:<kód>.",
    ),
    LIFE_SITUATION: (
        "Životní situace (tezaurus Spojky)",
        "Životní situace, jak je lidé popisují, a druhy pomoci, které na ně odpovídají; kód "
        "termínu je life_situation:<zkratka>.",
    ),
    CZ_PROFILE: (
        "Český profil HSDS (Spojka)",
        "Údaje, které HSDS 3.0 nemá a český adresář potřebuje: kód obce, ORP, okresu a kraje "
        "podle ČSÚ, utajená adresa, identifikátory a registrace v registru MPSV, ukázková "
        "data. Atribut nese údaj ve sloupci value.",
    ),
}


def taxonomy_uuid(kind: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, kind)


def taxonomy_term_uuid(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{code}")


def taxonomy_term_code(kind: str, code: str) -> str:
    """The HSDS `code` of a term: the paragraph for service types, `kind:code` otherwise."""
    return code if kind == SERVICE_TYPE else f"{kind}:{code}"


def catalog_models() -> dict:
    """kind → the catalog model of its code list."""
    return {
        SERVICE_TYPE: ServiceType,
        TARGET_GROUP: TargetGroup,
        AGE_GROUP: AgeGroup,
        PROVISION_FORM: ProvisionForm,
        LIFE_SITUATION: LifeSituation,
    }
