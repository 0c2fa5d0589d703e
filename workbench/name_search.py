"""Finding an enterprise as a reviewer types: by its Chinese name, its pinyin (full or
initials: ``datang`` / ``dt`` for 大唐), its city, or its credit code.

Each enterprise gets one lower-case search text holding all of those; a query matches
when every word of it (NFKC-normalised, case-folded) occurs in that text.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from pypinyin import Style, lazy_pinyin


def _pinyin(text: str) -> tuple[str, str]:
    """Full pinyin without tones or spaces, and the initials (Chinese characters only)."""
    syllables = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def search_text(table: pd.DataFrame) -> pd.Series:
    """One search text per row of an enterprise table (enterprise_name, city,
    enterprise_id)."""
    out = []
    for name, city, code in zip(table["enterprise_name"].astype(str),
                                table["city"].astype(str), table["enterprise_id"].astype(str),
                                strict=True):
        parts = [name, *_pinyin(name), city, *_pinyin(city), code]
        out.append(unicodedata.normalize("NFKC", " ".join(parts)).casefold())
    return pd.Series(out, index=table.index, dtype="string")


def matches(texts: pd.Series, query: str) -> pd.Series:
    """Which search texts hold every word of ``query``."""
    sel = pd.Series(True, index=texts.index)
    for word in unicodedata.normalize("NFKC", query).casefold().split():
        sel &= texts.str.contains(word, regex=False)
    return sel
