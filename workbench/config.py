"""One configuration for the whole workbench.

Defaults ship in ``workbench/defaults.toml`` (documented there, field by field).
A user file overrides them: the path in ``$WORKBENCH_CONFIG``, else
``./workbench.toml`` if it exists.  Nested tables merge key by key, so a user
file only needs the values it changes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")


class ConfigError(Exception):
    """The user's config file is missing or not valid TOML (the message names the file)."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def user_config_path() -> Path | None:
    """The user config file in force, or ``None`` when only defaults apply."""
    env = os.environ.get("WORKBENCH_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"WORKBENCH_CONFIG points at {path}, which is not a file "
                              f"/ 配置文件不存在")
        return path
    local = Path("workbench.toml")
    return local if local.is_file() else None


@lru_cache(maxsize=8)
def _load(path: str | None) -> dict[str, Any]:
    with DEFAULTS_PATH.open("rb") as fh:
        cfg = tomllib.load(fh)
    if path:
        try:
            with Path(path).open("rb") as fh:
                cfg = _merge(cfg, tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}) / 配置文件格式错误") from exc
    return cfg


def load_config() -> dict[str, Any]:
    """The merged configuration (a fresh copy the caller may modify)."""
    path = user_config_path()
    return copy.deepcopy(_load(str(path) if path else None))


def config_hash(cfg: dict[str, Any]) -> str:
    """Stable short hash of a configuration, recorded in result manifests."""
    blob = json.dumps(cfg, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def by_year(table: dict[str, Any], year: int) -> Any:
    """Look up a by-year policy table (keys are years as strings).

    Years after the last entry use the last entry; years before the first raise,
    because applying a later policy to earlier data would be silently wrong.
    """
    years = sorted(int(k) for k in table)
    if year < years[0]:
        raise KeyError(f"no policy value for {year}; the table starts at {years[0]}")
    chosen = max(y for y in years if y <= year)
    return table[str(chosen)]
