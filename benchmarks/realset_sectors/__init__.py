"""An independent held-out validation set for the 2025 sectors (steel, cement, aluminium).

``python -m benchmarks.realset_sectors.build --real DIR --out DIR`` writes platform-style
exports, imports them with the project's importer and writes the truth of the injected
problems (see README.md).  Nothing here reads the project's sample generator or checks.
"""
