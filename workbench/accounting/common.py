"""What every sector's accounting shares: the CO2/C mass ratio, the combustion formula of
the common fuel block (sectors-2025 §1.4; the power guideline's own), and a ratio that is
not a number where its denominator is not positive (an intensity of a month with no
output)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

#: Mass ratio of CO2 to C.
CO2_PER_C = 44.0 / 12.0


def fuel_co2_t(consumption, ncv, cc_tc_per_gj, oxidation_rate):
    """CO2 from fuel combustion (t): ``AD × NCV × CC × OF × 44/12``.

    ``consumption`` in t (solid, liquid) or a volume (knm3 = 10^3 Nm3, 10^4 Nm3), ``ncv``
    in GJ per the same unit, ``cc_tc_per_gj`` in tC/GJ and ``oxidation_rate`` as a
    fraction.
    """
    return consumption * ncv * cc_tc_per_gj * oxidation_rate * CO2_PER_C


def per(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator, NaN where the denominator is not positive (a Series keeps
    its index; scalars give a float)."""
    if isinstance(denominator, pd.Series):
        return numerator / denominator.where(denominator > 0)
    den = np.asarray(denominator, dtype=float)
    out = numerator / np.where(den > 0, den, np.nan)
    return float(out) if np.ndim(out) == 0 else out


def weighted_sum(quantities: Mapping[str, Any], factors: Mapping[str, float],
                 what: str) -> Any:
    """Σ quantity × factor over the codes of ``quantities``; a code without a factor is an
    error naming it (a silently dropped material would understate emissions)."""
    unknown = sorted(set(quantities) - set(factors))
    if unknown:
        raise KeyError(f"no {what} factor for {', '.join(unknown)}; known: "
                       f"{', '.join(sorted(factors))}")
    total: Any = 0.0
    for code, quantity in quantities.items():
        total = total + quantity * factors[code]
    return total
