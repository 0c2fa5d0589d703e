"""An independent validation set built from real US plant records (see README.md).

``python -m benchmarks.realset.build --out DIR`` writes platform-style exports,
imports them with the project's importer and writes the truth of the injected
problems, so screening can be measured on data it was not tuned on.
"""
