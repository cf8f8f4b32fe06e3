"""`make audit`: a terminal summary of what needs a reviewer's attention.

Consumes the tables of a finished run in the out folder (`references.csv`, `claims.csv`,
`blocks.csv` and, when present, `orphaned_reviews.csv`); produces plain text grouped by article, with
counts: articles that kept no text (with blocks.csv's reason), references not verified (by verdict,
with the mismatched fields or the note, and for a `mismatch` or `misattributed` one the corrected
citation in the article's style),
references no claim links to (once linking runs), retracted or corrected references, unsupported claims, claims resting on a reference that
was not found or is misattributed, claims with scraping damage, and reviews marked
disputed / needs_source or with an invalid status. It reads the CSVs instead of running
anything, so it is instant and shows what a reviewer sees in the tables.

Scraped text is untrusted here too: control characters (terminal escape sequences) and
bidirectional overrides are taken out before anything is printed.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.outputs.reviews import allow_long_cells, read_reviews
from pipeline.outputs.csv_tables import CSV_ENCODING, unneutralise

ATTENTION_VERDICTS = ("misattributed", "not_found", "mismatch", "unchecked")
SHAKY_VERDICTS = ("not_found", "misattributed")
FLAWED_VERDICTS = ("mismatch", "misattributed")  # identified works cited wrongly: a corrected citation to print
SHOW_AT_MOST = 5
EMPTY_REASON = "no article text kept: "  # the reason of the blocks.csv row the HTML ingest adds to such an article
# C0/C1 controls (ESC starts terminal escape sequences) and the bidi overrides/isolates
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    allow_long_cells()  # a 174 KB reference entry or a 1 MB title is a cell the pipeline wrote
    with open(path, encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def clean(text: str, width: int = 100) -> str:
    """One line of printable text, at most `width` characters."""
    text = " ".join(UNSAFE.sub(" ", unneutralise(text or "")).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _listing(lines: list[str], label: str, rows: list[dict], describe, table: str) -> None:
    if not rows:
        return
    lines.append(f"   {label} ({len(rows)}):")
    for row in rows[:SHOW_AT_MOST]:
        lines.append("     " + describe(row))
    if len(rows) > SHOW_AT_MOST:
        lines.append(f"     … and {len(rows) - SHOW_AT_MOST} more in {table}")


def _reference_line(ref: dict) -> str:
    detail = ref.get("mismatched_fields") or ref.get("note") or ""
    line = (f"{clean(ref.get('ref_id', ''), 8)} line {clean(ref.get('source_line', ''), 8)}: "
            f"{clean(ref.get('raw', ''), 80)}" + (f"  [{clean(detail, 70)}]" if detail else ""))
    if ref.get("corrected_citation") and (ref.get("verdict") or "") in FLAWED_VERDICTS:
        # the whole corrected citation, to copy into the article
        line += f"\n       corrected ({clean(ref.get('style', ''), 24)}): {clean(ref['corrected_citation'], 1000)}"
    return line


def _other_corrections(lines: list[str], rows: list[dict]) -> None:
    """The corrected citations of the flawed references past the listing's first few: every
    flawed reference's fix is printed, however many there are."""
    rows = [r for r in rows if r.get("corrected_citation")]
    if rows:
        lines.append(f"     corrected citations of the other {len(rows)}:")
        lines.extend(f"       {clean(r.get('ref_id', ''), 8)} line {clean(r.get('source_line', ''), 8)}: "
                     f"{clean(r['corrected_citation'], 1000)}" for r in rows)


def _claim_line(*detail_columns: str):
    """Describes a claims.csv row by its line and sentence, plus the given columns when filled."""
    def describe(row: dict) -> str:
        detail = ": ".join(clean(row.get(c, ""), 60) for c in detail_columns if row.get(c))
        return (f"line {clean(row.get('source_line', ''), 8)}: {clean(row.get('sentence', ''))}"
                + (f"  [{detail}]" if detail else ""))
    return describe


