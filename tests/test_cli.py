"""The command line, run as a user runs it: a subprocess on temporary files."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RECORD_FIELDS


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "textwash.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.jsonl").write_text(
        '{"id": "j1", "text": "caf&eacute;", "metadata": {"lang": "fr"}, "extra": 1}\n'
        "{not json\n"
        '{"id": "j3", "body": "no text field"}\n'
        '{"id": "j4", "text": "Fine."}\n',
        encoding="utf-8",
    )
    cp1252 = "Cr\u00e8me br\u00fbl\u00e9e \u201cnow\u201d.\n".encode("cp1252")
    (folder / "a.txt").write_bytes(cp1252)
    (folder / "sub" / "page.html").write_text(
        "<html><head><title>T</title></head><body><article><p>"
        + "An extracted paragraph with quite a few words in it. " * 3
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "sub" / "blob.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def test_directory_run_accounts_for_every_document(inputs: Path, tmp_path: Path):
    out = tmp_path / "out" / "clean.jsonl"
    result = run("clean", str(inputs), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = read_jsonl(out)
    # sorted walk: a.txt, b.jsonl (lines 1 and 4 good), sub/blob.txt (rejected), sub/page.html
    assert [r["id"] for r in records] == ["a", "j1", "j4", "page"]
    assert records[0]["text"] == "Crème brûlée “now”."
    assert records[0]["metadata"]["encoding"] == "cp1252"
    assert records[0]["metadata"]["input"].endswith("a.txt")
    assert records[1]["text"] == "café"
    assert records[1]["metadata"]["lang"] == "fr" and records[1]["metadata"]["extra"] == 1
    assert records[3]["text"].startswith("An extracted paragraph")
    for record in records:
        assert list(record) == RECORD_FIELDS

    rejects = read_jsonl(tmp_path / "out" / "clean.rejects.jsonl")
    reasons = {(Path(r["source"]).name, r["line"]): r["reason"] for r in rejects}
    assert reasons[("b.jsonl", 2)].startswith("malformed JSON")
    assert reasons[("b.jsonl", 3)] == "text field 'text' missing"
    assert "binary" in reasons[("blob.txt", None)]
    stderr = result.stderr.decode()
    assert "b.jsonl:2: rejected: malformed JSON" in stderr
    assert "7 documents in: 4 kept" in stderr and "3 rejected" in stderr

    stats = json.loads((tmp_path / "out" / "clean.stats.json").read_text())
    assert stats["documents_in"] == 7
    assert stats["kept"] + stats["dropped"] + stats["rejected"] == 7


def test_strict_fails_on_any_reject(inputs: Path, tmp_path: Path):
    result = run("clean", str(inputs), "-o", str(tmp_path / "o.jsonl"), "--strict")
    assert result.returncode == 1


def test_nothing_processable_is_an_error(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n")
    result = run("clean", str(bad), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 1
    assert "bad.jsonl:1: rejected" in result.stderr.decode()


def test_an_empty_input_folder_is_named_in_a_warning(tmp_path: Path):
    """A folder with nothing to read (a wrong path, say) ended with exit 0 and no word."""
    (tmp_path / "empty" / ".hidden").mkdir(parents=True)
    (tmp_path / "empty" / ".hidden" / "a.txt").write_text("Hidden.\n")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text("Text.\n")
    empty, full = str(tmp_path / "empty"), str(tmp_path / "full")
    result = run("clean", empty, full, "-q", "--stages", "encoding", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.decode() == f"textwash: warning: no input files in {empty}" + (
        " (hidden ones are skipped)\n"
    )
    assert [json.loads(line)["id"] for line in result.stdout.decode().splitlines()] == ["a"]


def test_stdin_jsonl_to_stdout_with_custom_fields(tmp_path: Path):
    stdin = b'{"doc": "x1", "content": "A  b."}\n'
    result = run(
        "clean", "-", "--text-field", "content", "--id-field", "doc", stdin=stdin, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["id"] == "x1" and record["text"] == "A b."


def test_stdin_plain_text_and_text_format(tmp_path: Path):
    result = run(
        "clean", "-", "--format", "text", "-q", stdin=b"caf&eacute; au lait\n", cwd=tmp_path
    )
    assert result.stdout.decode() == "café au lait\n\n"
    assert result.stderr == b""


def test_gzip_in_and_out(tmp_path: Path):
    source = tmp_path / "docs.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write('{"id": 7, "text": "Hello."}\n')
    out = tmp_path / "clean.jsonl.gz"
    assert run("clean", str(source), "-o", str(out)).returncode == 0
    assert read_jsonl(out)[0]["id"] == "7"


def test_stage_selection_and_annotate_only(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text("caf&eacute;\n")
    result = run("clean", str(source), "--stages", "encoding", "--annotate-only", "-q")
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["text"] == "caf&eacute;"
    assert record["edits"][0]["rule"] == "unescape_html"
    assert record["edits"][0]["applied"] is False


def test_bad_config_is_a_usage_error(tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text("[encoding]\nno_such_option = 1\n")
    result = run("clean", "-", "--config", str(config), stdin=b"x")
    assert result.returncode == 2
    assert "unknown option 'no_such_option'" in result.stderr.decode()


def test_bundled_example_runs(fixtures: Path, tmp_path: Path):
    result = run("clean", str(fixtures / "example"), "-o", str(tmp_path / "ex.jsonl"))
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "ex.jsonl")
    assert len(records) == 4
    harbour = next(r for r in records if r["id"] == "harbour-bridge")
    assert "â€" not in harbour["text"] and "&pound;" not in harbour["text"]


def test_workers_give_the_same_output_and_figures(inputs: Path, tmp_path: Path):
    serial, parallel = tmp_path / "serial.jsonl", tmp_path / "parallel.jsonl"
    assert run("clean", str(inputs), "-o", str(serial), "-q").returncode == 0
    assert run("clean", str(inputs), "-o", str(parallel), "-q", "--workers", "2").returncode == 0
    assert serial.read_bytes() == parallel.read_bytes()
    figures = [
        json.loads((tmp_path / f"{n}.stats.json").read_text()) for n in ("serial", "parallel")
    ]
    for key in ("documents_in", "kept", "dropped", "rejected", "edits_per_stage"):
        assert figures[0][key] == figures[1][key]


def test_repeated_lines_are_found_in_a_first_pass(tmp_path: Path):
    body = "The river rose by two metres overnight, and the ferry stopped running at dawn."
    footer = "Sponsored by the Valley Hardware Store on Main Street"
    lines = [
        json.dumps({"id": f"d{n}", "text": f"{body} Day {n}.\n{footer}", "source": "valley"})
        for n in range(4)
    ]
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "o.jsonl"
    result = run("clean", str(source), "-o", str(out), "--repeated-lines", "3")
    assert result.returncode == 0, result.stderr
    for record in read_jsonl(out):
        assert footer not in record["text"] and record["text"].startswith(body)
        assert any(e["rule"] == "repeated_lines" for e in record["edits"])
    assert run("clean", "-", "--repeated-lines", "3", stdin=b"x").returncode == 2


def test_config_command_prints_a_loadable_file_equal_to_the_defaults(tmp_path: Path):
    from textwash.pipeline import Pipeline

    result = run("config")
    assert result.returncode == 0
    config = tmp_path / "default.toml"
    config.write_bytes(result.stdout)
    from_file = Pipeline.from_config(config)
    defaults = Pipeline.from_config()
    assert from_file.names == defaults.names
    for mine, theirs in zip(from_file.stages, defaults.stages, strict=True):
        assert mine.options == theirs.options
    assert b"# Decode HTML entities" in result.stdout


def test_config_command_explains_every_option():
    lines = run("config").stdout.decode("utf-8").splitlines()
    unexplained = [
        line
        for before, line in zip(["", *lines], lines, strict=False)
        if line[:1].isalpha() and " = " in line and not before.startswith("#") and " # " not in line
    ]
    assert unexplained == []


def test_python_dash_m_textwash_is_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "textwash", "clean", "-", "-q", "--format", "text"],
        input=b"One line.",
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert result.stdout.decode().strip() == "One line."


# --- regressions found in review: nothing lost, nothing crashes ------------------------


def test_output_that_is_also_an_input_is_refused_and_left_intact(tmp_path: Path):
    shard = tmp_path / "shard.jsonl"
    shard.write_text('{"id": "a", "text": "Keep me."}\n')
    result = run("clean", str(shard), "-o", str(shard))
    assert result.returncode == 2 and "is an input too" in result.stderr.decode()
    assert shard.read_text() == '{"id": "a", "text": "Keep me."}\n'


def test_output_inside_an_input_folder_is_not_read_back(tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("A short document.\n")
    for _ in range(2):  # the second run finds the first run's output and rejects files
        result = run("clean", str(folder), "-o", str(folder / "out.jsonl"))
        assert result.returncode == 0, result.stderr
        assert [r["id"] for r in read_jsonl(folder / "out.jsonl")] == ["a"]


def test_stdin_jsonl_after_a_blank_line_or_a_bom(tmp_path: Path):
    records = b'{"id": "a", "text": "First."}\n{"id": "b", "text": "Second."}\n'
    for prefix in (b"\n", b"\xef\xbb\xbf"):
        result = run("clean", "-", "-q", stdin=prefix + records, cwd=tmp_path)
        ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
        assert ids == ["a", "b"]


def test_unusual_records_are_kept_or_rejected_but_never_stop_the_run(tmp_path: Path):
    lines = [
        '{"id": "s", "text": "Hello \\ud800 world."}',  # a lone surrogate
        "[" * 100_000 + "]" * 100_000,  # nested too deeply for the parser
        '{"id": "m", "text": "A body.", "metadata": ["not", "a", "dict"]}',
        '{"id": "c", "text": "Photo of a bridge (Reuters)\\nThe bridge reopened on Monday '
        'after a year of repairs to its deck.", "captions": "given"}',
        '{"id": "z", "text": "Last one."}',
    ]
    source = tmp_path / "odd.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "o.jsonl"
    result = run("clean", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in read_jsonl(out)}
    assert list(records) == ["s", "m", "c", "z"]
    assert records["m"]["metadata"]["metadata"] == ["not", "a", "dict"]
    assert records["c"]["metadata"]["captions"][0] == "given"
    (reject,) = read_jsonl(tmp_path / "o.rejects.jsonl")
    assert reject["line"] == 2 and "nested too deeply" in reject["reason"]


def test_nan_and_infinity_in_input_metadata_are_written_as_null(tmp_path: Path):
    """Python's json reads NaN and Infinity and wrote them back: not JSON for other readers."""
    source, out = tmp_path / "a.jsonl", tmp_path / "o.jsonl"
    source.write_text('{"id": "a", "text": "Fine.", "x": NaN, "metadata": {"w": [1, -Infinity]}}\n')
    assert run("clean", str(source), "-o", str(out), "--stages", "encoding").returncode == 0
    line = out.read_text()
    record = json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the output"))
    assert record["metadata"]["x"] is None and record["metadata"]["w"] == [1, None]
    assert record["text"] == "Fine."


