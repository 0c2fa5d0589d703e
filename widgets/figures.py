"""Keep one plotly FigureWidget per view and swap its content in place."""

from __future__ import annotations

import plotly.graph_objects as go


def new_figure_widget() -> go.FigureWidget:
    """An empty FigureWidget (needs anywidget at run time)."""
    return go.FigureWidget()


def show(target: go.FigureWidget, figure: go.Figure) -> None:
    """Replace ``target``'s traces and layout with ``figure``'s, in one message to the browser.

    The layout's template is the same for every figure and costly to validate, so it is
    set once (the first time) and left alone afterwards.
    """
    layout = figure.layout.to_plotly_json()
    template = layout.pop("template", None)
    with target.batch_update():
        target.data = []
        target.add_traces(list(figure.data))
        if not target.layout.template.layout and template is not None:
            target.layout.template = template
        target.update_layout(layout, overwrite=True)
