"""What every sector's accounting shares: the CO2/C mass ratio, the combustion formula of
the common fuel block (sectors-2025 §1.4; the power guideline's own), and a ratio that is
not a number where its denominator is not positive (an intensity of a month with no
output)."""

from __future__ import annotations

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
