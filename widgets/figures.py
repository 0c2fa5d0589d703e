"""Keep one plotly FigureWidget per view and swap its content in place."""

from __future__ import annotations

import plotly.graph_objects as go


def new_figure_widget() -> go.FigureWidget:
    """An empty FigureWidget (needs anywidget at run time)."""
    return go.FigureWidget()


def show(target: go.FigureWidget, figure: go.Figure) -> None:
    """Replace ``target``'s traces and layout with ``figure``'s, in one message to the browser."""
    with target.batch_update():
        target.data = []
        target.add_traces(list(figure.data))
        target.layout = figure.layout
