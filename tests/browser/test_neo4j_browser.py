"""The Neo4j Browser our Neo4j server serves connects over Bolt and runs a shipped query.

The session's server (tests/conftest.py) serves the static Neo4j Browser from its jar. In
headless Chromium the test opens ``server.browser_url``, fills the Browser's connect form (the
Bolt URL is preselected from ``?dbms=``), sets the query's parameters with ``:param``, pastes
the text of ``cypher/queries/hosts_by_workers.cypher`` into the Browser's editor, runs it, and
reads the result table from the page.

The Browser also asks for things from the internet (Google Fonts, Segment analytics, Canny's
SDK): they fail here, as everything but 127.0.0.1 does, and the Browser works without them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from chromium import Chromium, Page

import labournet
from labournet.store import Store, connect, library

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

QUERY = library()["hosts_by_workers"]
EDITOR = "[data-testid=activeEditor]"


@pytest.fixture
def loaded(neo4j_target: Any) -> Iterator[Store]:
    """The session's Neo4j holding the bundled dataset (emptied again afterwards)."""
    if neo4j_target.server is None or neo4j_target.server.browser_url is None:
        pytest.skip("LABOURNET_NEO4J_URI names a server of its own: no Browser of ours to test")
    with connect(neo4j_target.uri) as store:
        store.wipe()
        store.load(labournet.load_dataset())
        try:
            yield store
        finally:
            store.wipe()


def focus(page: Page, selector: str) -> None:
    """Focus (and select the text of) the element, as a click into it would."""
    focused = page.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " if (!e) return false; e.focus(); if (e.select) e.select();"
        " return document.activeElement === e; })()"
    )
    assert focused, f"no element {selector} to type into"


def type_text(page: Page, selector: str, text: str) -> None:
    focus(page, selector)
    page.send("Input.insertText", {"text": text})


def run_in_editor(page: Page, text: str) -> None:
    """Put ``text`` into the Browser's editor and press its Run button.

    One line is typed; several are pasted (a ClipboardEvent the Monaco editor reads), since
    typed newlines would be auto-indented by the editor.
    """
    frames = page.evaluate("document.querySelectorAll('[data-testid=frame]').length")
    focus(page, f"{EDITOR} textarea")
    if "\n" in text:
        page.evaluate(
            "(() => { const data = new DataTransfer();"
            f" data.setData('text/plain', {json.dumps(text)});"
            " document.activeElement.dispatchEvent(new ClipboardEvent('paste',"
            " {clipboardData: data, bubbles: true, cancelable: true})); })()"
        )
    else:
        page.send("Input.insertText", {"text": text})
    # the editor shows the end of what it was given (its last line, spaces as U+00A0)
    last = json.dumps(text.strip().splitlines()[-1])
    page.wait_for(
        f"document.querySelector('{EDITOR}').innerText.replace(/\\u00a0/g, ' ').includes({last})",
        timeout=10,
    )
    page.evaluate("document.querySelector('[data-testid=editor-Run]').click()")
    page.wait_for(f"document.querySelectorAll('[data-testid=frame]').length > {frames}", timeout=30)


FRAME_OF = """
(prefix => [...document.querySelectorAll('[data-testid=frame]')].find(f =>
    (f.querySelector('[data-testid=frameCommand]') || {}).innerText?.startsWith(prefix)))
"""
RESULT = f"""
(() => {{
  const frame = {FRAME_OF}({{prefix}});
  const status = frame && frame.querySelector('[data-testid=frameStatusbar]');
  if (!status || !/completed after/.test(status.innerText)) return null;
  const text = cell => cell.innerText.trim();
  return {{
    status: status.innerText,
    command: frame.querySelector('[data-testid=frameCommand]').innerText,
    header: [...frame.querySelectorAll('thead th[role=columnheader]')].map(text),
    rows: [...frame.querySelectorAll('tbody tr[role=row]')].map(row =>
        [...row.querySelectorAll('td[role=cell]')].map(text)),
    text: frame.innerText,
  }};
}})()
"""


