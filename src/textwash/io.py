"""Reading inputs as a stream of documents and rejects, and writing JSONL out.

Every input document comes out of :func:`iter_inputs` as exactly one item: a
:class:`Document` ready for the pipeline, or a :class:`Reject` that names the file, the
line and the reason. Nothing is read into memory beyond the current file (text/HTML) or
the current line (JSONL).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import math
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any, Literal

import regex

from .document import Document
from .encoding import UndecodableBytes, decode_bytes

InputFormat = Literal["auto", "text", "html", "jsonl"]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
#: A declared charset in the first bytes of an HTML page.
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", regex.I)


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become a document, and why."""

    source: str
    line: int | None
    reason: str
    raw: str | None = None
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "id": self.id,
            "reason": self.reason,
            "raw": self.raw,
        }

    def message(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"textwash: {where}: rejected: {self.reason}"


@dataclass(frozen=True, slots=True)
class JsonlFields:
    text: str = "text"
    id: str = "id"


def expand_paths(
    paths: Iterable[str],
    exclude: Iterable[str | int] = (),
    on_empty: Callable[[str], None] | None = None,
) -> Iterator[str]:
    """Files in the order given; directories walked recursively in sorted order.

        Symbolic links to directories are followed (each real directory once, so a link
        cycle ends); hidden files and folders are skipped; a folder that cannot be listed is
        yielded itself, so that reading it fails and it is rejected with its reason rather
        than skipped in silence. ``exclude`` names files a walk must not pick up (the run's own
    output written into an input folder): by path, as they may not exist yet, and by
    identity, as a file descriptor (stdout redirected by the shell) has no path.
    ``on_empty`` is told of a folder that gave no file: a wrong path that is no error.
    """
    skip = _Skip(exclude)
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            yield path
            continue
        empty = True
        for file in _walk_directory(path, skip):
            empty = False
            yield file
        if empty and on_empty is not None:
            on_empty(path)


class _Skip:
    """Files to leave out of a walk, by real path or by (device, inode)."""

    def __init__(self, exclude: Iterable[str | int]) -> None:
        exclude = list(exclude)
        self.paths = {os.path.realpath(path) for path in exclude if isinstance(path, str)}
        self.files = {key for key in map(_file_key, exclude) if key}

    def __contains__(self, path: str) -> bool:
        return os.path.realpath(path) in self.paths or (
            bool(self.files) and _file_key(path) in self.files
        )


def _file_key(path: str | int) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _walk_directory(path: str, skip: _Skip) -> Iterator[str]:
    unreadable: list[str] = []
    seen: set[str] = set()
    walk = os.walk(path, followlinks=True, onerror=lambda exc: unreadable.append(exc.filename))
    for root, dirs, files in walk:
        real = os.path.realpath(root)
        if real in seen:  # a symbolic link back into a folder already walked
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            full = os.path.join(root, name)
            if not name.startswith(".") and full not in skip:
                yield full
    yield from unreadable


def detect_format(path: str) -> InputFormat:
    """By file name; whole-file inputs may be gzipped too ("page.html.gz")."""
    lower = path.lower()
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lower.removesuffix(".gz").endswith(_HTML_SUFFIXES):
        return "html"
    return "text"


def iter_inputs(
    paths: Iterable[str],
    fields: JsonlFields = JsonlFields(),
    input_format: InputFormat = "auto",
    exclude: Iterable[str | int] = (),
    on_empty: Callable[[str], None] | None = None,
) -> Iterator[Document | Reject]:
    """Yield one Document or Reject per input document, in input order."""
    for path in expand_paths(paths, exclude, on_empty):
        if path == "-":
            yield from _read_stdin(fields, input_format)
            continue
        fmt = detect_format(path) if input_format == "auto" else input_format
        if fmt == "jsonl":
            yield from _read_jsonl_file(path, fields)
        else:
            yield _read_whole_file(path, fmt)


def _read_whole_file(path: str, fmt: InputFormat) -> Document | Reject:
    try:
        data = Path(path).read_bytes()
        if path.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        return Reject(path, None, f"cannot read file: {getattr(exc, 'strerror', None) or exc}")
    return document_from_bytes(data, _stem(path), path, html=fmt == "html")


def document_from_bytes(data: bytes, doc_id: str, source: str, html: bool) -> Document | Reject:
    """Decode a whole file (text or HTML) into a Document, or say why not."""
    try:
        text, encoding = decode_input(data, html)
    except (UndecodableBytes, UnicodeDecodeError) as exc:
        return Reject(source, None, f"undecodable bytes: {exc}", id=doc_id)
    metadata = {"input": source, "encoding": encoding}
    if html:
        return Document.from_html(text, id=doc_id, metadata=metadata)
    return Document.from_text(text, id=doc_id, metadata=metadata)


def decode_input(data: bytes, html: bool) -> tuple[str, str]:
    """The text and encoding of a whole input: a page's own <meta charset> first (detection
    guesses wrong on short pages), else detection. Raises UndecodableBytes."""
    declared = _declared_charset(data) if html else None
    if declared:
        return data.decode(declared), declared
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


def _declared_charset(data: bytes) -> str | None:
    """The page's own <meta charset>, if it names a codec Python has and it decodes."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None
    return name


def _stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in (".gz", *_HTML_SUFFIXES, ".txt", ".text"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _read_jsonl_file(path: str, fields: JsonlFields) -> Iterator[Document | Reject]:
    number = 0
    try:
        with gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb") as raw:
            for number, line in enumerate(raw, start=1):
                yield from _parse_jsonl_line(line, path, number, fields)
    except (OSError, EOFError, zlib.error) as exc:  # unreadable, or a corrupt gzip stream
        where = "cannot read file" if number == 0 else f"cannot read past line {number}"
        yield Reject(path, None, f"{where}: {getattr(exc, 'strerror', None) or exc}")


def _read_stdin(fields: JsonlFields, input_format: InputFormat) -> Iterator[Document | Reject]:
    """Stdin, streamed: JSONL if its first non-blank line starts with "{" (after a BOM)."""
    stream = sys.stdin.buffer
    if input_format in ("auto", "jsonl"):
        head = []
        for line in iter(stream.readline, b""):
            head.append(line)
            if line.strip():
                break
        first = head[-1].lstrip().removeprefix(codecs.BOM_UTF8) if head else b""
        if input_format == "jsonl" or first.startswith(b"{"):
            if head:
                head[0] = head[0].removeprefix(codecs.BOM_UTF8)
            lines = chain(head, iter(stream.readline, b""))
            for number, line in enumerate(lines, start=1):
                yield from _parse_jsonl_line(line, "<stdin>", number, fields)
            return
        data = b"".join(head) + stream.read()
    else:
        data = stream.read()
    yield document_from_bytes(data, "stdin", "<stdin>", html=input_format == "html")


def _parse_jsonl_line(
    line: bytes, source: str, number: int, fields: JsonlFields
) -> Iterator[Document | Reject]:
    if not line.strip():
        return
    raw = line.decode("utf-8", "replace").rstrip("\r\n")
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield Reject(source, number, f"malformed JSON: {exc}", raw=raw)
        return
    except RecursionError:
        yield Reject(source, number, "malformed JSON: nested too deeply", raw=raw[:1000])
        return
    if not isinstance(record, dict):
        yield Reject(source, number, "a JSONL record must be an object", raw=raw)
        return
    doc_id = record.get(fields.id)
    doc_id = f"{_stem(source)}:{number}" if doc_id is None else str(doc_id)
    text = record.get(fields.text)
    if not isinstance(text, str):
        problem = "missing" if text is None else f"not a string ({type(text).__name__})"
        reason = f"text field {fields.text!r} {problem}"
        yield Reject(source, number, reason, raw=raw, id=doc_id)
        return
    given = record.get("metadata")
    # A metadata value that is not an object is kept under its own name, not dropped.
    metadata = dict(given) if isinstance(given, dict) else {}
    if given is not None and not isinstance(given, dict):
        metadata["metadata"] = given
    for key, value in record.items():
        if key not in (fields.id, fields.text, "metadata"):
            metadata.setdefault(key, value)
    metadata.setdefault("input", f"{source}:{number}")
    yield Document.from_text(text, id=doc_id, metadata=metadata)


def open_output(path: str | None) -> IO[str]:
    """A text stream for JSONL output: stdout, a file, or a gzip file (``.gz``).

    Lone surrogates (which ill-formed input can carry into metadata or an edit's
    ``before``) are written as ``\\udXXX`` escapes: still valid JSON, and the run goes on.
    """
    if path is None or path == "-":
        return io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", errors="backslashreplace", write_through=True
        )
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if path.lower().endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8", errors="backslashreplace")
    return open(path, "w", encoding="utf-8", errors="backslashreplace")


def write_jsonl(stream: IO[str], record: dict[str, Any]) -> None:
    stream.write(strict_json(record, ensure_ascii=False) + "\n")


def strict_json(value: Any, **options: Any) -> str:
    """``json.dumps``, but strict JSON: Python reads (and writes) ``NaN`` and ``Infinity``,
    which other JSON readers reject, so such a float is written as null, as JavaScript's
    ``JSON.stringify`` writes it. Values without one (nearly all) are encoded once."""
    try:
        return json.dumps(value, allow_nan=False, **options)
    except ValueError:
        return json.dumps(_finite(value), allow_nan=False, **options)


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float (at any depth) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
