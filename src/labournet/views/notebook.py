"""The HTML view inline in a notebook: `show` puts the offline page in an ``<iframe>``.

The page is the one `labournet.export_html` writes (every script and style inline, every data
string escaped, a Content-Security-Policy that lets nothing else load). `InlineView` embeds it
whole as the ``srcdoc`` of an iframe, escaped once more as an attribute value
(``html.escape(quote=True)``), so nothing of it is markup of the notebook; the iframe is
sandboxed to run scripts only, with an origin of its own, so the view cannot reach the
notebook's page or its kernel. The notebook page must be UTF-8, as Jupyter's are.

Example:
    >>> import labournet
    >>> view = labournet.show(labournet.load_dataset(), view="top", top_k=3)
    >>> view._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from labournet.analysis.pressure import PressureResult
from labournet.errors import ExportError
from labournet.io.networkx import Network
from labournet.views.html import build_html, scores_from_pressure

__all__ = ["show", "InlineView", "DEFAULT_HEIGHT"]

DEFAULT_HEIGHT = 600
"""The iframe's height in pixels; its width is the notebook's."""


class InlineView:
    """One offline HTML view (``page``) that a notebook shows inline (``_repr_html_``)."""

    def __init__(self, page: str, *, height: int = DEFAULT_HEIGHT) -> None:
        if not isinstance(height, int) or height < 1:
            raise ExportError(f"height must be a whole number of pixels >= 1, not {height!r}")
        self.page = page
        self.height = height

    def __repr__(self) -> str:
        return f"<InlineView: an HTML page of {len(self.page):,} characters; .save(path)>"

    def _repr_html_(self) -> str:
        # characters other than ASCII stay as they are: the page's policy allows its scripts
        # by their hashes, and a character reference would not give back every character
        # (&#133; is read as U+2026, not U+0085, which vis-network holds); notebooks are UTF-8
        srcdoc = html.escape(self.page, quote=True)
        return (
            f'<iframe srcdoc="{srcdoc}" sandbox="allow-scripts" '
            f'style="width: 100%; height: {self.height}px; border: 0" '
            'title="labournet network view"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (a file that opens offline in any browser)."""
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.page, encoding="utf-8")
        except OSError as error:
            raise ExportError(f"cannot write {target}: {error}") from error
        return target


def show(
    source: Network | PressureResult, *, height: int = DEFAULT_HEIGHT, **options: Any
) -> InlineView:
    """The HTML view of ``source`` inline in a notebook: a Dataset, a networkx graph, or a
    `PressureResult` (its network, nodes sized by their pressure score).

    ``options`` are those of `labournet.views.html.build_html` (``view``, ``focus``, ``cut``,
    ``as_of``, ...); ``scores`` may also be a `PressureResult`. A cell that ends with
    ``labournet.show(...)`` draws the view; ``.save(path)`` writes the same page to a file, as
    `labournet.export_html` does.
    """
    if isinstance(options.get("scores"), PressureResult):
        options["scores"] = scores_from_pressure(options["scores"])
    if isinstance(source, PressureResult):
        if source.network is None:
            raise ExportError("this pressure result holds no network to draw: show the dataset")
        options.setdefault("scores", scores_from_pressure(source))
        source = source.network
    return InlineView(build_html(source, **options), height=height)
