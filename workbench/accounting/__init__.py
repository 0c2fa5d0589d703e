"""Emission accounting formulas, sector by sector: power (发电设施), steel (钢铁), cement
clinker (水泥熟料) and aluminium smelting (铝冶炼).

Each module holds pure, vectorised functions (scalars, NumPy arrays and pandas Series);
factors are arguments, taken from the versioned factor tables of the configuration by
:mod:`workbench.factors`.
"""