def test_text_read_as_html_is_kept(tmp_path: Path):
    """--input-format html on text without a tag dropped it: 'no main text found in HTML'."""
    stdin = b"Plain words, no markup at all. Two sentences.\n\nA second paragraph.\n"
    result = run(
        "clean", "-", "--input-format", "html", "--stages", "encoding", stdin=stdin, cwd=tmp_path
    )
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert not record["dropped"] and record["text"].startswith("Plain words")
    assert record["edits"][0]["rule"] == "not_html"


def test_corrupt_gzip_is_a_reject_not_a_crash(tmp_path: Path):
    good = gzip.compress(b'{"id": "a", "text": "Fine."}\n' * 200)
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(good[:40] + bytes(b ^ 0xFF for b in good[40:60]) + good[60:])
    result = run("clean", str(broken), "-o", str(tmp_path / "o.jsonl"))
    assert "Traceback" not in result.stderr.decode()
    assert (tmp_path / "o.rejects.jsonl").exists()


def test_gzipped_html_pages_are_read(tmp_path: Path):
    page = "<html><body><article><p>" + "A paragraph of the story. " * 8 + "</p></article>"
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page.encode()))
    result = run("clean", str(tmp_path / "page.html.gz"), "-q")
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["id"] == "page" and record["text"].startswith("A paragraph of the story.")


