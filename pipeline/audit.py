"""`make audit`: a terminal summary of what needs a reviewer's attention.

Consumes the tables of a finished run (`references.csv`, `claims.csv` and, when present,
`orphaned_reviews.csv` in the out folder) and produces plain text grouped by article:
references not verified (by verdict), retracted or corrected references, unsupported
claims, claims with scraping damage, each with counts and the rows to look at. It reads
the CSVs rather than re-running anything, so it is instant and shows what a reviewer sees.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from pipeline.table import CSV_ENCODING

ATTENTION_VERDICTS = ("misattributed", "not_found", "mismatch", "unchecked")
SHOW_AT_MOST = 5


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summarise(out_dir: Path) -> str:
    """The audit summary text for the tables in `out_dir`."""
    references = _read(out_dir / "references.csv")
    claims = _read(out_dir / "claims.csv")
    if not references and not claims:
        return f"No results in {out_dir}: run `make run` first."
    refs_by: dict[str, list[dict]] = defaultdict(list)
    claims_by: dict[str, list[dict]] = defaultdict(list)
    for row in references:
        refs_by[row["article"]].append(row)
    for row in claims:
        claims_by[row["article"]].append(row)

    lines: list[str] = []
    totals: dict[str, int] = defaultdict(int)
    for article in sorted(set(refs_by) | set(claims_by)):
        refs = refs_by[article]
        art_claims = [c for c in claims_by[article] if c.get("is_claim") == "true"]
        lines.append(f"== {article}: {len(art_claims)} claims, {len(refs)} references")
        verdict_counts: dict[str, int] = defaultdict(int)
        for ref in refs:
            verdict_counts[ref.get("verdict") or "unchecked"] += 1
        lines.append("   verdicts: " + ", ".join(f"{v} {n}" for v, n in sorted(verdict_counts.items())))
        for verdict in ATTENTION_VERDICTS:
            flagged = [r for r in refs if (r.get("verdict") or "unchecked") == verdict]
            totals[f"references {verdict}"] += len(flagged)
            if not flagged:
                continue
            lines.append(f"   {verdict} ({len(flagged)}):")
            for ref in flagged[:SHOW_AT_MOST]:
                detail = ref.get("mismatched_fields") or ref.get("note") or ""
                lines.append(f"     {ref['ref_id']} line {ref['source_line']}: {_short(ref.get('raw', ''), 80)}"
                             + (f"  [{_short(detail, 60)}]" if detail else ""))
            if len(flagged) > SHOW_AT_MOST:
                lines.append(f"     … and {len(flagged) - SHOW_AT_MOST} more in references.csv")
        retracted = [r for r in refs if r.get("retracted") == "true" or r.get("update_notice")]
        totals["references retracted or corrected"] += len(retracted)
        for ref in retracted:
            state = "RETRACTED" if ref.get("retracted") == "true" else "updated"
            lines.append(f"   {state} {ref['ref_id']}: {ref.get('update_notice', '')}")
        unsupported = [c for c in art_claims if c.get("support") == "unsupported"]
        damaged = [c for c in claims_by[article] if c.get("scrape_damage")]
        shaky = [c for c in art_claims if c.get("best_ref_verdict") in ("not_found", "misattributed")]
        totals["claims unsupported"] += len(unsupported)
        totals["claims with scraping damage"] += len(damaged)
        totals["claims resting on a not_found/misattributed reference"] += len(shaky)
        for label, rows in (("unsupported claims", unsupported),
                            ("claims resting on a not_found/misattributed reference", shaky),
                            ("claims with scraping damage", damaged)):
            if not rows:
                continue
            lines.append(f"   {label} ({len(rows)}):")
            for row in rows[:SHOW_AT_MOST]:
                lines.append(f"     line {row['source_line']}: {_short(row['sentence'])}")
            if len(rows) > SHOW_AT_MOST:
                lines.append(f"     … and {len(rows) - SHOW_AT_MOST} more in claims.csv")
        lines.append("")
    orphans = _read(out_dir / "orphaned_reviews.csv")
    if orphans:
        totals["orphaned reviews"] = len(orphans)
    lines.append("== needs attention, all articles")
    for label, count in totals.items():
        lines.append(f"   {label}: {count}")
    return "\n".join(lines)
