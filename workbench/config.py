"""One configuration for the whole workbench.

Defaults ship in ``workbench/defaults.toml`` (documented there, field by field).
A user file overrides them: the path in ``$WORKBENCH_CONFIG``, else
``./workbench.toml`` if it exists.  Nested tables merge key by key, so a user
file only needs the values it changes.

The merged configuration is validated against the typed model of
:mod:`workbench.config_model` before anything uses it: an unknown key (a
misspelling) or a value of the wrong type or out of range raises
:class:`ConfigError` naming the file, the dotted key and what was expected.
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

from pydantic import ValidationError

from workbench.config_model import WorkbenchConfig, explain

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")


class ConfigError(Exception):
    """A config file is missing, not valid TOML, or not a valid configuration (unknown key,
    wrong type, value out of range); the message names the file and the keys."""


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


def _read(path: Path) -> dict[str, Any]:
    """One TOML file as a dict."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}) / 配置文件格式错误") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 (TOML files are UTF-8; save it as UTF-8) / "
                          f"配置文件须为 UTF-8 编码") from exc


def _validated(cfg: dict[str, Any], source: Path) -> dict[str, Any]:
    """``cfg`` checked against the model, as a plain dict; ConfigError blames ``source``."""
    try:
        return WorkbenchConfig.model_validate(cfg).model_dump(by_alias=True)
    except ValidationError as exc:
        lines = [f"{source}: invalid configuration / 配置无效", *map("  {}".format, explain(exc))]
        if source == DEFAULTS_PATH:
            lines.append("  (a key added to defaults.toml needs a field in "
                         "workbench/config_model.py / defaults.toml 新增的键须在 "
                         "workbench/config_model.py 中声明)")
        raise ConfigError("\n".join(lines)) from None


@lru_cache(maxsize=8)
def _load(path: str | None) -> dict[str, Any]:
    # The defaults are validated alone first, so a problem they hold is not blamed on the
    # user's file; once they are valid, any problem of the merge comes from the user's file.
    defaults = _read(DEFAULTS_PATH)
    cfg = _validated(defaults, DEFAULTS_PATH)
    if path:
        cfg = _validated(_merge(defaults, _read(Path(path))), Path(path))
    return cfg


def load_config() -> dict[str, Any]:
    """The merged, validated configuration (a fresh copy the caller may modify).

    Raises ConfigError when a file is missing or invalid.
    """
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
