"""Sample data: a deterministic generator built on real plant data, with injected problems."""

#: Defaults shared by ``workbench sample``, ``workbench demo`` and the committed demo dataset.
DEFAULT_SEED = 7
DEFAULT_PROBLEM_RATE = 0.25
#: The sectors a sample dataset may hold (``workbench sample --sectors``; all in the demo).
SECTORS = ("power", "steel", "cement", "aluminium")
