"""The same data gives the same table in every process, whatever the string hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = (
    "import labournet\n"
    "result = labournet.pressure_points(labournet.load_dataset())\n"
    "print([(p.id, p.rank, p.equivalent) for p in result])\n"
)


def _table_in_a_process(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.mark.parametrize("other", ["1", "2"])
def test_candidates_keep_their_order_across_hash_seeds(other: str) -> None:
    first = _table_in_a_process("0")
    assert "r-kp-sends-qa" in first
    assert _table_in_a_process(other) == first
