"""The sanctions-list tests' inputs: small hand-made XML files with invented parties
(``fixtures/``), and the real UN Security Council Consolidated List beside the repository.

The real list lives in ``../shared/data/sanctions-lists/`` (``LABOURNET_UN_LIST`` names another
copy). Its tests skip when it is missing, except under CI (``CI=true``), where a missing list
is a failure: CI is given ``shared/`` and must run them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from un_samples import FIXTURES, real_list_path


@pytest.fixture(scope="session")
def real_list() -> Path:
    """The real UN Security Council Consolidated List (generated 2025-04-19)."""
    return real_list_path()


@pytest.fixture
def fixtures() -> Path:
    """The folder of the hand-made lists: ``fixtures / "small.xml"``."""
    return FIXTURES
