"""Audit the casing stage on CLEAN text: every case change it makes is a false change.

Optional tool (not a test): the news-only ``clean`` variant of the casing eval does not show
how the stage treats other genres. Sources:

* ``web``: the content lines (label 1) of ../shared/eval/boilerplate/data/text_full.jsonl, one
  document per page, pages langdetect calls English, grouped into rough genres by domain;
* ``genre``: the hand-written texts in fixtures/casing/clean_genres/ (one genre a file);
* ``md``: English markdown shipped on this machine (the .library READMEs), when present.

Each text runs through encoding + boilerplate, then casing; the tokens casing changed are
counted (``[^\\W_]+`` runs with a cased letter, as in the casing scorer) per 1,000 words.
``--changes FILE`` writes every changed token with its rule and context as JSON lines.

Usage: ``PYTHONPATH=src python scripts/audit_casing_clean.py [--changes out.jsonl]``
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from textwash import analyze
from textwash.casing import CasingStage

ROOT = Path(__file__).resolve().parent.parent
BOILERPLATE = Path("/work/shared/eval/boilerplate/data")
LIBRARY = Path("/work/.library")
TOKEN = re.compile(r"[^\W_]+")

#: rough genre of a page by its domain (everything else counts as news)
GENRES = {
    "tech": "wired slashgear gizmodo 9to5mac zdnet theverge macrumors crn my6sense comwrap "
    "ign vg247 expapp",
    "science/health": "space.com sciencealert livescience quantamagazine smithsonianmag "
    "thespacereview healthline",
    "sports": "cbssports sportsnet dawgsbynature autoracing morebikes",
    "business": "cnbc businessinsider forbes foxbusiness moneycontrol pv-magazine ascom "
    "bigbrandsystem wsj lhpat-tm",
    "blog/other": "theantijunecleaver givewell beachbodyondemand vortexcannon inexhibit "
    "snopes politifact",
}


def _genre_of(url: str) -> str:
    host = urlparse(url).netloc
    for genre, hosts in GENRES.items():
        if any(h in host for h in hosts.split()):
            return genre
    return "news"


def web_texts() -> Iterator[tuple[str, str, str]]:
    """(source/genre, id, text) of the English pages' content lines."""
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    urls = {}
    for line in (BOILERPLATE / "html_task.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        urls[record["id"]] = record["url"]
    for line in (BOILERPLATE / "text_full.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        text = "\n".join(x["text"] for x in record["lines"] if x["label"] == 1)
        if text.strip() and detect(text) == "en":
            yield "web/" + _genre_of(urls.get(record["id"], "")), record["id"][:12], text


def genre_texts() -> Iterator[tuple[str, str, str]]:
    for path in sorted((ROOT / "fixtures" / "casing" / "clean_genres").glob("*.txt")):
        yield "genre/" + path.stem, path.stem, path.read_text("utf-8")


def markdown_texts() -> Iterator[tuple[str, str, str]]:
    for path in sorted(LIBRARY.rglob("*.md")):
        yield "md/library", str(path.relative_to(LIBRARY)), path.read_text("utf-8")


def changes(text: str, stage: CasingStage) -> tuple[int, list[dict]]:
    """Words of the text casing saw, and each token casing changed (with rule, context)."""
    doc = analyze(text, stages=["encoding", "boilerplate"])
    before = {p.index: p.text for p in doc.paragraphs}
    stage.apply(doc)
    rules = defaultdict(list)
    for edit in doc.edits:
        if edit.stage == "casing":
            rules[edit.paragraph].append(edit)
    words = sum(len(t.split()) for t in before.values())
    found = []
    for para in doc.paragraphs:
        old, new = before[para.index], para.text
        if old == new:
            continue
        for m in TOKEN.finditer(old):
            if new[m.start() : m.end()] != m.group():
                edits = rules[para.index]
                rule = next(
                    (e.rule for e in edits if m.group() in e.before and len(e.before) < 200),
                    edits[0].rule if edits else "?",
                )
                context = old[max(0, m.start() - 50) : m.end() + 50].replace("\n", " ")
                found.append(
                    {
                        "before": m.group(),
                        "after": new[m.start() : m.end()],
                        "rule": rule,
                        "context": context,
                    }
                )
    return words, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", help="write every changed token here (JSON lines)")
    args = parser.parse_args()
    sources = [genre_texts(), markdown_texts()]
    if BOILERPLATE.exists():
        sources.insert(0, web_texts())
    stage = CasingStage()
    words: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    found_all: list[dict] = []
    for group, doc_id, text in (item for source in sources for item in source):
        n, found = changes(text, stage)
        words[group] += n
        docs[group] += 1
        changed[group] += len(found)
        for change in found:
            by_rule[group][change["rule"]] += 1
            found_all.append({"group": group, "doc": doc_id, **change})
    if args.changes:
        with open(args.changes, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(change) + "\n" for change in found_all)
    print(f"{'source/genre':28s} {'docs':>4s} {'words':>7s} {'changed':>7s} {'per 1k':>7s}  rules")
    for group in sorted(words):
        rate = 1000 * changed[group] / max(words[group], 1)
        rules = ", ".join(f"{r} {n}" for r, n in by_rule[group].most_common())
        counts = f"{docs[group]:4d} {words[group]:7d} {changed[group]:7d}"
        print(f"{group:28s} {counts} {rate:7.2f}  {rules}")
    for prefix in sorted({g.split("/")[0] for g in words}):
        w = sum(v for g, v in words.items() if g.startswith(prefix + "/"))
        c = sum(v for g, v in changed.items() if g.startswith(prefix + "/"))
        print(f"{prefix + ' (all)':28s} {'':4s} {w:7d} {c:7d} {1000 * c / max(w, 1):7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
