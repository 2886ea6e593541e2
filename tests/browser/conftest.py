"""Headless Chromium for the browser tests.

The tests skip when no Chromium is installed, except under CI (``CI=true``), where a missing
browser is a failure: CI installs Debian's ``chromium`` and must run them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from chromium import Chromium, Page, find_chromium

READY = "window.labournet && window.labournet.state.ready"


def _load_samples() -> ModuleType:
    """tests/export/export_samples.py, shared with the export tests."""
    name = "labournet_export_samples"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "export" / "export_samples.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


samples = _load_samples()


def chromium_executable() -> str:
    """Chromium's path; skips without one, except under CI, where that is a failure."""
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but no Chromium found: install Debian's chromium package")
        pytest.skip("no Chromium (install chromium or set LABOURNET_CHROMIUM)")
    return executable


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    """One browser for the session, with a fresh profile."""
    with Chromium(chromium_executable(), timeout=60) as browser:
        yield browser


@pytest.fixture(scope="module")
def loopback_chromium() -> Iterator[Chromium]:
    """A browser whose pages reach servers on 127.0.0.1 (and still no other host)."""
    with Chromium(chromium_executable(), timeout=60, loopback=True) as browser:
        yield browser


@pytest.fixture
def open_view(chromium: Chromium) -> Iterator[Callable[..., Page]]:
    """Open an HTML file in a new tab and wait until the view has drawn itself."""
    opened: list[Page] = []

    def open_(path: Path, *, width: int = 1280, height: int = 800, ready: bool = True) -> Page:
        page = chromium.new_page(width=width, height=height)
        opened.append(page)
        page.navigate(path.resolve().as_uri(), timeout=60)
        if ready:
            page.wait_for(READY, timeout=60)
        return page

    yield open_
    for page in opened:
        chromium.send("Target.closeTarget", {"targetId": page.target})
