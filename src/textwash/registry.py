"""The stages textwash knows, in their default order.

Imports are lazy: a stage's heavy dependencies (trafilatura, langdetect) load only when a
pipeline actually uses that stage.
"""

from __future__ import annotations

import importlib

from .stage import ConfigError, Stage

#: name -> "module:Class", in the order the default pipeline runs them.
STAGES: dict[str, str] = {
    "html": "textwash.html:HtmlStage",
    "encoding": "textwash.encoding:EncodingStage",
    "boilerplate": "textwash.boilerplate:BoilerplateStage",
    "casing": "textwash.casing:CasingStage",
    "language": "textwash.language:LanguageStage",
    "artifacts": "textwash.artifacts:ArtifactsStage",
}

#: Stages that run whenever the input needs them, even if not selected by name.
INPUT_STAGES = ("html",)


def stage_class(name: str) -> type[Stage]:
    try:
        target = STAGES[name]
    except KeyError:
        known = ", ".join(STAGES)
        raise ConfigError(f"unknown stage {name!r} (known: {known})") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def default_stage_names() -> list[str]:
    return list(STAGES)
