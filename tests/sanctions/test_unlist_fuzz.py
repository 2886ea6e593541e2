"""Hostile input for the UN list reader: any bytes, and the small list with one value changed
to hostile text, are read or refused with a `SanctionsListError`; a list that reads imports
as a folder that labournet's own validation accepts."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from un_samples import FIXTURES

from labournet.errors import SanctionsListError
from labournet.io.unlist import read_un_list
from labournet.io.unlist_dataset import import_un_list

FUZZ = settings(
    max_examples=60,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
SMALL = (FIXTURES / "small.xml").read_text(encoding="utf-8")
VALUES = list(re.finditer(r">([^<>\n]+)<", SMALL))
"""Every element text of the small list, to replace one at a time."""
XML_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff\x00"
).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)
hostile = st.one_of(
    st.text(XML_CHARS, max_size=40),
    st.sampled_from(["", " ", ";", "KPe.901", "2017-02-30", "1;2", "  KPe.902  ", "é" * 30]),
)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_any_bytes_are_read_or_refused(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("raw") / "list.xml"
    path.write_bytes(raw)
    with contextlib.suppress(SanctionsListError):
        read_un_list(path)


@settings(FUZZ, max_examples=40)  # each example imports and validates a folder
@given(which=st.integers(min_value=0, max_value=len(VALUES) - 1), value=hostile)
def test_a_list_with_one_value_changed_reads_and_imports_or_is_refused(
    tmp_path_factory, which: int, value: str
) -> None:
    found = VALUES[which]
    text = SMALL[: found.start(1)] + escape(value) + SMALL[found.end(1) :]
    folder: Path = tmp_path_factory.mktemp("edit")
    path = folder / "list.xml"
    path.write_text(text, encoding="utf-8")
    try:
        read_un_list(path)
    except SanctionsListError:
        return
    import_un_list(path, folder / "out")  # the dataset it writes must validate
