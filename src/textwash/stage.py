"""What every stage is: a name, a frozen options object, one method from document to document."""

from __future__ import annotations

import dataclasses
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any, ClassVar

from .document import Document, Editor


@cache
def shared_words(name: str) -> frozenset[str]:
    """A word list under ``data/`` (``name``: its path there; words separated by white
    space, ``#`` comments), read once: the lists several stages share, kept in one file
    so the stages cannot drift apart, and a stage's own (``casing/...``)."""
    text = (resources.files("textwash") / "data" / name).read_text(encoding="utf-8")
    return frozenset(
        word for line in text.splitlines() if not line.startswith("#") for word in line.split()
    )


class ConfigError(ValueError):
    """A configuration value or key that a stage does not understand."""


@dataclasses.dataclass(frozen=True)
class StageOptions:
    """Options every stage has. Subclasses add their own fields, all with defaults."""

    #: Record what the stage would change, but leave the text as it is.
    annotate_only: bool = False


class Stage(ABC):
    """A pipeline step. Subclasses set ``name``, ``Options`` and implement :meth:`apply`."""

    name: ClassVar[str]
    Options: ClassVar[type[StageOptions]] = StageOptions

    def __init__(self, options: StageOptions | None = None, **overrides: Any) -> None:
        base = options if options is not None else self.Options()
        self.options = dataclasses.replace(base, **overrides) if overrides else base

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Stage:
        """Build the stage from a config table whose keys are its option names."""
        return cls(options_from_mapping(cls.Options, values, where=f"[{cls.name}]"))

    @abstractmethod
    def apply(self, doc: Document) -> Document:
        """Clean or annotate one document and return it."""

    def editor(self, doc: Document) -> Editor:
        return doc.editor(self.name, self.options.annotate_only)

    def until_stable(
        self, doc: Document, step: Callable[[Document, int], bool | None], rounds: int = 3
    ) -> Document:
        """Run ``step(doc, round)`` again while it keeps changing the text.

        Cleaning must be idempotent, yet one change can expose another: a removed line
        makes two others neighbours, a recased word makes a text all-lowercase. A second
        round runs only when the first changed the text, so clean text pays for one.
        Flags belong outside ``step`` (they change no text and would be logged twice).
        Under ``annotate_only`` the text never changes, so one round says all there is.
        A step that knows its changes cannot expose more returns False to stop early.
        """
        for round_number in range(rounds):
            before = [para.text for para in doc.paragraphs]
            more = step(doc, round_number)
            if more is False or self.options.annotate_only:
                break
            if [para.text for para in doc.paragraphs] == before:
                break
        return doc

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.options!r})"


def options_from_mapping(
    options_type: type[StageOptions], values: Mapping[str, Any], where: str
) -> StageOptions:
    """Turn a config table into an options object, naming any key or value it cannot take."""
    fields = {f.name: f for f in dataclasses.fields(options_type)}
    hints = typing.get_type_hints(options_type)
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"{where}: unknown option {key!r} (known: {known})")
        kwargs[key] = _coerce(value, hints[key], f"{where} {key}")
    return options_type(**kwargs)


def _coerce(value: Any, hint: Any, where: str) -> Any:
    """Check a TOML value against the option's type; lists become tuples (options are frozen)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for alternative in typing.get_args(hint):
            try:
                return _coerce(value, alternative, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(f"{where}: {value!r} fits none of {hint}")
    if hint is type(None):
        if value is None:
            return None
        raise ConfigError(f"{where}: expected nothing, got {value!r}")
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        (item_hint, *_rest) = typing.get_args(hint) or (Any,)
        return tuple(_coerce(v, item_hint, where) for v in value)
    if origin is typing.Literal:
        if value in typing.get_args(hint):
            return value
        raise ConfigError(f"{where}: expected one of {typing.get_args(hint)}, got {value!r}")
    if hint is Any:
        return value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(hint, type) and not isinstance(value, hint):
        raise ConfigError(f"{where}: expected {hint.__name__}, got {value!r}")
    if hint is int and isinstance(value, bool):
        raise ConfigError(f"{where}: expected int, got {value!r}")
    return value
