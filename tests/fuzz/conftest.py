"""Fuzzing profiles: a short, derandomised run by default; a long one for release checks.

    python -m pytest tests/fuzz                           # default: fixed seed, under a minute
    LABOURNET_FUZZ=long python -m pytest tests/fuzz       # release check: 50x the inputs

Every crash the fuzzer finds is kept as an ordinary regression test next to the code it hit.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "default",
    max_examples=60,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure is reported unshrunk
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
settings.register_profile(
    "long",
    max_examples=3000,
    derandomize=False,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("long" if os.environ.get("LABOURNET_FUZZ") == "long" else "default")
