"""labournet's version, in one place that every module may import (pyproject.toml repeats it;
tests/test_readme.py keeps the two equal)."""

__version__ = "0.1.0"
