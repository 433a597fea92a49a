"""docs/api.md, step by step: token, project, import the seed article, the US claim, export."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from rest_framework.test import APIClient

SEED = Path(__file__).resolve().parents[2] / "annotator" / "fixtures" / "seed-article.txt"
API = "/api"


def test_the_guide_works_end_to_end(mia) -> None:
    # 1. A token from the command line.
    out = StringIO()
    call_command("drf_create_token", "mia", stdout=out)
    token = out.getvalue().split()[2]
    s = APIClient()
    s.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    # 2. A project; its creator manages it.
    r = s.post(f"{API}/projects/", {"slug": "syria-2024", "name": "Syria 2024"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["role"] == "manager"

    # 3. Import the seed article, then find its API id.
    text = SEED.read_text(encoding="utf-8")
    records = [{"id": "gn-2024-12-01-assad", "title": text.split("\n")[0], "text": text}]
    r = s.post(f"{API}/projects/syria-2024/documents/", records, format="json")
    assert (r.status_code, r.json()) == (201, {"created": 1, "skipped": 0})
    r = s.get(f"{API}/projects/syria-2024/documents/", {"external_id": "gn-2024-12-01-assad"})
    doc_id = r.json()["results"][0]["id"]

    # 4. Entities.
    entities = [
        {"name": "United States", "aliases": ["The United States", "Washington", "US"]},
        {"name": "Bashar al-Assad", "aliases": ["Al Assad", "Assad"]},
    ]
    r = s.post(f"{API}/projects/syria-2024/entities/", entities, format="json")
    assert r.status_code == 201

    # 5. The US claim.
    us_claim = {
        "claim": {"start": 2504, "end": 2526},
        "speaker": {"start": 2459, "end": 2476, "entity": "United States"},
        "cue": {"start": 2489, "end": 2493},
        "stance": "oppose",
        "target": {"start": 2494, "end": 2502, "entity": "Bashar al-Assad"},
        "attributes": {"quote_type": "direct"},
    }
    r = s.post(f"{API}/documents/{doc_id}/claims/", us_claim, format="json")
    assert r.status_code == 201, r.content
    claim = r.json()
    assert claim["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert claim["version"] == 1

    # 6. Change it with its version; the old version is then stale.
    r = s.patch(
        f"{API}/claims/{claim['id']}/",
        {"version": claim["version"], "note": "checked"},
        format="json",
    )
    assert (r.status_code, r.json()["version"]) == (200, 2)
    r = s.patch(f"{API}/claims/{claim['id']}/", {"version": 1, "note": "x"}, format="json")
    assert r.status_code == 409
    assert r.json()["current"]["note"] == "checked"

    # 7. Export.
    r = s.get(f"{API}/projects/syria-2024/export.jsonl")
    assert r.status_code == 200
    [line] = b"".join(r.streaming_content).splitlines()
    document = json.loads(line)
    assert document["id"] == "gn-2024-12-01-assad"
    [annotation] = document["annotations"]
    [exported] = annotation["claims"]
    assert annotation["annotator"] == "mia"
    assert exported["claim"] == {"start": 2504, "end": 2526, "text": "lost control of Aleppo"}
    assert document["text"][2504:2526] == "lost control of Aleppo"
    assert exported["speaker"] == {
        "start": 2459,
        "end": 2476,
        "text": "The United States",
        "entity": "United States",
    }
    assert exported["target"]["entity"] == "Bashar al-Assad"
    assert exported["cue"]["text"] == "said"
    assert (exported["stance"], exported["note"]) == ("oppose", "checked")

    # Agreement is there too (nothing to compare with one annotator).
    assert s.get(f"{API}/projects/syria-2024/agreement/").json()["documents"] == 0
