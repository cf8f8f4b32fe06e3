"""Reference parsing benchmark: our field accuracy on the labelled corpus in tests/data/references,
side by side with a peer parser (refextract) when it is installed.

refextract is an optional benchmark dependency (`pip install refextract`, done by
`make bench`), never a runtime one. It reports year, title, journal, volume, pages and DOI,
so the comparison is over those fields only.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.references.fields import expand_pages  # noqa: E402
from pipeline.references.stage import parse_by_rules, parse_reference  # noqa: E402
from tests.refeval import FIELDS, _norm, accuracy, load  # noqa: E402

PARTS = ("samples.jsonl", "tuned.jsonl", "heldout.jsonl", "heldout_b.jsonl", "heldout_c.jsonl", "heldout_d.jsonl",
         "heldout_e.jsonl")
PEER_FIELDS = ("year", "title", "container", "volume", "pages", "doi")


def _refextract():
    try:
        from refextract import extract_references_from_string
    except ImportError as error:
        return None, f"refextract is not installed ({error}); `pip install refextract` to compare"
    return extract_references_from_string, ""


def peer_fields(extract, raw: str) -> dict:
    merged: dict[str, str] = {}
    for ref in extract(raw):
        for key in ("year", "title", "journal_title", "journal_volume", "journal_page", "doi"):
            if ref.get(key) and key not in merged:
                merged[key] = ref[key][0]
    doi = merged.get("doi", "")
    return {"year": merged.get("year", ""), "title": merged.get("title", ""),
            "container": merged.get("journal_title", ""), "volume": merged.get("journal_volume", ""),
            "pages": expand_pages(merged.get("journal_page", "")), "doi": doi[4:] if doi.lower().startswith("doi:") else doi}


def median_ms(parse, raws: list[str]) -> float:
    """Median wall time of one call per reference (after one warm-up call that loads any model)."""
    parse(raws[0])
    times = []
    for raw in raws:
        started = time.perf_counter()
        parse(raw)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def speed(entries: list[dict], extract) -> dict:
    """Per-reference parse time: the stage (rules + learned labeller), the rules alone, refextract."""
    raws = [e["raw"] for e in entries]
    ours, rules = median_ms(parse_reference, raws), median_ms(parse_by_rules, raws)
    line = f"median parse time per reference: ours {ours:.2f} ms (rules alone {rules:.2f} ms, x{ours / rules:.1f})"
    figures = {"ours_ms": ours, "rules_ms": rules}
    if extract is not None:
        figures["refextract_ms"] = median_ms(lambda raw: peer_fields(extract, raw), raws)
        line += f", refextract {figures['refextract_ms']:.2f} ms"
    print(line + f"; bar <= 2 ms: {'PASS' if ours <= 2 else 'FAIL'}")
    return figures


def main() -> dict:
    entries = [e for part in PARTS for e in load(part)]
    started = time.perf_counter()
    rates, total, _ = accuracy(entries)
    ours_seconds = time.perf_counter() - started
    ours_subset = [r for f, r in rates.items() if f in PEER_FIELDS]
    print(f"references corpus: {len(entries)} entries")
    print(f"ours: overall field accuracy {total:.3f} over {len(FIELDS)} fields, {ours_seconds * 1000 / len(entries):.2f} ms/entry")
    figures = {"entries": len(entries), "ours_overall": total}
    extract, why = _refextract()
    figures.update(speed(entries, extract))
    if extract is None:
        print(f"refextract: unavailable: {why}")
        return figures
    hits = {f: 0 for f in PEER_FIELDS}
    counted = {f: 0 for f in PEER_FIELDS}
    started = time.perf_counter()
    for entry in entries:
        got = peer_fields(extract, entry["raw"])
        for field in PEER_FIELDS:
            if field in entry["expect"]:
                counted[field] += 1
                hits[field] += _norm(got[field]) == _norm(entry["expect"][field] if entry["expect"][field] is not None else "")
    peer_seconds = time.perf_counter() - started
    print(f"{'field':<10} {'ours':>6} {'refextract':>11}")
    for field in PEER_FIELDS:
        peer = hits[field] / counted[field] if counted[field] else 0.0
        figures[f"refextract_{field}"] = peer
        print(f"{field:<10} {rates.get(field, 0):>6.2f} {peer:>11.2f}")
    peer_total = sum(hits.values()) / max(1, sum(counted.values()))
    print(f"{'overall':<10} {sum(ours_subset) / len(ours_subset):>6.2f} {peer_total:>11.2f}  (same {len(PEER_FIELDS)} fields)")
    print(f"refextract: {peer_seconds * 1000 / len(entries):.2f} ms/entry")
    figures["refextract_overall"] = peer_total
    return figures


if __name__ == "__main__":
    main()