def test_symlinked_folders_are_walked_once(tmp_path: Path):
    top, other = tmp_path / "top", tmp_path / "other"
    top.mkdir()
    other.mkdir()
    (top / "a.txt").write_text("First document.\n")
    (other / "b.txt").write_text("Second document.\n")
    (top / "link").symlink_to(other)
    (other / "loop").symlink_to(top)  # a cycle must end
    result = run("clean", str(top), "-q")
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert ids == ["a", "b"]


def test_workers_keep_rejects_in_input_order(inputs: Path, tmp_path: Path):
    for name, extra in (("serial", []), ("parallel", ["-j", "2"])):
        assert (
            run("clean", str(inputs), "-o", str(tmp_path / f"{name}.jsonl"), *extra).returncode == 0
        )
    serial = (tmp_path / "serial.rejects.jsonl").read_text()
    assert serial == (tmp_path / "parallel.rejects.jsonl").read_text()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[pipeline]\nannotate_only = "false"\n', "annotate_only must be true or false"),
        ('[pipeline]\nstages = "encoding"\n', "stages must be a list"),
    ],
)
def test_pipeline_table_types_are_checked(tmp_path: Path, config: str, message: str):
    path = tmp_path / "c.toml"
    path.write_text(config)
    result = run("clean", "-", "--config", str(path), stdin=b"x")
    assert result.returncode == 2 and message in result.stderr.decode()


