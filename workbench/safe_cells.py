"""Spreadsheet cells that cannot run as formulas, and the exact text back on import.

Excel, WPS and LibreOffice evaluate a CSV cell (or an edited XLSX cell) that begins
with ``=``, ``+``, ``-`` or ``@`` — WPS also the full-width ``＝ ＋ － ＠`` — and a
leading tab or carriage return can hide such a start.  Text the workbench exports comes
from filings and reviewers, so every sheet it writes passes its text through
:func:`neutralise`: as OWASP recommends, a risky cell gets a single quote in front.

The prefix is reversible without ambiguity: a text that itself begins with a quote is
quoted too, so a written cell starts with a quote exactly when one was added, and
:func:`restore` takes it off.  Text that reads as a plain number (``-12.5``, ``-3,790``,
``-0.1%``) is left as it is, and numbers are never touched.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

#: First characters a spreadsheet may evaluate (OWASP "CSV injection", plus full-width forms).
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
#: The prefix that keeps a cell text.
QUOTE = "'"
#: A number as text: ``-12.5``, ``-3,790``, ``-0.1%``, ``1e-3`` (a spreadsheet reads it as
#: that number, which runs nothing).
_PLAIN_NUMBER = re.compile(r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)"
                           r"(?:[eE][-+]?\d+)?%?")


def _needs_quote(text: str) -> bool:
    """True when ``text`` starts like a formula (and is no plain number) or with a quote."""
    if not text:
        return False
    if text[0] == QUOTE:
        return True
    return text[0] in FORMULA_STARTS and _PLAIN_NUMBER.fullmatch(text) is None


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet may safely show it: a string that starts like a formula,
    or with a quote, gets a quote in front; anything else (numbers included) is returned
    unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def restore(text: str) -> str:
    """The text :func:`neutralise` was given, from a cell it wrote: the added quote off
    (a quote followed by what made it necessary), anything else unchanged."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every string cell passed through :func:`neutralise`
    (only text columns are looked at; numbers, times and other cells stay as they are)."""
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            out.iloc[:, i] = [neutralise(v) for v in column]
    return out


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` (read as text) with every string cell passed through
    :func:`restore`."""
    return frame.map(lambda v: restore(v) if isinstance(v, str) else v)
