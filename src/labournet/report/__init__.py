"""The pressure-point report: the analyses run once, then tables, charts, Markdown and views."""