def test_repeated_lines_needs_at_least_two_documents(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text("Text.\n")
    result = run("clean", str(source), "--repeated-lines", "1")
    assert result.returncode == 2 and "N >= 2" in result.stderr.decode()


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_workers_below_one_are_refused(tmp_path: Path, workers: str):
    """'-j 0' (or a negative -j) ran serially without a word."""
    result = run("clean", "-", "-j", workers, stdin=b"x", cwd=tmp_path)
    assert result.returncode == 2
    assert f"-j/--workers N needs N >= 1, not {workers}" in result.stderr.decode()


def test_stdout_redirected_into_an_input_folder_is_not_read_back(tmp_path: Path):
    """`textwash clean . > out.jsonl` read its own growing output without end."""
    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": "A short document."}\n')
    with open(tmp_path / "z.jsonl", "wb") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "textwash.cli", "clean", ".", "-q"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in read_jsonl(tmp_path / "z.jsonl")] == ["a"]


def test_appending_stdout_to_an_input_is_refused(tmp_path: Path):
    shard = tmp_path / "shard.jsonl"
    shard.write_text('{"id": "a", "text": "Keep me."}\n')
    with open(shard, "ab") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "textwash.cli", "clean", str(shard)],
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert result.returncode == 2 and "stdout is an input too" in result.stderr.decode()
    assert shard.read_text() == '{"id": "a", "text": "Keep me."}\n'


def test_repeated_lines_refuses_a_pipe_that_can_be_read_only_once(tmp_path: Path):
    """The first pass used to drain a FIFO and the second found nothing: every document lost."""
    fifo = tmp_path / "docs.jsonl"
    os.mkfifo(fifo)
    result = run("clean", str(fifo), "--repeated-lines", "2")
    assert result.returncode == 2 and f"cannot read {fifo}" in result.stderr.decode()


