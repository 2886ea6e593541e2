"""Short, escaped HTML tables for results shown in a notebook (their ``_repr_html_``).

A result picks its main columns and its first rows; this module writes them: a title, the
table (pandas' ``to_html`` with every cell and label escaped) and a line saying how many rows
are left out and where to find them all. Every piece of text is escaped, so a name holding
``<script>`` shows as text.

>>> import pandas as pd
>>> frame = pd.DataFrame({"name": ["<b>A</b>"]}, index=pd.Index(["a"], name="id"))
>>> page = table_html(frame, title="Two & more", total=3, more="candidates")
>>> "&lt;b&gt;A&lt;/b&gt;" in page, "Two &amp; more" in page, "2 more candidates" in page
(True, True, True)
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["table_html", "DISPLAY_ROWS"]

DISPLAY_ROWS = 10
"""How many rows a result shows in a notebook before it says how many more there are."""


def table_html(
    frame: pd.DataFrame,
    *,
    title: str,
    total: int | None = None,
    more: str = "rows",
    hint: str = "to_frame() has them all",
    notes: Sequence[str] = (),
) -> str:
    """``frame`` as an HTML block: ``title``, the table, then "… and N more `more`" when
    ``total`` (the rows there are) exceeds the rows shown, and any ``notes``, all escaped."""
    table = frame.to_html(escape=True, border=0, na_rep="", float_format=_number)
    parts = [f'<div class="labournet-result">\n<p><strong>{html.escape(title)}</strong></p>']
    parts.append(table)
    left = (total or 0) - len(frame)
    if left > 0:
        parts.append(f"<p>… and {left:,} more {html.escape(more)} ({html.escape(hint)})</p>")
    parts.extend(f"<p>{html.escape(note)}</p>" for note in notes)
    parts.append("</div>")
    return "\n".join(parts)


def _number(value: float) -> str:
    """Large amounts with thousands separators, shares and small values with three digits."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"
