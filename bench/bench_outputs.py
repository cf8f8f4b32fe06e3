"""The cost of the outputs that turn the audit into fixes, as ratios measured in the same run.

Checks the labelled references of tests/data/crossref (truth.jsonl, heldout.jsonl) against the
local stand-in, repeated over ARTICLES articles as a site repeats its references, then times:
(1) the corrected citations of every reference (citeproc-py, each read back by the parser) with an
empty citation store, against the same with the store a first run left (a warm rerun); (2)
review.xlsx against references.csv for the same rows (the workbook's cost over the CSV the run
writes anyway); (3) the three exports. Prints seconds and ratios.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.crossref.stage import CrossrefClient, check_references  # noqa: E402
from pipeline.outputs import corrected as corrected_module  # noqa: E402
from pipeline.outputs.corrected import CitationStore, correct_all  # noqa: E402
from pipeline.outputs.csv_tables import CLAIM_COLUMNS, REFERENCE_COLUMNS, reference_row, write_csv  # noqa: E402
from pipeline.outputs.exports import write_exports  # noqa: E402
from pipeline.outputs.workbook import write_workbook  # noqa: E402
from pipeline.references.stage import parse_reference  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from tests.crossref_server import CrossrefStandIn  # noqa: E402

SETS = [ROOT / "tests" / "data" / "crossref" / name for name in ("truth.jsonl", "heldout.jsonl")]
ARTICLES = 20


def _seconds(work) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def main() -> dict:
    entries = [json.loads(line) for path in SETS for line in path.read_text(encoding="utf-8").splitlines() if line]
    base = [parse_reference(e["raw"], ref_id=f"R{i + 1}") for i, e in enumerate(entries)]
    references = [replace(r, article=f"article-{a}") for a in range(ARTICLES) for r in base]
    with CrossrefStandIn() as server:
        settings = Settings(crossref_url=server.url, crossref_mailto="bench@example.org", request_timeout=2.0)
        checks = check_references(references, settings, client=CrossrefClient(settings, None))
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        store_path = out / ".corrected.json"
        corrected_module.corrected_citation.cache_clear()
        store = CitationStore(store_path, "bench")
        figures["corrected cold s"], fixes = _seconds(lambda: correct_all(references, checks, store))
        store.save()
        corrected_module.corrected_citation.cache_clear()  # a new process: only the stored citations
        figures["corrected warm s"], _ = _seconds(lambda: correct_all(references, checks,
                                                                      CitationStore(store_path, "bench")))
        by = {(c.article, c.ref_id): c for c in checks}
        rows = [reference_row(r, by.get((r.article, r.ref_id)), None, fixes[(r.article, r.ref_id)]) for r in references]
        figures["references.csv s"], _ = _seconds(lambda: write_csv(out / "references.csv", REFERENCE_COLUMNS, rows))
        figures["review.xlsx s"], _ = _seconds(lambda: write_workbook(out / "review.xlsx", CLAIM_COLUMNS, [],
                                                                      REFERENCE_COLUMNS, rows))
        figures["exports s"], _ = _seconds(lambda: write_exports(out, checks))
    figures["warm / cold corrected"] = figures["corrected warm s"] / figures["corrected cold s"]
    figures["review.xlsx / references.csv"] = figures["review.xlsx s"] / figures["references.csv s"]
    print(f"outputs bench: {len(references)} references ({len(base)} distinct, {ARTICLES} articles)")
    for name, value in figures.items():
        print(f"  {name}: {value:.3f}")
    return figures


if __name__ == "__main__":
    main()
