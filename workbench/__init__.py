"""Carbon Audit Workbench: the analysis core (no UI imports).

Importing ``workbench`` never imports ipywidgets, IPython display or Voilà, so
the core runs in plain Python processes, batch jobs and Dask workers.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("carbon-audit-workbench")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
