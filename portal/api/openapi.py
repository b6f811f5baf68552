"""The OpenAPI 3.1 description of the JSON API v1, written by hand.

Served at ``/api/v1/openapi.json``. The schemas are the contract: the tests
check every real answer against them (with no undeclared fields allowed).
Small helpers below only save repetition; every field is spelled out here.
"""

from __future__ import annotations

from typing import Any

from portal.api.blueprint import FACILITIES_PER_PAGE, STATISTICS_PER_PAGE
from portal.models import Category, FacilityType, Source, ZoneType
from portal.stats.complaints import LEVELS

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Schema], description: str = "") -> Schema:
    schema: Schema = {"type": "object", "required": list(properties), "properties": properties}
    if description:
        schema["description"] = description
    return schema


_COUNT = {"type": "integer", "minimum": 0}
_DATE = {"type": "string", "format": "date"}
_URI = {"type": "string", "format": "uri"}
_SHARE = _nullable(
    {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "description": "Share of zones covered, 0 to 1, 4 decimals; null when there are no zones.",
    }
)
_FIGURES = {
    "zones_total": _COUNT,
    "zones_covered": _COUNT,
    "blind_spots": {**_COUNT, "description": "zones_total - zones_covered"},
    "cameras_installed": _COUNT,
    "cameras_working": _COUNT,
    "share": _SHARE,
}
_GROUP = {
    "facilities_reporting": {
        **_COUNT,
        "description": "Facilities with an official figure on or before the date.",
    },
    **_FIGURES,
}
_OVERVIEW = {
    "as_of": {**_nullable(_DATE), "description": "The latest official reporting date."},
    "facilities": _COUNT,
    "facilities_without_figures": _COUNT,
    "facilities_stalled": _COUNT,
    "facilities_slipping": _COUNT,
    "totals": _ref("GroupFigures"),
    "by_facility_type": {"type": "array", "items": _ref("FacilityTypeFigures")},
    "by_zone_type": {"type": "array", "items": _ref("ZoneTypeFigures")},
    "trend": {"type": "array", "items": _ref("TrendPoint")},
}
_REGION_SUMMARY = {
    "slug": {"type": "string"},
    "kind": {"type": "string", "enum": ["oblast", "city"]},
    "names": _ref("Names"),
    "former_names": _nullable({"type": "string"}),
    "facilities": _COUNT,
    "totals": _ref("GroupFigures"),
    "url": _URI,
}
_FACILITY_SUMMARY = {
    "slug": {"type": "string"},
    "type": {"type": "string", "enum": [kind.value for kind in FacilityType]},
    "authority": {"type": "string", "enum": ["kuis", "police"]},
    "region": {"type": "string", "description": "The region's slug."},
    "names": _ref("Names"),
    "is_demo": {"type": "boolean"},
    "latest_official": _nullable(_ref("SnapshotTotals")),
    "url": _URI,
}
_PAGING = {
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1},
    "total": _COUNT,
    "pages": {"type": "integer", "minimum": 1},
    "next": _nullable(_URI),
    "previous": _nullable(_URI),
}
_META = {"meta": _ref("Meta")}

