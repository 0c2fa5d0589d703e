"""A smaller plotly.js for case reports: the "cartesian" bundle (bar, box, contour, heatmap,
histogram, image, pie, scatter, violin…: every figure a case report draws) is 1.5 MB where
the full bundle plotly's Python package carries is 4.8 MB, which alone made a case report
of the demo's largest enterprise 5.2 MB.

The bundle is the npm package ``plotly.js-cartesian-dist-min`` of exactly the plotly.js
version the installed plotly package uses (MIT licence, Plotly, Inc.), fetched once by
``python -m workbench.plotly_bundle install`` (``scripts/setup.sh`` runs it) from the npm
registry, checked against its published sha512 integrity, and kept under
``<sys.prefix>/share/carbon-audit-workbench/``.  Without it (or for a figure of another
trace type) a report carries the full bundle: larger, never broken.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

#: The bundle fetched: plotly.js version, its npm tarball and the registry's integrity.
VERSION = "4.1.1"
TARBALL = ("https://registry.npmjs.org/plotly.js-cartesian-dist-min/-/"
           f"plotly.js-cartesian-dist-min-{VERSION}.tgz")
INTEGRITY = ("sha512-o8GrFeusncwBIxbBynRJpY4pkgVB6caM+JLpwrLYbbsO7dZ8FJ+SVN2Fr+L7kiG/Z6w4P5O0"
             "Jus/Qr5EefHVeg==")
MEMBER = "package/plotly-cartesian.min.js"
#: Trace types the bundle draws.
TRACES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                    "histogram2dcontour", "image", "pie", "scatter", "scatterternary",
                    "violin"})


def path() -> Path:
    """Where the bundle is kept once installed."""
    return Path(sys.prefix) / "share" / "carbon-audit-workbench" / \
        f"plotly-cartesian-{VERSION}.min.js"


def plotly_version() -> str:
    """The plotly.js version of the installed plotly package (its bundle's header)."""
    from plotly.offline import get_plotlyjs

    head = get_plotlyjs()[:200]
    marker = "plotly.js v"
    start = head.index(marker) + len(marker)
    return head[start:].split()[0]


def cartesian() -> str | None:
    """The cartesian bundle's code, or None when it is not installed or is not the
    plotly.js version the plotly package draws figures for."""
    p = path()
    if not p.is_file() or plotly_version() != VERSION:
        return None
    return p.read_text(encoding="utf-8")


def install() -> Path:
    """Fetch the bundle, check its integrity and keep it (nothing when already kept)."""
    p = path()
    if p.is_file():
        return p
    with urllib.request.urlopen(TARBALL, timeout=60) as response:  # noqa: S310 - fixed https URL
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise RuntimeError(f"{TARBALL}: integrity {digest} is not the registry's {INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        code = tar.extractfile(MEMBER).read()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".part")
    tmp.write_bytes(code)
    tmp.replace(p)
    return p


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python -m workbench.plotly_bundle install")
    print(install())
