"""Drive a headless Chromium over the DevTools protocol, to check and picture HTML views.

Uses Chromium's ``--remote-debugging-pipe`` (messages on file descriptors 3 and 4), so it needs
nothing beyond the standard library and a Chromium binary: no driver, no port, no browser
download. Used by the browser tests, ``scripts/screenshot.py`` and ``benchmarks/bench_html.py``.

Example (needs Chromium)::

    with Chromium() as browser:
        page = browser.new_page(width=1400, height=900)
        page.navigate(Path("view.html").resolve().as_uri())
        page.wait_for("window.labournet && window.labournet.state.ready")
        page.screenshot("view.png")
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from labournet.errors import ExportError

__all__ = ["Chromium", "Page", "find_chromium", "CHROMIUM_FLAGS"]

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    # no host name resolves: a page that tried the network would fail, not fetch
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
LOOPBACK_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
"""The rule with ``loopback=True``: only 127.0.0.1 is reached (the rule maps IP literals too)."""


def find_chromium() -> str | None:
    """The Chromium binary: ``$LABOURNET_CHROMIUM``, else chromium/chrome on the PATH."""
    configured = os.environ.get("LABOURNET_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """A headless Chromium process, closed when the ``with`` block ends."""

    def __init__(
        self, executable: str | None = None, *, timeout: float = 30.0, loopback: bool = False
    ) -> None:
        """`loopback` lets pages reach servers on 127.0.0.1 (and still no other host)."""
        found = executable or find_chromium()
        if not found:
            raise ExportError("no Chromium found (install chromium or set LABOURNET_CHROMIUM)")
        self.executable: str = found
        self.timeout = timeout
        self.flags = tuple(
            LOOPBACK_RULES if loopback and flag.startswith("--host-resolver-rules=") else flag
            for flag in CHROMIUM_FLAGS
        )
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: str | None = None
        self._next_id = 0
        self._buffer = b""
        self._responses: dict[int, dict[str, Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._listeners: list[Callable[[dict[str, Any]], None]] = []

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the browser with a fresh profile."""
        self._profile = tempfile.mkdtemp(prefix="labournet-chromium-")
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()

        def wire() -> None:  # in the child: the protocol wants fds 3 (in) and 4 (out)
            inbound, outbound = os.dup(to_child_read), os.dup(from_child_write)
            os.dup2(inbound, 3)
            os.dup2(outbound, 4)

        command = [
            self.executable,
            *self.flags,
            f"--user-data-dir={self._profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        try:
            self._process = subprocess.Popen(  # noqa: S603 - a fixed argument list
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=wire,  # noqa: PLW1509 - only dup2 runs in the child
                close_fds=False,
            )
        except OSError as error:
            raise ExportError(f"cannot start {self.executable}: {error}") from error
        finally:
            os.close(to_child_read)
            os.close(from_child_write)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._from_child, selectors.EVENT_READ)
        self.send("Target.setDiscoverTargets", {"discover": False})

    def close(self) -> None:
        """Close the browser and remove its profile."""
        process = self._process
        if process is not None:
            with contextlib.suppress(OSError):
                self._write({"id": self._new_id(), "method": "Browser.close", "params": {}})
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            self._process = None
            self._selector.close()
            for fd in (self._to_child, self._from_child):
                with contextlib.suppress(OSError):
                    os.close(fd)
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def on_event(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Call ``listener`` with every protocol event (``method``, ``params``, ``sessionId``)."""
        self._listeners.append(listener)

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        """Send a protocol command and return its result; a protocol error raises ExportError."""
        message: dict[str, Any] = {"id": self._new_id(), "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._write(message)
        deadline = time.monotonic() + self.timeout
        while message["id"] not in self._responses:
            self.pump(deadline - time.monotonic())
            if time.monotonic() > deadline:
                raise ExportError(f"Chromium did not answer {method} in {self.timeout:.0f} s")
        response = self._responses.pop(message["id"])
        if "error" in response:
            raise ExportError(f"{method} failed: {response['error'].get('message')}")
        return response.get("result", {})

    def new_page(self, *, width: int = 1400, height: int = 900, scale: float = 1.0) -> Page:
        """A new tab with a fixed viewport, attached and listening for its events."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
            session=session,
        )
        return page

    def pump(self, timeout: float) -> None:
        """Read whatever the browser sent within ``timeout`` seconds and dispatch it."""
        if self._process is None:
            raise ExportError("Chromium is not running")
        for _ in self._selector.select(max(0.0, timeout)):
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise ExportError("Chromium closed the DevTools pipe (it may have crashed)")
            self._buffer += chunk
        while b"\0" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\0", 1)
            message = json.loads(raw)
            if "id" in message:
                self._responses[message["id"]] = message
            else:
                self._events.append(message)
                for listener in self._listeners:
                    listener(message)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _write(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            written = os.write(self._to_child, data)
            data = data[written:]


class Page:
    """One tab: navigate, evaluate JavaScript, take screenshots, see what it requested."""

    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session
        self.requests: list[str] = []
        """Every URL the page asked for (Network.requestWillBeSent), in order."""
        self.log: list[dict[str, Any]] = []
        """Browser log entries (Log.entryAdded), e.g. blocked requests or CSP violations."""
        self.exceptions: list[str] = []
        """Uncaught JavaScript exceptions (Runtime.exceptionThrown)."""
        self.console: list[str] = []
        self._loaded = False
        browser.on_event(self._event)

    def _event(self, message: dict[str, Any]) -> None:
        if message.get("sessionId") != self.session:
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Log.entryAdded":
            self.log.append(params["entry"])
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.exceptions.append(
                details.get("exception", {}).get("description") or details.get("text", "")
            )
        elif method == "Runtime.consoleAPICalled":
            self.console.append(
                " ".join(
                    str(arg.get("value", arg.get("description", ""))) for arg in params["args"]
                )
            )
        elif method == "Page.loadEventFired":
            self._loaded = True

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A protocol command in this tab's session."""
        return self.browser.send(method, params, session=self.session)

    def navigate(self, url: str, *, timeout: float = 30.0) -> None:
        """Open ``url`` and wait for its load event."""
        self._loaded = False
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise ExportError(f"cannot open {url}: {result['errorText']}")
        deadline = time.monotonic() + timeout
        while not self._loaded:
            if time.monotonic() > deadline:
                raise ExportError(f"{url} did not finish loading in {timeout:.0f} s")
            self.browser.pump(0.05)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (promises are awaited)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise ExportError(f"JavaScript error: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float = 30.0, interval: float = 0.05) -> Any:
        """Poll until ``expression`` is truthy and return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise ExportError(f"timed out after {timeout:.0f} s waiting for {expression}")
            self.browser.pump(interval)

    def settle(self, seconds: float) -> None:
        """Let the page run for a while, still collecting its events."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.browser.pump(deadline - time.monotonic())

    def mouse_move(self, x: float, y: float) -> None:
        """Move the mouse to viewport coordinates (fires hover handlers)."""
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def click(self, x: float, y: float) -> None:
        """Press and release the left mouse button at viewport coordinates."""
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def screenshot(self, path: str | Path | None = None) -> bytes:
        """A PNG of the viewport; written to ``path`` when given."""
        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        if path is not None:
            Path(path).write_bytes(png)
        return png