def test_an_output_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path: Path):
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "a", "text": "Fine."}\n')
    result = run("clean", str(source), "-o", str(tmp_path))  # a folder
    assert result.returncode == 2 and "cannot write" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
    # a stats file in a folder that does not exist yet is made like the output's
    stats = tmp_path / "new" / "s.json"
    result = run("clean", str(source), "-o", str(tmp_path / "o.jsonl"), "--stats", str(stats))
    assert result.returncode == 0, result.stderr
    assert json.loads(stats.read_text())["kept"] == 1


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path):
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "a", "text": "A line of text to clean."}\n' * 3000)
    command = [sys.executable, "-m", "textwash.cli", "clean", str(source), "-q"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()  # `| head -1`
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


def test_an_upper_case_gz_suffix_is_gunzipped_like_a_lower_case_one(tmp_path: Path):
    """DOCS.JSONL.GZ was taken for JSONL by name but read as plain bytes: all lines rejected."""
    shard = tmp_path / "DOCS.JSONL.GZ"
    shard.write_bytes(gzip.compress(b'{"id": "a", "text": "Fine."}\n'))
    result = run("clean", str(shard), "-q", "--stages", "encoding", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.decode().splitlines()] == ["a"]
    out = tmp_path / "OUT.JSONL.GZ"  # and written gzipped
    assert run("clean", str(shard), "-q", "-o", str(out), cwd=tmp_path).returncode == 0
    assert json.loads(gzip.decompress(out.read_bytes()))["id"] == "a"


def test_a_rerun_without_rejects_leaves_no_stale_rejects_file(tmp_path: Path):
    """The rejects file of an earlier run stayed beside the new output, listing old rejects."""
    source, out = tmp_path / "a.jsonl", tmp_path / "o.jsonl"
    source.write_text('{"id": "a", "text": "Fine."}\n{broken\n')
    assert run("clean", str(source), "-o", str(out)).returncode == 0
    assert (tmp_path / "o.rejects.jsonl").exists()
    source.write_text('{"id": "a", "text": "Fine."}\n')  # fixed
    assert run("clean", str(source), "-o", str(out)).returncode == 0
    assert not (tmp_path / "o.rejects.jsonl").exists()


def test_a_rejected_crlf_line_is_kept_without_its_line_ending(tmp_path: Path):
    source = tmp_path / "a.jsonl"
    source.write_bytes(b'{"id": "a", "text": "Fine."}\r\n{broken\r\n')
    result = run("clean", str(source), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 0, result.stderr
    (reject,) = read_jsonl(tmp_path / "o.rejects.jsonl")
    assert reject["line"] == 2 and reject["raw"] == "{broken"


def test_stdin_named_twice_is_refused(tmp_path: Path):
    """The second '-' read an empty stream and wrote an empty 'stdin' document."""
    result = run("clean", "-", "-", stdin=b'{"id": "a", "text": "Fine."}\n', cwd=tmp_path)
    assert result.returncode == 2 and "stdin (-) can be read only once" in result.stderr.decode()


@pytest.mark.parametrize(
    ("flag", "stage"), [(["--lang", "en"], "language"), (["--repeated-lines", "2"], "boilerplate")]
)
def test_a_flag_for_a_stage_that_does_not_run_is_refused(tmp_path: Path, flag, stage):
    """'--lang en --stages encoding' kept every language, silently."""
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "a", "text": "Der Rat hat am Montag abgestimmt."}\n')
    result = run("clean", str(source), *flag, "--stages", "encoding", cwd=tmp_path)
    assert result.returncode == 2
    assert f"needs the {stage} stage, which is not selected" in result.stderr.decode()


def test_an_unknown_language_code_is_refused(tmp_path: Path):
    """'--lang english' dropped every document: no detection ever says 'english'."""
    result = run("clean", "-", "--lang", "english,de", stdin=b"x", cwd=tmp_path)
    message = result.stderr.decode()
    assert result.returncode == 2 and "--lang: unknown language code 'english'" in message
    assert "de, el, en," in message and "zh-cn" in message
    ok = run("clean", "-", "--lang", "EN,zh", "-q", stdin=b"The council met.", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("flag", ["--rejects", "--stats"])
def test_rejects_or_stats_over_the_output_is_refused(tmp_path: Path, flag: str):
    """--rejects (or --stats) naming the output overwrote the documents or the rejects."""
    source, out = tmp_path / "a.jsonl", tmp_path / "o.jsonl"
    source.write_text('{"id": "a", "text": "Fine."}\n{broken\n')
    result = run("clean", str(source), "-o", str(out), flag, str(out))
    assert result.returncode == 2 and "must be different files" in result.stderr.decode()


def test_main_called_twice_in_one_process_leaves_stdout_open(tmp_path: Path):
    """Its stdout wrapper, once garbage, closed sys.stdout: the caller's next print failed."""
    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": "Fine."}\n')
    script = (
        "from textwash.cli import main\n"
        "for _ in range(2):\n"
        "    main(['clean', 'a.jsonl', '-q', '--stages', 'encoding'])\n"
        "print('still open')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines[:2]] == ["a", "a"]
    assert lines[2:] == ["still open"]
