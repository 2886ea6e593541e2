"""The FollowTheMoney tests need the followthemoney package (the ftm extra): they skip
without it on a developer's machine and fail in CI (``CI=true``), where ``.[dev]`` installs it."""

from __future__ import annotations

import importlib.util
import os

import pytest

if importlib.util.find_spec("followthemoney") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("the FollowTheMoney tests must run in CI: pip install '.[ftm]'")
    pytest.skip("followthemoney not installed (pip install '.[ftm]')", allow_module_level=True)
