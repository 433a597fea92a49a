"""The annotate page's fragment action (`f`): another piece of the role set last, saved and
drawn as its pieces only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotator.models import Assignment, Claim, Document

HX = {"HX-Request": "true"}
# A quote split by "she said", after an emoji (UTF-16 offsets differ from code points).
TEXT = '😀 "We will win," she said, "and soon." Nothing else.'


def u16(i: int) -> int:
    return len(TEXT[:i].encode("utf-16-le")) // 2


def selection(needle: str) -> dict:
    start = TEXT.index(needle)
    return {"sel_start": u16(start), "sel_end": u16(start + len(needle))}


def value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no input {name!r}"
    return match.group(1)


def form_fields(html: str) -> dict:
    """The hidden fields of the returned form, as the browser would post them back."""
    names = re.findall(r'<input type="hidden" name="([^"]+)"', html)
    return {name: value(html, name) for name in names if name != "csrfmiddlewaretoken"}


@pytest.fixture
def quote(project, alice) -> Document:
    document = Document.objects.create(project=project, external_id="quote", text=TEXT)
    Assignment.objects.create(document=document, annotator=alice)
    return document


def post(client, name: str, document: Document, data: dict) -> str:
    response = client.post(reverse(name, args=[document.pk]), data, headers=HX)
    assert response.status_code == 200
    return response.content.decode()


def test_f_adds_a_fragment_to_the_role_set_last_and_save_keeps_it(client, alice, quote):
    client.force_login(alice)
    html = post(client, "claim-draft", quote, {"set_role": "claim", **selection("We will win,")})
    assert value(html, "last_role") == "claim"
    fields = form_fields(html)
    html = post(
        client, "claim-draft", quote, {**fields, "add_fragment": "1", **selection("and soon.")}
    )
    assert "“We will win, … and soon.”" in html
    first, second = TEXT.index("We will win,"), TEXT.index("and soon.")
    assert value(html, "claim_fragments") == f"{first}-{first + 12},{second}-{second + 9}"
    html = post(client, "claim-save", quote, form_fields(html))
    claim = Claim.objects.get()
    assert [f.text_in(TEXT) for f in claim.fragments_of("claim")] == ["We will win,", "and soon."]
    assert claim.span_text("claim") == 'We will win," she said, "and soon.'
    # The article draws the two pieces only: "she said" is not part of the highlight.
    lit = re.findall(rf'class="h-claim[^"]*"[^>]*data-owners="c{claim.pk}">([^<]*)<', html)
    assert "".join(lit) == "We will win,and soon."


def test_setting_a_role_again_drops_its_fragments(client, alice, quote):
    client.force_login(alice)
    html = post(client, "claim-draft", quote, {"set_role": "claim", **selection("We will win,")})
    html = post(
        client,
        "claim-draft",
        quote,
        {**form_fields(html), "add_fragment": "1", **selection("and soon.")},
    )
    html = post(
        client, "claim-draft", quote, {**form_fields(html), "set_role": "claim", **selection("win")}
    )
    assert value(html, "claim_fragments") == ""


def test_a_tampered_fragment_field_is_refused_not_dropped(client, alice, quote):
    client.force_login(alice)
    html = post(client, "claim-draft", quote, {"set_role": "claim", **selection("We will win,")})
    fields = {**form_fields(html), "claim_fragments": "5-9,7-30"}
    html = post(client, "claim-save", quote, fields)
    assert "overlaps" in html
    assert not Claim.objects.exists()
