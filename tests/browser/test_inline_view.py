"""`labournet.show` in headless Chromium: the iframe a notebook shows draws the view, offline,
inside its sandbox."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from chromium import Page
from PIL import Image

import labournet

pytestmark = pytest.mark.browser


def _inked(page: Page) -> tuple[float, int]:
    """The share of the iframe's network area (right of the legend, below the title) that is
    not white, and how many colours it holds: an empty view is white there."""
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    box = page.evaluate(
        "(() => { const r = document.querySelector('iframe').getBoundingClientRect();"
        " return [r.left + 300, r.top + 100, r.right, r.bottom]; })()"
    )
    pixels = np.asarray(image.crop(tuple(int(v) for v in box))).reshape(-1, 3)
    return float((pixels != 255).any(axis=1).mean()), len(np.unique(pixels, axis=0))


def test_the_notebook_iframe_draws_the_view(tmp_path: Path, open_view: Callable[..., Page]) -> None:
    result = labournet.pressure_points(labournet.load_dataset())
    cell = labournet.show(result, height=700)._repr_html_()
    host = tmp_path / "notebook.html"
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{cell}</body></html>'
    host.write_text(page, encoding="utf-8")
    page = open_view(host, ready=False)
    deadline = time.monotonic() + 30
    inked, colours = _inked(page)
    while (inked < 0.03 or colours < 50) and time.monotonic() < deadline:
        page.settle(0.5)
        inked, colours = _inked(page)
    assert inked > 0.03 and colours > 50, f"only {inked:.1%} of the iframe is drawn"
    assert page.exceptions == []
    assert [entry for entry in page.log if entry.get("source") == "security"] == []
    for url in page.requests:
        assert url.startswith(("file:", "data:", "about:")), url
