"""JSON Schema of the Czech profile's additions and the OpenAPI fragments of /api/hsds/.

`PROFILE_PATCHES` are the profile's modifications of the HSDS schema files in the form
the HSDS profile mechanism asks for (JSON Merge Patch, RFC 7386, one per HSDS file name);
they are served under /api/hsds/profile/<file>.json and documented in docs/hsds-profile.md.
"""

from __future__ import annotations

from typing import Any

HSDS_SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
PROFILE_VERSION = "1.0.0"

_NULLABLE_INT = {"type": ["integer", "null"], "minimum": 0}
_DEMO = {
    "type": "boolean",
    "const": True,
    "description": "Present only on invented demo data (ukázková data): never rely on it.",
}

CZ_CAPACITY = {
    "type": "object",
    "title": "Kapacita a pořadník (Czech profile)",
    "description": (
        "Registered capacity per form of provision and the provider's latest report of free "
        "places and waiting list. `verified` is true while the report is younger than "
        "`stale_after_days`; only then do `free_places` count for `has_free_places` and for "
        "the `has_capacity` filter."
    ),
    "required": [
        "registered",
        "free_places",
        "waiting_list",
        "typical_wait_days",
        "note",
        "reported_at",
        "verified",
        "has_free_places",
        "stale_after_days",
    ],
    "properties": {
        "registered": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["form", "form_name", "capacity_type", "capacity_type_name", "count"],
                "properties": {
                    "form": {"type": "string", "description": "provision-forms term code"},
                    "form_name": {"type": "string"},
                    "capacity_type": {
                        "type": "string",
                        "description": "MPSV TypKapacitySocialniSluzby: klient, luzka, …",
                    },
                    "capacity_type_name": {"type": "string"},
                    "count": {"type": "integer", "minimum": 0},
                },
            },
        },
        "free_places": _NULLABLE_INT,
        "waiting_list": _NULLABLE_INT,
        "typical_wait_days": _NULLABLE_INT,
        "note": {"type": "string"},
        "reported_at": {"type": ["string", "null"], "format": "date-time"},
        "verified": {"type": "boolean"},
        "has_free_places": {"type": "boolean"},
        "stale_after_days": {"type": "integer", "minimum": 1},
    },
}

CZ_SERVICE_TYPE = {
    "type": "object",
    "description": "The service's kind of help, also given as an attribute (service-types).",
    "required": ["code", "name", "taxonomy_term_id"],
    "properties": {
        "code": {"type": "string", "description": "Paragraph of Act 108/2006 Sb. or slug"},
        "name": {"type": "string"},
        "taxonomy_term_id": {"type": "string", "format": "uuid"},
    },
}

CZ_REGISTRATION = {
    "type": "object",
    "description": "Registration of a social service with the MPSV registry.",
    "required": ["mpsv_identifier", "registered_from", "registered_until"],
    "properties": {
        "mpsv_identifier": {"type": ["string", "null"]},
        "registered_from": {"type": ["string", "null"], "format": "date"},
        "registered_until": {"type": ["string", "null"], "format": "date"},
    },
}

CZ_MUNICIPALITY = {
    "type": "object",
    "description": "Obec of the location by its ČSÚ code (also when the address is hidden).",
    "required": ["code", "name"],
    "properties": {"code": {"type": "integer"}, "name": {"type": "string"}},
}

CZ_AREA = {
    "type": "object",
    "description": "The unit the service area is: an obec, an ORP, an okres or a kraj.",
    "required": ["level", "code"],
    "properties": {
        "level": {"enum": ["obec", "orp", "okres", "kraj"]},
        "code": {"type": "integer", "description": "ČSÚ code of the unit"},
    },
}

PROFILE_PATCHES: dict[str, dict[str, Any]] = {
    "service.json": {
        "properties": {
            "cz_capacity": CZ_CAPACITY,
            "cz_service_type": CZ_SERVICE_TYPE,
            "cz_registration": CZ_REGISTRATION,
            "cz_demo": _DEMO,
        }
    },
    "organization.json": {"properties": {"cz_demo": _DEMO}},
    "location.json": {
        "properties": {
            "cz_municipality": CZ_MUNICIPALITY,
            "cz_address_hidden": {
                "type": "boolean",
                "description": (
                    "True for shelters and intervention centres: name is the obec, and "
                    "there are no addresses, coordinates, transportation or accessibility."
                ),
            },
        }
    },
    "service_area.json": {"properties": {"cz_area": CZ_AREA}},
    "taxonomy_term.json": {
        "properties": {
            "cz_paragraph": {"type": "string", "description": "§ of Act 108/2006 Sb."},
            "cz_registered": {
                "type": "boolean",
                "description": "A registered social service (not another kind of help).",
            },
            "cz_mpsv_code": {
                "type": "integer",
                "description": "Code of MPSV DruhSocialniSluzby (only where verified).",
            },
            "cz_service_type_codes": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Life situations: service-types codes, best answer first.",
            },
        }
    },
}

# --- OpenAPI fragments -----------------------------------------------------------------------

PAGE_SCHEMA = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer", "description": "Count of total results."},
        "total_pages": {"type": "integer", "description": "Count of total pages (at least 1)."},
        "page_number": {"type": "integer", "description": "Current page number (from 1)."},
        "size": {"type": "integer", "description": "Number of items in this page."},
        "first_page": {"type": "boolean", "description": "Is this page the first page."},
        "last_page": {"type": "boolean", "description": "Is this page the last page."},
        "empty": {"type": "boolean", "description": "Is this page empty."},
        "contents": {"type": "array", "items": {}},
    },
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "description": "invalid_parameter, not_found or unsupported_parameter",
        },
        "message": {"type": "string"},
        "parameter": {"type": "string", "description": "The query parameter at fault."},
    },
}

COMPONENT_SCHEMAS = {"Page": PAGE_SCHEMA, "Error": ERROR_SCHEMA}


def hsds_ref(name: str) -> dict[str, str]:
    """A reference to an official HSDS 3.0 schema, as the HSDS OpenAPI file makes them."""
    return {"$ref": HSDS_SCHEMA_BASE + name}


def _errors(*statuses: int) -> dict[int, Any]:
    texts = {400: "Invalid query parameter.", 404: "No such object."}
    return {
        status: {
            "description": texts[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status in statuses
    }


def error_responses(*statuses: int) -> dict[str, Any]:
    """openapi_extra of an endpoint whose only other answers are errors (e.g. 404)."""
    return {"responses": _errors(*statuses)}


def page_responses(item_schema: str, description: str) -> dict[str, Any]:
    """openapi_extra of a list endpoint: a Page of `item_schema`, or ndjson lines."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {
                    "application/json": {
                        "schema": {
                            "allOf": [{"$ref": "#/components/schemas/Page"}],
                            "properties": {
                                "contents": {"type": "array", "items": hsds_ref(item_schema)}
                            },
                        }
                    },
                    "application/x-ndjson": {"schema": hsds_ref(item_schema)},
                },
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "Last-Modified": {"schema": {"type": "string"}},
                },
            },
            304: {"description": "Not modified (If-None-Match / If-Modified-Since)."},
            **_errors(400),
        }
    }


def object_responses(item_schema: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"application/json": {"schema": hsds_ref(item_schema)}},
            },
            304: {"description": "Not modified (If-None-Match / If-Modified-Since)."},
            **_errors(400, 404),
        }
    }
