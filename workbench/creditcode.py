"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

An 18-character code: registration authority (1), entity type (1), region
(6 digits), organisation code (9) and a check character (1).  The check
character is ``31 - (Σ value(c_i) × w_i mod 31)`` over the first 17
characters, with 31 mapped to ``0``, using the 31-character alphabet below
(no I, O, S, V, Z).  Validation is vectorised for whole columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueError(f"need 17 characters from {ALPHABET!r}, got {first17!r}")
    total = sum(_VALUE[ch] * int(w) for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when ``code`` is 18 valid characters with a correct check character."""
    return bool(validate(pd.Series([code])).iloc[0])


def validate(codes: pd.Series) -> pd.Series:
    """Vectorised validity of a column of codes (missing values are invalid)."""
    s = codes.astype("string").fillna("")
    ok_shape = s.str.fullmatch(f"[{ALPHABET}]{{18}}").fillna(False).to_numpy(bool)
    out = np.zeros(len(s), dtype=bool)
    if ok_shape.any():
        good = s[ok_shape].to_numpy(dtype=str)
        lut = np.full(128, -1, dtype=np.int64)
        for ch, v in _VALUE.items():
            lut[ord(ch)] = v
        chars = np.frombuffer("".join(good).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        vals = lut[chars]
        expected = (31 - (vals[:, :17] @ WEIGHTS) % 31) % 31
        out[ok_shape] = expected == vals[:, 17]
    return pd.Series(out, index=codes.index)


def make_codes(rng: np.random.Generator, region_codes: list[str]) -> list[str]:
    """Make valid, distinct-looking enterprise codes for the given 6-digit regions.

    Registration authority 9 (industry and commerce) and type 1 (enterprise),
    as for most emitting companies; the organisation code is random.
    """
    body_alphabet = np.array(list(ALPHABET))
    out = []
    for region in region_codes:
        org = "".join(rng.choice(body_alphabet[:10], 1)) + "".join(rng.choice(body_alphabet, 8))
        first17 = "91" + region + org
        out.append(first17 + check_character(first17))
    return out
