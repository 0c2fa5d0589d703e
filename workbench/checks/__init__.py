"""The check library: one module per family, all registered in :mod:`.registry`."""

from importlib import import_module

FAMILY_MODULES = ("accounting", "ranges", "consistency", "evidence", "timeliness", "timeseries",
                  "peers", "digits")


def load_all() -> None:
    """Import every family module so its checks register themselves."""
    for name in FAMILY_MODULES:
        try:
            import_module(f"workbench.checks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"workbench.checks.{name}":
                raise