def test_the_browser_connects_and_runs_a_shipped_query(
    loopback_chromium: Chromium, loaded: Store, neo4j_target: Any
) -> None:
    server = neo4j_target.server
    expected = loaded.query(QUERY)  # the same query through labournet's driver
    url = server.browser_url
    browser_origin = url.split("/browser/")[0]
    bolt = url.split("?dbms=", 1)[1]

    failed: list[str] = []  # the launcher's own files that did not load
    pending: dict[str, str] = {}

    page = loopback_chromium.new_page(width=1400, height=900)

    def watch(message: dict[str, Any]) -> None:
        if message.get("sessionId") != page.session:
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            pending[params["requestId"]] = params["request"]["url"]
        elif method == "Network.responseReceived":
            response = params["response"]
            if response["url"].startswith(browser_origin) and response["status"] >= 400:
                failed.append(f"{response['status']} {response['url']}")
        elif method == "Network.loadingFailed":
            where = pending.get(params["requestId"], "")
            if where.startswith(browser_origin):
                failed.append(f"{params.get('errorText')} {where}")

    loopback_chromium.on_event(watch)
    try:
        page.navigate(url, timeout=60)

        # the connect form, with the Bolt URL taken from ?dbms=
        page.wait_for("!!document.querySelector('[data-testid=password]')", timeout=60)
        scheme = page.evaluate("document.querySelector('[data-testid=bolt-scheme-select]').value")
        address = page.evaluate("document.querySelector('[data-testid=boltaddress]').value")
        assert scheme + address == bolt
        type_text(page, "[data-testid=username]", "neo4j")
        type_text(page, "[data-testid=password]", neo4j_target.password)
        page.evaluate("document.querySelector('[data-testid=connect]').click()")
        page.wait_for(
            "document.body.innerText.includes('You are connected as user neo4j')", timeout=60
        )
        assert f"to {bolt}" in page.evaluate("document.body.innerText")

        # the query's parameters, then the file's text, as an analyst would run it
        defaults = {p.name: p.default for p in QUERY.parameters}
        assert defaults == {"regime": "kp", "limit": 50}
        for name, value in defaults.items():
            run_in_editor(page, f":param {name} => {json.dumps(value)}")
            page.wait_for(
                f"({FRAME_OF})(':param {name}')?.innerText.includes('Successfully set')",
                timeout=30,
            )
        run_in_editor(page, QUERY.body)
        first = json.dumps(QUERY.body.strip().split("\n", 1)[0])
        result = page.wait_for(RESULT.replace("{prefix}", first), timeout=60)

        # the Browser ran the file's text, and shows what the data implies
        latest = "JSON.parse(localStorage.getItem('neo4j.history') || '[]')[0] || ''"
        page.wait_for(f"({latest}).startsWith({first})", timeout=10)  # stored a moment later
        assert page.evaluate(latest).strip() == QUERY.body.strip()
        assert " ".join(result["command"].split()) == " ".join(QUERY.body.split())
        assert result["header"] == list(expected.columns)
        assert len(result["rows"]) == len(expected) == 11, result["text"]
        assert f"Started streaming {len(expected)} records" in result["status"]
        hosts = [row[0] for row in result["rows"]]
        assert hosts == [json.dumps(host) for host in expected["host"]]
        assert hosts[:2] == ['"cn"', '"ru"']  # by hand: 33,000 and 27,000 workers
        china = dict(zip(result["header"], result["rows"][0], strict=True))
        assert china["name"] == '"China"'
        assert float(china["workers_best"]) == 33_000
        assert float(china["revenue_best"]) == 132_000_000
        assert re.fullmatch(r"\[.*\"a-cn-ru-split\".*\]", china["assumptions"])

        assert page.exceptions == []
        assert failed == [], "the launcher did not serve what the Browser asked for"
    finally:
        loopback_chromium.send("Target.closeTarget", {"targetId": page.target})
