"""Request examples for the OpenAPI docs (offsets are those of the seed article)."""

from drf_spectacular.utils import OpenApiExample

US_CLAIM = OpenApiExample(
    "The US claim of DESIGN.md",
    request_only=True,
    value={
        "claim": {"start": 2504, "end": 2526},
        "speaker": {"start": 2459, "end": 2476, "entity": "United States"},
        "cue": {"start": 2489, "end": 2493},
        "stance": "oppose",
        "target": {"start": 2494, "end": 2502, "text": "Al Assad"},
        "attributes": {"quote_type": "direct"},
        "note": "",
    },
)
CLAIM_CHANGE = OpenApiExample(
    "Change the stance",
    request_only=True,
    value={"version": 1, "stance": "neutral", "note": "hedged"},
)
DOCUMENTS = OpenApiExample(
    "Two documents",
    request_only=True,
    value=[
        {"id": "gn-2024-12-01-assad", "title": "Assad", "text": "The United States said..."},
        {"id": "gn-2024-12-02", "text": "Another article.", "published": "2024-12-02"},
    ],
)
ENTITIES = OpenApiExample(
    "Two entities",
    request_only=True,
    value=[
        {"name": "United States", "aliases": ["The United States", "Washington", "US"]},
        {"name": "Bashar al-Assad", "aliases": ["Al Assad", "Assad"]},
    ],
)
PROJECT = OpenApiExample(
    "A project with two stance labels",
    request_only=True,
    value={
        "slug": "elections-2025",
        "name": "Elections 2025",
        "scheme": {"stance_labels": ["support", "oppose"], "overlap": 2},
    },
)
