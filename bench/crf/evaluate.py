"""Journal-article field accuracy on AnyStyle's held-out part: rules vs CRF (dev script)."""
from __future__ import annotations

import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from anystyle_data import gold_fields, is_held_out, is_untouched, load_sequences, raw_and_spans  # noqa: E402

FIELDS = ("first_author", "year", "title", "journal", "volume", "issue", "first_page")
CORE = ("first_author", "year", "title", "journal", "volume", "first_page")


def norm(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).casefold()
    text = re.sub(r"^(?:in|dans)\s*:?\s+", "", text)
    text = re.sub(r"[\"'“”‘’«»„‚`´*]", "", text)
    return " ".join(text.split()).strip(" .,;:")


def got(reference) -> dict:
    return {"first_author": reference.authors[0].family if reference.authors else "",
            "year": str(reference.year or ""), "title": reference.title, "journal": reference.container,
            "volume": reference.volume, "issue": reference.issue,
            "first_page": re.split(r"[-–]", reference.pages)[0] if reference.pages else ""}


def score(parse, entries, verbose=0):
    hits = {f: 0 for f in FIELDS}
    all_core = parsed = parsed_right = 0
    times, misses = [], []
    for raw, gold in entries:
        started = time.perf_counter()
        reference = parse(raw)
        times.append(time.perf_counter() - started)
        mine = got(reference)
        ok = {f: norm(mine[f]) == norm(gold[f]) for f in FIELDS}
        for f in FIELDS:
            hits[f] += ok[f]
        right = all(ok[f] for f in CORE)
        all_core += right
        if reference.parse_status.value == "parsed":
            parsed += 1
            parsed_right += right
        if not right:
            misses.append((raw, {f: (mine[f], gold[f]) for f in CORE if not ok[f]}, reference.parse_status.value))
    n = len(entries)
    print(f"  n={n} all-core {all_core / n:.3f}  " + " ".join(f"{f} {hits[f] / n:.3f}" for f in FIELDS))
    print(f"  parsed {parsed} of {n}, of which fully right {parsed_right / max(parsed, 1):.3f};"
          f" median {statistics.median(times) * 1000:.2f} ms")
    for raw, wrong, status in misses[:verbose]:
        print(f"   [{status}] {raw[:140]}\n        {wrong}")
    return all_core / n


def held_out_journal(part=is_held_out):
    """(raw, gold fields) of the journal articles of one AnyStyle part (the re-read dev part by default)."""
    out = []
    for index, pieces in enumerate(load_sequences()):
        if part(index) and any(label == "journal" for label, _ in pieces):
            out.append((raw_and_spans(pieces)[0], gold_fields(pieces)))
    return out


def untouched(parse) -> None:
    """The second round's untouched parts (bench/crf/SPLIT.md), figures only: never print their misses."""
    print("AnyStyle untouched journal articles (index % 10 == 1):")
    score(parse, held_out_journal(is_untouched))
    try:
        from styled import untouched_entries
    except ImportError:
        return
    print("recombined records (title hash in the held-out fifth) in held-out CSL styles (never trained on):")
    score(parse, untouched_entries())


def project(parse):
    sys.path.insert(0, str(HERE.parents[1]))
    from tests.refeval import accuracy, compare, load
    for part in ("samples.jsonl", "tuned.jsonl", "heldout.jsonl", "heldout_b.jsonl", "heldout_c.jsonl",
                 "heldout_d.jsonl", "heldout_e.jsonl"):
        entries = load(part)
        rates, total, wrong = accuracy(entries, parse)
        full = sum(all(compare(e, parse).values()) for e in entries)
        print(f"  {part:<18} overall {total:.3f} fully right {full}/{len(entries)}  "
              + " ".join(f"{k} {v:.2f}" for k, v in sorted(rates.items()) if v < 1))


def report(verbose: int = 0, read_untouched: bool = False) -> None:
    from pipeline.references.stage import parse_by_rules, parse_reference

    entries = held_out_journal()
    print("AnyStyle held-out journal articles (index % 5 == 4), rules alone:")
    score(parse_by_rules, entries)
    print("AnyStyle held-out journal articles, rules + learned labeller (parse_reference):")
    score(parse_reference, entries, verbose)
    if read_untouched:
        untouched(parse_reference)
    print("project corpus (tests/data/references), rules alone:")
    project(parse_by_rules)
    print("project corpus, rules + learned labeller (samples and tuned trained on; heldout* never):")
    project(parse_reference)


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