SCHEMAS: dict[str, Schema] = {
    "Meta": _object(
        {
            "data_version": {
                "type": "string",
                "description": "Changes whenever the coverage data (facilities, figures) does.",
            },
            "demo": {"type": "boolean", "description": "True: generated demo data, not real."},
            "licence": {"type": "string", "const": "CC-BY-4.0"},
        }
    ),
    "Names": _object(
        {
            "kk": {"type": "string"},
            "kk_latn": {"type": "string", "description": "Kazakh in the 2021 Latin alphabet."},
            "ru": {"type": "string"},
            "en": {"type": "string"},
        }
    ),
    "LanguagePages": _object({"kk": _URI, "ru": _URI, "en": _URI}, "Public pages per language."),
    "Figures": _object(_FIGURES, "Coverage figures of one snapshot, exact."),
    "GroupFigures": _object(_GROUP, "Sum of the latest official figure of each facility."),
    "FacilityTypeFigures": _object(
        {"facility_type": _FACILITY_SUMMARY["type"], **_GROUP}, "Figures of one facility type."
    ),
    "ZoneTypeFigures": _object(
        {"zone_type": {"type": "string", "enum": [z.value for z in ZoneType]}, **_GROUP}
    ),
    "TrendPoint": _object({"as_of": _DATE, **_GROUP}, "Figures on one reporting date."),
    "National": _object({**_META, **_OVERVIEW}),
    "RegionSummary": _object(_REGION_SUMMARY),
    "RegionList": _object({**_META, "regions": {"type": "array", "items": _ref("RegionSummary")}}),
    "RegionDetail": _object(
        {
            **_META,
            **_REGION_SUMMARY,
            **_OVERVIEW,
            "pages": _ref("LanguagePages"),
            "facility_list": {"type": "array", "items": _ref("FacilitySummary")},
        }
    ),
    "SnapshotTotals": _object(
        {
            "snapshot_id": {"type": "integer"},
            "as_of": _DATE,
            "source": {"type": "string", "enum": [s.value for s in Source]},
            "source_note": _nullable({"type": "string"}),
            "is_demo": {"type": "boolean"},
            **_FIGURES,
        },
        "A snapshot's figures summed over its zone types.",
    ),
    "FacilitySummary": _object(_FACILITY_SUMMARY),
    "FacilityList": _object(
        {**_META, **_PAGING, "facilities": {"type": "array", "items": _ref("FacilitySummary")}}
    ),
    "Alias": _object(
        {
            "name": {"type": "string"},
            "lang": _nullable({"type": "string"}),
            "is_former": {"type": "boolean"},
        }
    ),
    "ZoneFigures": _object(
        {
            "zone_type": {"type": "string", "enum": [z.value for z in ZoneType]},
            **_FIGURES,
            "retention_days": _nullable(_COUNT),
        }
    ),
    "Ledger": _object(
        {
            "official": _ref("SnapshotTotals"),
            "independent": _ref("SnapshotTotals"),
            "gap": {
                **_nullable({"type": "number"}),
                "description": "Official share minus verified share.",
            },
        },
        "The latest official figure beside the latest independent check.",
    ),
    "FacilityDetail": _object(
        {
            **_META,
            **_FACILITY_SUMMARY,
            "region_names": _ref("Names"),
            "aliases": {"type": "array", "items": _ref("Alias")},
            "stalled": {"type": "boolean"},
            "slipping": {"type": "boolean"},
            "latest_zones": {"type": "array", "items": _ref("ZoneFigures")},
            "history": _object(
                {
                    source.value: {"type": "array", "items": _ref("SnapshotTotals")}
                    for source in Source
                },
                "Every snapshot per source, oldest first.",
            ),
            "ledger": _nullable(_ref("Ledger")),
            "pages": _ref("LanguagePages"),
        }
    ),
    "ComplaintRow": _object(
        {
            "level": {"type": "string", "enum": list(LEVELS)},
            "region_slug": _nullable({"type": "string"}),
            "facility_slug": _nullable({"type": "string"}),
            "period": {"type": "string", "pattern": r"^(all|\d{4}|\d{4}-Q[1-4])$"},
            "category": {"type": "string", "enum": ["all", *(c.value for c in Category)]},
            "complaints_received": {
                "anyOf": [
                    {"type": "integer", "const": 0},
                    {"type": "integer", "minimum": 10},
                    {"type": "null"},
                ],
                "description": "Complaints received (not findings); null when hidden.",
            },
            "suppressed": {"type": "boolean", "description": "True: shown as <10 elsewhere."},
        }
    ),
    "ComplaintStatistics": _object(
        {
            **_META,
            "label": {"type": "string", "const": "complaints received"},
            "as_of": {
                **_DATE,
                "description": "End of the reporting period: only complaints received up to "
                "and including this day (UTC) are counted. Statistics are published as of the "
                "end of the last complete month (or quarter, as the portal is configured), so "
                "they change once a period, never with each new complaint.",
            },
            "complaint_statistics_version": {
                "type": "string",
                "description": "Changes whenever the published complaint statistics may have.",
            },
            **_PAGING,
            "rows": {"type": "array", "items": _ref("ComplaintRow")},
        }
    ),
    "Error": _object(
        {
            "error": {
                "type": "object",
                "required": ["code", "title", "message"],
                "properties": {
                    "code": {"type": "integer"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                    "parameter": {"type": "string"},
                },
            }
        }
    ),
}


def _query(name: str, description: str, schema: Schema) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _slug(what: str) -> Schema:
    return {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": f"The {what}'s slug.",
        "schema": {"type": "string"},
    }


def _page_parameters(default: int, highest: int) -> list[Schema]:
    return [
        _query("page", "Page number.", {"type": "integer", "minimum": 1, "default": 1}),
        _query(
            "per_page",
            "Items per page.",
            {"type": "integer", "minimum": 1, "maximum": highest, "default": default},
        ),
    ]


def _get(summary: str, schema: str, parameters: list[Schema], not_found: bool = False) -> Schema:
    responses: Schema = {
        "200": {
            "description": "OK",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "304": {"description": "Not modified: the copy named in If-None-Match is current."},
        "400": {"$ref": "#/components/responses/BadRequest"},
    }
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    return {
        "get": {
            "summary": summary,
            "operationId": schema[0].lower() + schema[1:],
            "parameters": parameters,
            "responses": responses,
        }
    }


def document(server: str = "/api/v1") -> Schema:
    """The OpenAPI document, with ``server`` (the API's base address) as its server."""
    error = {"application/json": {"schema": _ref("Error")}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ashyq Baqylau open API",
            "version": "1.0.0",
            "summary": "Video coverage in custody in Kazakhstan, and complaints received.",
            "description": (
                "Read-only. Coverage figures are exact; shares are numbers from 0 to 1 with 4 "
                "decimals; dates are ISO 8601. Complaint figures are complaints received, not "
                "findings; counts from 1 to 9 are never published (null, suppressed: true). "
                "Unknown query parameters are refused with 400. Data: CC BY 4.0."
            ),
            "license": {"name": "CC BY 4.0 (data)", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server}],
        "paths": {
            "/national": _get("National totals, per type, per zone type, trend", "National", []),
            "/regions": _get("Every region with its current totals", "RegionList", []),
            "/regions/{slug}": _get(
                "One region with its facilities", "RegionDetail", [_slug("region")], True
            ),
            "/facilities": _get(
                "Facilities, filtered by region and type, by slug",
                "FacilityList",
                [
                    _query("region", "A region's slug.", {"type": "string"}),
                    _query("type", "A facility type.", _FACILITY_SUMMARY["type"]),
                    *_page_parameters(*FACILITIES_PER_PAGE),
                ],
            ),
            "/facilities/{slug}": _get(
                "One facility: names, latest figures per zone, history, ledger",
                "FacilityDetail",
                [_slug("facility")],
                True,
            ),
            "/complaint-statistics": _get(
                "Complaints received by place, period and category (suppressed)",
                "ComplaintStatistics",
                [
                    _query(
                        "level",
                        "Level of geography.",
                        SCHEMAS["ComplaintRow"]["properties"]["level"],
                    ),
                    _query("region", "A region's slug.", {"type": "string"}),
                    _query("facility", "A facility's slug.", {"type": "string"}),
                    _query(
                        "period",
                        "all, a year or a quarter.",
                        SCHEMAS["ComplaintRow"]["properties"]["period"],
                    ),
                    _query(
                        "category",
                        "all or a category.",
                        SCHEMAS["ComplaintRow"]["properties"]["category"],
                    ),
                    *_page_parameters(*STATISTICS_PER_PAGE),
                ],
            ),
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                "BadRequest": {
                    "description": "A parameter is wrong; the message says which.",
                    "content": error,
                },
                "NotFound": {"description": "No such region or facility.", "content": error},
            },
        },
    }
