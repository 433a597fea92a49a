"""The annotation scheme: defaults, every refusal, and stance/attribute checks; no database."""

from __future__ import annotations

import pytest

from annotator.scheme import DEFAULT_SCHEME, MAX_LABELS, SchemeError, parse_scheme


def test_no_scheme_gives_the_defaults():
    scheme = parse_scheme(None)
    assert scheme.stance_labels == ("support", "oppose", "neutral")
    assert scheme.attributes == {"quote_type": ("direct", "indirect", "mixed")}
    assert scheme.overlap == 1
    assert scheme.blind is True
    assert parse_scheme({}) == scheme


def test_missing_keys_take_the_defaults():
    scheme = parse_scheme({"overlap": 3})
    assert scheme.overlap == 3
    assert scheme.stance_labels == ("support", "oppose", "neutral")
    assert scheme.blind is True


def test_a_full_scheme_is_kept():
    data = {
        "stance_labels": ["pro", "contra"],
        "attributes": {"certainty": ["high", "low"], "quote_type": ["direct"]},
        "overlap": 2,
        "blind": False,
        "stance_saves": True,
    }
    scheme = parse_scheme(data)
    assert scheme.as_json() == data


def test_as_json_round_trips():
    scheme = parse_scheme(DEFAULT_SCHEME)
    assert parse_scheme(scheme.as_json()) == scheme
    assert scheme.as_json() == DEFAULT_SCHEME


def test_no_attributes_is_allowed():
    assert parse_scheme({"attributes": {}}).attributes == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ("support", "must be a JSON object"),
        ({"labels": ["a"]}, "unknown scheme key"),
        ({"stance_labels": []}, "non-empty list"),
        ({"stance_labels": "support"}, "non-empty list"),
        ({"stance_labels": [f"l{i}" for i in range(MAX_LABELS + 1)]}, "at most"),
        ({"stance_labels": ["Support"]}, "lower-case"),
        ({"stance_labels": ["with space"]}, "lower-case"),
        ({"stance_labels": [""]}, "lower-case"),
        ({"stance_labels": [1]}, "lower-case"),
        ({"stance_labels": ["pro", "pro"]}, "repeat"),
        ({"attributes": ["quote_type"]}, "attributes must be an object"),
        ({"attributes": {"Quote": ["a"]}}, "attribute name"),
        ({"attributes": {"q": []}}, "non-empty list"),
        ({"attributes": {"q": "a"}}, "non-empty list"),
        ({"attributes": {"q": ["a", ""]}}, "non-empty list"),
        ({"attributes": {"q": ["a", 1]}}, "non-empty list"),
        ({"attributes": {"q": ["a", "a"]}}, "repeats a value"),
        ({"overlap": 0}, "overlap"),
        ({"overlap": 21}, "overlap"),
        ({"overlap": "2"}, "overlap"),
        ({"overlap": 2.0}, "overlap"),
        ({"overlap": True}, "overlap"),
        ({"blind": "yes"}, "blind"),
        ({"blind": 1}, "blind"),
    ],
)
def test_it_refuses_a_bad_scheme(data, message):
    with pytest.raises(SchemeError, match=message):
        parse_scheme(data)


def test_it_accepts_the_most_labels_allowed():
    labels = [f"l{i}" for i in range(MAX_LABELS)]
    assert parse_scheme({"stance_labels": labels}).stance_labels == tuple(labels)


# --- check_stance ------------------------------------------------------------------------


@pytest.mark.parametrize("stance", ["support", "oppose", "neutral"])
def test_check_stance_accepts_a_label(stance):
    assert parse_scheme(None).check_stance(stance) == stance


@pytest.mark.parametrize("stance", [None, ""])
def test_check_stance_takes_none_as_no_stance(stance):
    assert parse_scheme(None).check_stance(stance) == ""


@pytest.mark.parametrize("stance", ["against", "Support", 1, ["support"]])
def test_check_stance_refuses_an_unknown_label(stance):
    with pytest.raises(SchemeError, match=r"unknown stance.*support, oppose, neutral"):
        parse_scheme(None).check_stance(stance)


def test_check_stance_uses_the_projects_labels():
    scheme = parse_scheme({"stance_labels": ["pro", "contra"]})
    assert scheme.check_stance("pro") == "pro"
    with pytest.raises(SchemeError):
        scheme.check_stance("support")


# --- check_attributes --------------------------------------------------------------------


def test_check_attributes_keeps_known_values():
    scheme = parse_scheme(None)
    assert scheme.check_attributes({"quote_type": "direct"}) == {"quote_type": "direct"}


@pytest.mark.parametrize("attributes", [None, {}, {"quote_type": None}, {"quote_type": ""}])
def test_check_attributes_drops_empty_values(attributes):
    assert parse_scheme(None).check_attributes(attributes) == {}


def test_check_attributes_refuses_an_unknown_attribute():
    with pytest.raises(SchemeError, match="unknown attribute 'certainty'"):
        parse_scheme(None).check_attributes({"certainty": "high"})


def test_check_attributes_refuses_an_unknown_value():
    with pytest.raises(SchemeError, match="cannot be 'reported'; choose one of direct"):
        parse_scheme(None).check_attributes({"quote_type": "reported"})


@pytest.mark.parametrize("attributes", [["quote_type"], "direct", 3])
def test_check_attributes_refuses_a_non_object(attributes):
    with pytest.raises(SchemeError, match="must be an object"):
        parse_scheme(None).check_attributes(attributes)
