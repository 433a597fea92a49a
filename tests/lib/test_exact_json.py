"""exact_json.loads: orjson's reading, with integers past 64 bits kept exact."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import orjson
import pytest

from annotator.formats.exact_json import dumps, loads


@pytest.mark.parametrize(
    "number",
    [
        123456789012345678901234567890,
        18446744073709551616,  # 2**64
        -9223372036854775809,  # one below the smallest 64-bit int
        -(10**40),
    ],
)
def test_integers_past_64_bits_keep_every_digit(number) -> None:
    text = f'{{"n": {number}}}'
    for data in (text.encode(), text):
        value = loads(data)["n"]
        assert value == number and isinstance(value, int)
        assert isinstance(orjson.loads(data)["n"], float)  # what the plain reading gives


def test_other_values_are_orjsons_reading() -> None:
    data = (
        b'{"s": "12345678901234567890123", "f": 1.5e300, "i": 9223372036854775807, "u": "\\u00e9"}'
    )
    assert loads(data) == orjson.loads(data)
    assert loads(data)["s"] == "12345678901234567890123"


@pytest.mark.parametrize(
    "bad", [b'{"n": NaN, "m": 12345678901234567890123}', b"[1,]", b'{"n": Infinity}']
)
def test_what_orjson_refuses_stays_refused(bad) -> None:
    # The json module would take NaN and Infinity; orjson judges what is JSON.
    with pytest.raises(orjson.JSONDecodeError):
        loads(bad)


def test_a_long_integer_is_written_with_every_digit() -> None:
    value = {"n": 123456789012345678901234567890, "é": [1.5, None]}
    with pytest.raises(TypeError):
        orjson.dumps(value)
    assert dumps(value) == '{"n":123456789012345678901234567890,"é":[1.5,null]}'.encode()
    assert loads(dumps(value, option=orjson.OPT_INDENT_2)) == value
    assert dumps({"n": 1}) == orjson.dumps({"n": 1})
    moment = {"at": datetime(2026, 12, 2, 19, 5, 1, 250, tzinfo=UTC), "id": UUID(int=7)}
    assert loads(dumps({**moment, "n": 10**30})) == {**loads(orjson.dumps(moment)), "n": 10**30}
