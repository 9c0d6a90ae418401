"""Test-wide settings: Hypothesis runs deterministically in CI and without per-example deadlines."""

import os

from hypothesis import settings

# CI replays the same examples every run (a red build is reproducible) and never fails on the
# timing of a single example on a busy machine; locally examples stay random to explore more.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
