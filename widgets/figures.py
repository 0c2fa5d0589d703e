"""One slot per figure in a view; each update replaces the slot's figure.

A slot is an ``Output`` widget holding one plotly figure as its JSON mime bundle
(``application/vnd.plotly.v1+json``), drawn by the plotly renderer that JupyterLab and
Voilà load once per page as a static asset.  A plotly ``FigureWidget`` is not used: each
one carries the whole plotly.js bundle (about 5 MB) in its widget state, sent over the
kernel websocket for every figure and every update, which made a dashboard page take
10 s to appear in the browser.  The bundle is the figure's complete state, so a page
that shows the slot late still draws every trace.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go

from workbench.plots import plot_config

#: The mime type plotly's JupyterLab/Voilà renderer draws.
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def new_figure_widget() -> w.Output:
    """An empty slot for a figure."""
    return w.Output(layout=w.Layout(width="100%"))


def show(slot: w.Output, figure: go.Figure, locale: str) -> None:
    """Replace the figure in ``slot`` (one widget state update, no kernel needed), its
    plotly.js tooltips in ``locale``."""
    spec = json.loads(figure.to_json())
    bundle = {PLOTLY_MIME: {**spec, "config": plot_config(locale)},
              "text/plain": f"<plotly figure: {len(spec.get('data', []))} traces>"}
    slot.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


def figure_of(slot: w.Output) -> go.Figure | None:
    """The figure currently in ``slot``, rebuilt from what was sent (``None`` before the
    first update)."""
    if not slot.outputs:
        return None
    spec = dict(slot.outputs[0]["data"][PLOTLY_MIME])
    spec.pop("config", None)
    return go.Figure(_decoded(spec))


def _decoded(obj: Any) -> Any:
    """``obj`` with plotly's base64 typed arrays (``{"dtype", "bdata"[, "shape"]}``) turned
    back into numpy arrays."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            values = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            shape = obj.get("shape")
            return values.reshape([int(n) for n in str(shape).split(",")]) if shape else values
        return {k: _decoded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decoded(v) for v in obj]
    return obj
