"""Sample data: a deterministic generator built on real plant data, with injected problems."""

#: Defaults shared by ``workbench sample``, ``workbench demo`` and the committed demo dataset.
DEFAULT_SEED = 7
DEFAULT_PROBLEM_RATE = 0.25
