"""The check library: one module per family, all registered in :mod:`.registry`.

Read the checks through :func:`registry`, never through ``registry.REGISTRY`` directly:
``REGISTRY`` holds only the families some import happened to load (a process that
reuses cached screening results never runs the screening that loads them all).
"""

from importlib import import_module

from workbench.checks.registry import REGISTRY, Check

FAMILY_MODULES = ("accounting", "ranges", "consistency", "evidence", "timeliness", "timeseries",
                  "peers", "digits", "steel", "cement", "aluminium", "sector_bands",
                  "sector_evidence", "sector_history")


def load_all() -> None:
    """Import every family module so its checks register themselves."""
    for name in FAMILY_MODULES:
        try:
            import_module(f"workbench.checks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"workbench.checks.{name}":
                raise


def registry() -> dict[str, Check]:
    """Every check by id, with every family loaded, in any process (see the module
    docstring)."""
    load_all()
    return REGISTRY
