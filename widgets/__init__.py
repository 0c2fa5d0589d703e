"""ipywidgets views over :mod:`workbench` (the reviewer workbench and, later, dashboards).

Each view is a small class with a public ``value``, private child widgets
(``_w_*``), and callbacks that only call :mod:`workbench` functions.
"""