def _article_findings(lines: list[str], totals: Counter, article: str, refs: list[dict], sentences: list[dict],
                      linked: bool, counted_links: bool) -> None:
    """One article's section of the summary, adding its counts to `totals`."""
    art_claims = [c for c in sentences if c.get("is_claim") == "true"]
    lines.append(f"== {clean(article)}: {len(art_claims)} claims in {len(sentences)} sentences, "
                 f"{len(refs)} references")
    verdicts = Counter(r.get("verdict") or "unchecked" for r in refs)
    if refs:
        lines.append("   verdicts: " + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
    for verdict in ATTENTION_VERDICTS:
        flagged = [r for r in refs if (r.get("verdict") or "unchecked") == verdict]
        totals[f"references {verdict}"] += len(flagged)
        _listing(lines, f"references {verdict}", flagged, _reference_line, "references.csv")
        _other_corrections(lines, flagged[SHOW_AT_MOST:] if verdict in FLAWED_VERDICTS else [])
    if counted_links:
        unused = [r for r in refs if r.get("linked_claims") == "0"]
        totals["references no claim links to"] += len(unused)
        _listing(lines, "references no claim links to", unused, _reference_line, "references.csv")
    updated = [r for r in refs if r.get("retracted") == "true" or r.get("update_notice")]
    totals["references retracted"] += sum(1 for r in updated if r.get("retracted") == "true")
    _listing(lines, "references retracted or with an update notice", updated,
             lambda r: (("RETRACTED " if r.get("retracted") == "true" else "updated ")
                        + f"{clean(r.get('ref_id', ''), 8)}: {clean(r.get('update_notice', ''), 80)}"),
             "references.csv")
    if linked:
        unsupported = [c for c in art_claims if c.get("support") == "unsupported"]
        shaky = [c for c in art_claims if c.get("best_ref_verdict") in SHAKY_VERDICTS]
        totals["claims unsupported"] += len(unsupported)
        totals["claims resting on a not_found/misattributed reference"] += len(shaky)
        _listing(lines, "unsupported claims", unsupported, _claim_line(), "claims.csv")
        _listing(lines, "claims resting on a not_found/misattributed reference", shaky,
                 _claim_line("linked_refs", "best_ref_verdict"), "claims.csv")
    damaged = [c for c in sentences if c.get("scrape_damage")]
    totals["sentences with scraping damage"] += len(damaged)
    _listing(lines, "sentences with scraping damage", damaged, _claim_line("scrape_damage"), "claims.csv")
    reviewed = [c for c in sentences if unneutralise(c.get("review_status", "")).strip().lower()
                in ("disputed", "needs_source")]
    totals["claims reviewed disputed or needs_source"] += len(reviewed)
    _listing(lines, "claims reviewed disputed or needs_source", reviewed,
             _claim_line("review_status", "reviewer_note"), "claims.csv")


def summarise(out_dir: Path) -> str:
    """The audit summary text for the tables in `out_dir`."""
    references = _read(out_dir / "references.csv")
    claims = _read(out_dir / "claims.csv")
    if not references and not claims and not _read(out_dir / "blocks.csv"):
        return f"No results in {out_dir}: run `make run` (or `python -m pipeline run --out {out_dir}`) first."
    # an article that kept no text has no claims, often no references: its row says why (blocks.csv)
    empty = {row.get("article", ""): row.get("reason", "")[len(EMPTY_REASON):] for row in _read(out_dir / "blocks.csv")
             if row.get("reason", "").startswith(EMPTY_REASON)}
    refs_by: dict[str, list[dict]] = defaultdict(list)
    claims_by: dict[str, list[dict]] = defaultdict(list)
    for row in references:
        refs_by[row.get("article", "")].append(row)
    for row in claims:
        claims_by[row.get("article", "")].append(row)
    linked = any(row.get("support") for row in claims)
    counted_links = any(row.get("linked_claims") for row in references)  # filled once linking runs
    _, review_problems = read_reviews(out_dir / "claims.csv")

    lines: list[str] = []
    totals: Counter = Counter()
    for article in sorted(set(refs_by) | set(claims_by) | set(empty)):
        header = len(lines)
        _article_findings(lines, totals, article, refs_by[article], claims_by[article], linked, counted_links)
        if article in empty:  # right under the article's header line
            totals["articles that kept no text"] += 1
            lines.insert(header + 1, f"   no article text kept: {clean(empty[article], 200)}")
        lines.append("")

    lines.append("== needs attention, all articles")
    for label, count in totals.items():
        lines.append(f"   {label}: {count}")
    if not linked:
        lines.append("   claims unsupported: not known (claims.csv has no support values: linking did not run)")
    if review_problems:
        lines.append(f"   invalid review_status values: {len(review_problems)}")
        lines.extend(f"     {clean(p, 160)}" for p in review_problems)
    orphans = _read(out_dir / "orphaned_reviews.csv")
    if orphans:
        lines.append(f"   orphaned reviews (claim no longer in its article): {len(orphans)} in orphaned_reviews.csv")
    return "\n".join(lines)
