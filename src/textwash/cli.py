"""The ``textwash`` command: a pre-processing step for data pipelines (JSONL in, JSONL out)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import __version__
from .boilerplate import BoilerplateStage, RepeatedLineIndex
from .config import default_config_toml, load_config
from .document import Document
from .io import JsonlFields, Reject, iter_inputs, open_output, strict_json, write_jsonl
from .language import check_languages
from .pipeline import Pipeline, StageError, Stats
from .registry import STAGES
from .stage import ConfigError

EXAMPLES = """examples:
  textwash clean fixtures/example -o out/clean.jsonl
  textwash clean corpus.jsonl.gz --stages encoding,boilerplate -o clean.jsonl.gz
  cat docs.jsonl | textwash clean - --text-field content > clean.jsonl
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textwash",
        description="Clean scraped article text; every change is logged.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"textwash {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    clean = commands.add_parser(
        "clean",
        help="clean documents and write one JSONL record per input document",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands.add_parser(
        "config", help="print the full default configuration (TOML) with every option explained"
    )
    clean.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=".txt, .html/.htm, .jsonl/.jsonl.gz file, directory (recursive), or - for stdin",
    )
    clean.add_argument("-o", "--output", help="output file (.jsonl or .jsonl.gz); default stdout")
    clean.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
    clean.add_argument(
        "--stages",
        help=f"comma-separated stages to run, in order (known: {','.join(STAGES)})",
    )
    clean.add_argument("--config", help="TOML config file with [pipeline] and per-stage tables")
    clean.add_argument("--annotate-only", action="store_true", help="record, don't change text")
    clean.add_argument("--lang", help="keep only documents in these languages, e.g. en,de")
    clean.add_argument("--text-field", default="text", help="JSONL field holding the text")
    clean.add_argument("--id-field", default="id", help="JSONL field holding the id")
    clean.add_argument(
        "--input-format",
        choices=["auto", "text", "html", "jsonl"],
        default="auto",
        help="how to read inputs (auto: by file name; stdin: JSONL if it starts with '{')",
    )
    clean.add_argument("--rejects", help="where bad records go (default: beside the output)")
    clean.add_argument("--stats", help="JSON stats file (default: beside the output)")
    clean.add_argument(
        "--repeated-lines",
        type=int,
        metavar="N",
        help="two passes: drop lines found in at least N documents of the same source",
    )
    clean.add_argument(
        "--repeated-lines-key",
        default="source",
        metavar="KEY",
        help="metadata key naming a document's source (site); default 'source'",
    )
    clean.add_argument(
        "-j", "--workers", type=int, default=1, help="worker processes (output order is kept)"
    )
    clean.add_argument("--strict", action="store_true", help="exit 1 if any input is rejected")
    clean.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "config":
        print(default_config_toml(), end="")
        return 0
    try:
        _refuse_output_over_input(args)
        spec = _spec_from_args(args)
        pipeline = spec.build()
        _require_stages(args, pipeline.names)
        if args.repeated_lines:
            spec = _index_repeated_lines(args, spec)
            pipeline = spec.build()
    except ConfigError as exc:
        print(f"textwash: {exc}", file=sys.stderr)
        return 2
    try:
        return run_clean(args, spec, pipeline)
    except BrokenPipeError:  # the reader went away (`| head`): stop as `yes | head` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141
    except OSError as exc:  # inputs become rejects, so this is an output that cannot be written
        where = exc.filename or "output"
        print(f"textwash: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2


@dataclass(frozen=True)
class PipelineSpec:
    """What a pipeline is built from; picklable, so worker processes can build their own."""

    config: dict[str, Any]
    stages: list[str] | None
    annotate_only: bool | None
    repeated_lines: RepeatedLineIndex | None = None

    def build(self) -> Pipeline:
        pipeline = Pipeline.from_config(
            self.config, stages=self.stages, annotate_only=self.annotate_only
        )
        for stage in pipeline.stages:
            if isinstance(stage, BoilerplateStage):
                stage.repeated_lines = self.repeated_lines
        return pipeline


def _spec_from_args(args: argparse.Namespace) -> PipelineSpec:
    if args.paths.count("-") > 1:  # the second would find it empty: a document that never was
        raise ConfigError("stdin (-) can be read only once")
    if args.workers < 1:  # would run serially: a typo, or a hope for "all cores" it does not keep
        raise ConfigError(f"-j/--workers N needs N >= 1, not {args.workers}")
    config: dict[str, Any] = load_config(args.config)
    if args.lang:
        if "language" not in STAGES:
            raise ConfigError("--lang needs the language stage, which this build lacks")
        languages = [code.strip() for code in args.lang.split(",") if code.strip()]
        check_languages(languages, "--lang")
        config.setdefault("language", {})["keep_languages"] = languages
    if args.repeated_lines is not None:
        if args.repeated_lines < 2:
            raise ConfigError("--repeated-lines N needs N >= 2 (every line is in its own document)")
        # Stdin, a pipe or a FIFO can be read once only: the second pass would find nothing.
        once = [p for p in args.paths if p == "-" or _is_stream(p)]
        if once:
            what = "stdin" if once[0] == "-" else once[0]
            raise ConfigError(f"--repeated-lines reads the inputs twice; it cannot read {what}")
        config.setdefault("boilerplate", {})["repeated_lines_min_docs"] = args.repeated_lines
    stages = [s.strip() for s in args.stages.split(",") if s.strip()] if args.stages else None
    return PipelineSpec(config, stages, args.annotate_only or None)


def _require_stages(args: argparse.Namespace, names: list[str]) -> None:
    """--lang and --repeated-lines set a stage's options: without the stage they did nothing."""
    for flag, given, stage in (
        ("--lang", args.lang, "language"),
        ("--repeated-lines", args.repeated_lines, "boilerplate"),
    ):
        if given and stage not in names:
            selected = ",".join(names)
            raise ConfigError(f"{flag} needs the {stage} stage, which is not selected ({selected})")


def _is_stream(path: str) -> bool:
    """An existing input that is neither a file nor a folder: a pipe, FIFO or device."""
    return os.path.exists(path) and not (os.path.isfile(path) or os.path.isdir(path))


def _own_files(args: argparse.Namespace) -> list[str | int]:
    """The files this run writes: output, rejects and stats, and stdout (as its file
    descriptor) when it goes to the terminal or a shell redirection (``> out.jsonl``)."""
    paths = (
        args.output,
        _sidecar(args.output, args.rejects, ".rejects.jsonl") or "textwash.rejects.jsonl",
        _sidecar(args.output, args.stats, ".stats.json"),
    )
    own: list[str | int] = [path for path in paths if path and path != "-"]
    if not args.output or args.output == "-":
        with contextlib.suppress(AttributeError, OSError, ValueError):  # no file behind it
            own.append(sys.stdout.fileno())
    return own


def _refuse_output_over_input(args: argparse.Namespace) -> None:
    """Opening the output truncates it, appending to an input never ends: it must not be
    one of the inputs, nor the rejects or stats file (each would overwrite the other)."""
    own = _own_files(args)
    named = [os.path.realpath(path) for path in own if isinstance(path, str)]
    if len(set(named)) < len(named):
        raise ConfigError("output, rejects and stats must be different files")
    existing = [path for path in own if os.path.exists(path)]
    for path in args.paths:
        if path != "-" and os.path.isfile(path):
            for output in existing:
                if os.path.samefile(path, output):
                    name = "stdout" if isinstance(output, int) else output
                    raise ConfigError(f"{name} is an input too: writing would destroy it")


def _index_repeated_lines(args: argparse.Namespace, spec: PipelineSpec) -> PipelineSpec:
    """First pass: count in how many documents of each source every line occurs.

    Lines are counted as the boilerplate stage will see them: after HTML extraction and
    encoding repair. Only 64-bit hashes are kept, so memory grows with distinct lines, not
    with text.
    """
    index = RepeatedLineIndex(key=args.repeated_lines_key)
    first_pass = Pipeline.from_config(spec.config, stages=["html", "encoding"])
    fields = JsonlFields(text=args.text_field, id=args.id_field)
    for item in iter_inputs(args.paths, fields, args.input_format, exclude=_own_files(args)):
        if isinstance(item, Document):
            try:
                index.add(first_pass(item))
            except StageError:
                continue  # the second pass rejects it, with its reason
    return dataclasses.replace(spec, repeated_lines=index)


def _sidecar(output: str | None, explicit: str | None, suffix: str) -> str | None:
    """``out.jsonl`` -> ``out.rejects.jsonl`` / ``out.stats.json``; None for stdout."""
    if explicit:
        return explicit
    if not output or output == "-":
        return None
    name = output
    for ending in (".gz", ".jsonl", ".txt"):
        name = name.removesuffix(ending)
    return name + suffix


class _Rejects:
    """The rejects file, opened on the first reject only. An earlier run's is removed first:
    beside this run's output it would list rejects this run did not have."""

    def __init__(self, path: str | None) -> None:
        self.path = path or "textwash.rejects.jsonl"
        self._stream: IO[str] | None = None
        if os.path.isfile(self.path):
            os.remove(self.path)

    def write(self, reject: Reject) -> None:
        if self._stream is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._stream = open(self.path, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115 (closed in close())
        write_jsonl(self._stream, reject.to_dict())

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = self.last = time.monotonic()

    def update(self, documents: int, characters: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = documents / max(now - self.start, 1e-9)
        megabytes = characters / 1e6
        print(
            f"\r{documents} docs, {megabytes:.1f} M chars, {rate:.0f} docs/s",
            end="",
            file=sys.stderr,
        )

    def close(self) -> None:
        if self.enabled:
            print("\r\033[K", end="", file=sys.stderr)


def run_clean(args: argparse.Namespace, spec: PipelineSpec, pipeline: Pipeline) -> int:
    fields = JsonlFields(text=args.text_field, id=args.id_field)
    rejects = _Rejects(_sidecar(args.output, args.rejects, ".rejects.jsonl"))
    stats_path = _sidecar(args.output, args.stats, ".stats.json")
    progress = _Progress(enabled=not args.quiet)
    characters = 0
    output = open_output(args.output)
    try:
        items = iter_inputs(
            args.paths, fields, args.input_format, _own_files(args), on_empty=_warn_empty
        )
        if args.workers > 1:
            outcomes = _process_in_workers(items, spec, pipeline, args.workers)
        else:
            outcomes = (_process_one(pipeline, item) for item in items)
        for item in outcomes:
            if isinstance(item, Reject):
                print(item.message(), file=sys.stderr)
                rejects.write(item)
                continue
            characters += sum(len(p.text) for p in item.paragraphs)
            if args.format == "jsonl":
                write_jsonl(output, item.to_dict())
            elif not item.dropped:
                output.write(item.text.rstrip("\n") + "\n\n")
            progress.update(pipeline.stats.documents_in, characters)
    finally:
        progress.close()
        rejects.close()
        if args.output and args.output != "-":
            output.close()
        else:  # flushed and let go: closing it would close sys.stdout for the caller too
            output.detach()
    stats = pipeline.stats
    if stats_path:
        Path(stats_path).parent.mkdir(parents=True, exist_ok=True)
        Path(stats_path).write_text(strict_json(stats.to_dict(), indent=2) + "\n")
    if not args.quiet:
        print(f"textwash: {stats.summary()}", file=sys.stderr)
        if stats.rejected:
            print(f"textwash: rejects written to {rejects.path}", file=sys.stderr)
    processed = stats.kept + stats.dropped
    if stats.rejected and (args.strict or processed == 0):
        return 1
    return 0


def _warn_empty(folder: str) -> None:
    """An input folder with nothing to read is no error (a shard can be empty), but it is
    often a wrong path: said once, even under -q, like a reject."""
    print(
        f"textwash: warning: no input files in {folder} (hidden ones are skipped)", file=sys.stderr
    )


def _process_one(pipeline: Pipeline, item: Document | Reject) -> Document | Reject:
    """Run one document; an input reject is counted and passed on; a stage failure
    rejects that document only. Rejects travel with the documents, so they come out in
    input order on one thread, however many workers run."""
    if isinstance(item, Reject):
        pipeline.record_reject()
        return item
    try:
        return pipeline(item)
    except StageError as exc:
        pipeline.record_reject()
        where = str(exc.doc.metadata.get("input", "<input>"))
        source, _, line = where.rpartition(":")
        if not (source and line.isdigit()):
            source, line = where, ""
        return Reject(source, int(line) if line else None, str(exc), id=exc.doc.id)


_worker_pipeline: Pipeline | None = None


def _start_worker(spec: PipelineSpec) -> None:
    global _worker_pipeline
    _worker_pipeline = spec.build()


def _work(item: Document | Reject) -> tuple[Document | Reject, Stats]:
    assert _worker_pipeline is not None, "worker not started"
    outcome = _process_one(_worker_pipeline, item)
    return outcome, _worker_pipeline.fresh_stats()


def _process_in_workers(
    items: Iterator[Document | Reject], spec: PipelineSpec, pipeline: Pipeline, workers: int
) -> Iterator[Document | Reject]:
    """Like the serial loop, on several processes; order is kept, figures are merged."""
    with multiprocessing.Pool(workers, initializer=_start_worker, initargs=(spec,)) as pool:
        for outcome, stats in pool.imap(_work, items, chunksize=8):
            pipeline.stats.merge(stats)
            yield outcome


if __name__ == "__main__":
    sys.exit(main())
