"""Reading a TOML config file: a ``[pipeline]`` table plus one table per stage.

Example::

    [pipeline]
    stages = ["encoding", "boilerplate"]
    annotate_only = false

    [encoding]
    uncurl_quotes = true
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .registry import STAGES, stage_class
from .stage import ConfigError, options_from_mapping

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
    pipeline = config.get("pipeline", {})
    unknown = set(pipeline) - PIPELINE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown [pipeline] key(s): {', '.join(sorted(unknown))}")
    stages = pipeline.get("stages", [])
    if not isinstance(stages, list) or not all(isinstance(name, str) for name in stages):
        raise ConfigError(f"{where}: [pipeline] stages must be a list of stage names")
    if not isinstance(pipeline.get("annotate_only", False), bool):
        raise ConfigError(f"{where}: [pipeline] annotate_only must be true or false")
    # Checked here, where the file's name is known, not later when the stages are built.
    for name in stages:
        _in_file(where, stage_class, name)
    for key, value in config.items():
        if key != "pipeline":
            _in_file(where, options_from_mapping, stage_class(key).Options, value, f"[{key}]")
    return config


def _in_file(where: str, check: Callable[..., Any], *args: Any) -> None:
    """Run a check; its error names the config file."""
    try:
        check(*args)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def default_config_toml() -> str:
    """Every stage's options with their defaults and ``#:`` doc comments, as a TOML file.

    Generated from the option classes themselves, so it cannot drift from the code.
    """
    out = [
        "# textwash configuration: every option with its default.",
        "[pipeline]",
        "# The stages to run, in this order (input stages such as html always run first).",
        f"stages = {json.dumps(list(STAGES))}",
        "annotate_only = false  # record what would change, change nothing",
    ]
    for name in STAGES:
        stage = stage_class(name)
        out += ["", f"[{name}]  # {(stage.__doc__ or '').strip().splitlines()[0]}"]
        docs = _option_comments(stage.Options)
        for field in dataclasses.fields(stage.Options):
            if field.name == "annotate_only":
                continue
            out += [f"# {line}" for line in docs.get(field.name, [])]
            out.append(_toml_assignment(field.name, field.default))
    return "\n".join(out) + "\n"


def _option_comments(options: type) -> dict[str, list[str]]:
    """The ``#:`` comment lines written above each field of an options dataclass."""
    comments: dict[str, list[str]] = {}
    pending: list[str] = []
    for cls in reversed(options.__mro__):
        if not dataclasses.is_dataclass(cls):
            continue
        for line in inspect.getsource(cls).splitlines():
            stripped = line.strip()
            if stripped.startswith("#:"):
                pending.append(stripped[2:].strip())
            elif ":" in stripped and not stripped.startswith(("#", "@", "class", '"')):
                comments[stripped.split(":")[0].strip()] = pending
                pending = []
            else:
                pending = []
    return comments


def _toml_assignment(key: str, value: Any) -> str:
    if value is None:
        return f"# {key} = (unset)"
    if isinstance(value, tuple):
        value = list(value)
    return f"{key} = {json.dumps(value, ensure_ascii=False)}"
