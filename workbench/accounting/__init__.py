"""Emission accounting formulas, sector by sector (power first)."""
