"""FalkorDB parameters: every value travels as a literal of the CYPHER prefix, intact."""

from __future__ import annotations

import pytest

from labournet.errors import StoreError
from labournet.store import Store
from labournet.store.falkordb import cypher_literal, encode_parameters

NASTY = [
    "",
    'a "quoted" word',
    "it's",
    "back\\slash at the end\\",
    '\\"',
    "line\nbreak\r\n",
    "tab\t, bell\x07, escape\x1b",
    '{"key": "value"}',
    '","x":',
    "// comment */ /* $param `tick` } ] )",
    "Zürich – 北京 – Пхеньян – 😀 – \u2028",
]


def test_literals_are_compact_cypher() -> None:
    assert cypher_literal([1, 2.5, None, True, "x"]) == '[1,2.5,null,true,"x"]'
    assert cypher_literal({"role": "a", "n": [1]}) == '{role:"a",n:[1]}'
    assert cypher_literal(['{"role":1}']) == '["{\\"role\\":1}"]'
    assert encode_parameters({}) == ""
    assert encode_parameters({"a": 1, "b": "x"}) == 'CYPHER a=1 b="x" '


def test_bad_values_and_names_are_refused() -> None:
    with pytest.raises(StoreError, match="finite"):
        cypher_literal(float("nan"))
    with pytest.raises(StoreError, match="bad parameter name"):
        encode_parameters({"a b": 1})
    with pytest.raises(StoreError, match="NUL"):
        cypher_literal("nul\x00byte with \x01")


@pytest.mark.falkordb
def test_nasty_strings_come_back_unchanged(falkordb_uri: str) -> None:
    from labournet.store import connect

    with connect(falkordb_uri) as store:
        check_round_trip(store)


def check_round_trip(store: Store) -> None:
    store.query("CREATE (:Probe {id: 0})", write=True)
    for value in NASTY:
        rows = store.runner.run("RETURN $v AS v, $m AS m", {"v": value, "m": {"k": [value]}},
                                write=False).rows  # fmt: skip
        assert rows == [[value, {"k": [value]}]], repr(value)
    numbers = [0.1, 1e-300, 1e300, -0.0, 2**53, -(2**60), 123456789.125]
    assert store.runner.run("RETURN $n AS n", {"n": numbers}, write=False).rows == [[numbers]]
    # FalkorDB answers with 15 significant digits; the store keeps figures exact (test_store)
    rounded = store.runner.run("RETURN $n AS n", {"n": 0.1 + 0.2}, write=False).rows
    assert rounded == [[0.3]]
