"""Reading a TOML config file: a ``[pipeline]`` table plus one table per stage.

Example::

    [pipeline]
    stages = ["encoding", "boilerplate"]
    annotate_only = false

    [encoding]
    uncurl_quotes = true
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .registry import STAGES
from .stage import ConfigError

PIPELINE_KEYS = {"stages", "annotate_only"}


def load_config(source: str | Path | Mapping[str, Any] | None) -> dict[str, Any]:
    """Load and check a config (a TOML path or an already-parsed mapping)."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        config = dict(source)
        where = "config"
    else:
        where = str(source)
        try:
            with open(source, "rb") as handle:
                config = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read config: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{where}: invalid TOML: {exc}") from exc
    for key, value in config.items():
        if key != "pipeline" and key not in STAGES:
            known = ", ".join(["pipeline", *STAGES])
            raise ConfigError(f"{where}: unknown table [{key}] (known: {known})")
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: [{key}] must be a table")
    unknown = set(config.get("pipeline", {})) - PIPELINE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown [pipeline] key(s): {', '.join(sorted(unknown))}")
    return config
