"""Benchmarks and measurement scripts (also importable: ``benchmarks.realset``)."""
