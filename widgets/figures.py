"""One slot per figure in a view; each update puts a fresh plotly FigureWidget in the slot.

A FigureWidget built from a complete figure carries its traces in its initial state, so
the browser draws them however late it displays the widget (in Voilà the cell runs before
the page shows it). Traces added to an existing FigureWidget are sent as messages instead,
and a page that was not yet listening never sees them.
"""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go


def new_figure_widget() -> w.Box:
    """An empty slot for a figure."""
    return w.Box(layout=w.Layout(width="100%"))


def show(slot: w.Box, figure: go.Figure) -> None:
    """Put ``figure`` in ``slot`` as a new FigureWidget (needs anywidget at run time)."""
    slot.children = (go.FigureWidget(figure),)


def figure_of(slot: w.Box) -> go.FigureWidget | None:
    """The FigureWidget currently in ``slot`` (``None`` before the first update)."""
    return slot.children[0] if slot.children else None
