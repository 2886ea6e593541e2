"""Regenerate docs/view.png: the bundled dataset's HTML view, pictured in headless Chromium.

Usage (from the repository root)::

    PYTHONPATH=src python scripts/screenshot.py            # writes docs/view.png
    PYTHONPATH=src python scripts/screenshot.py --cut cn --out /tmp/cut.png

Needs Chromium (Debian's ``chromium`` package, or ``LABOURNET_CHROMIUM``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

__all__ = ["screenshot", "main"]

ROOT = Path(__file__).resolve().parents[1]


def screenshot(
    out: Path,
    *,
    width: int = 1400,
    height: int = 900,
    cut: tuple[str, ...] = (),
    focus: str | None = None,
) -> Path:
    """Export the bundled dataset's view (sized by pressure score) and picture it."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the tests' Chromium driver
    from chromium import Chromium

    import labournet
    from labournet.analysis.pressure import pressure_points
    from labournet.views.html import export_html, scores_from_pressure

    dataset = labournet.load_dataset()
    with tempfile.TemporaryDirectory() as folder:
        page_path = export_html(
            dataset,
            Path(folder) / "view.html",
            scores=scores_from_pressure(pressure_points(dataset)),
            cut=cut,
            focus=focus,
        )
        with Chromium() as browser:
            page = browser.new_page(width=width, height=height)
            page.navigate(page_path.resolve().as_uri())
            page.wait_for("window.labournet && window.labournet.state.ready", timeout=60)
            page.settle(0.3)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "view.png")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--cut", action="append", default=[], help="entity or relation id")
    parser.add_argument("--focus", default=None, help="an entity id")
    args = parser.parse_args(argv)
    path = screenshot(
        args.out, width=args.width, height=args.height, cut=tuple(args.cut), focus=args.focus
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
