"""Scores the checker on the generated flawed citations (tests/flawed_citations.py), through the real path.

Consumes `Case`s and the URL of a Crossref stand-in; writes each style's citations as the reference
list of a plain-text article, runs ingest, the reference parser and the Crossref stage (habanero, a
real SQLite cache) on it, and produces a `Score`: the confusion matrix (rows: expected verdict,
columns: verdict given, `lost` when the entry never became a reference), how many verdicts are right
with exactly the flawed fields named, right with at least the flawed fields named, `verified`
precision, and the wrong cases. Used by tests/test_verdicts.py and bench/bench_verdicts.py.
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.crossref.cache import ResponseCache
from pipeline.crossref.stage import CrossrefClient, check_references
from pipeline.ingest.stage import ingest_text
from pipeline.settings import Settings
from pipeline.references.stage import parse_references
from tests.flawed_citations import Case

VERDICTS = ("verified", "mismatch", "misattributed", "not_found", "unchecked")
BODY = ("Citation audit test article\n\nThis paragraph stands for the article's text. It cites the works listed "
        "below, each once, in the order given.\n\nReferences\n\n")


@dataclass
class Score:
    matrix: Counter = field(default_factory=Counter)
    total: int = 0
    exact: int = 0     # verdict right and exactly the flawed fields named
    named: int = 0     # verdict right and at least the flawed fields named
    lost: int = 0
    verified_given: int = 0
    verified_right: int = 0
    wrong: list[tuple[Case, object]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.verified_right / self.verified_given if self.verified_given else 1.0

    def table(self, title: str) -> str:
        columns = VERDICTS + ("lost",)
        lines = [f"{title}: {self.total} citations; rows expected, columns given",
                 " " * 14 + "".join(f"{c:>14}" for c in columns)]
        for row in VERDICTS:
            if any(self.matrix[(row, c)] for c in columns):
                lines.append(f"{row:>14}" + "".join(f"{self.matrix[(row, c)]:>14}" for c in columns))
        lines.append(f"right with the flawed fields named: {self.named}/{self.total} = {self.named / self.total:.3f}; "
                     f"exactly those fields: {self.exact}/{self.total} = {self.exact / self.total:.3f}; "
                     f"verified precision {self.precision:.3f} ({self.verified_right}/{self.verified_given}); "
                     f"lost {self.lost}")
        return "\n".join(lines)


def world(path: Path) -> list[dict]:
    """The records a stand-in serves for a set of source records: those records and the project's own
    fixture records beside them, so that a search meets other works as it does on the real service."""
    from tests.crossref_server import FIXTURES

    own = json.loads(FIXTURES.read_text(encoding="utf-8"))
    return json.loads(path.read_text(encoding="utf-8")) + ([] if path == FIXTURES else own)


def checks_for(cases: list[Case], url: str) -> list[tuple[Case, object]]:
    """(case, its Check or None when the entry was lost), through ingest, parsing and the Crossref stage."""
    out: list[tuple[Case, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(crossref_url=url, cache_dir=Path(folder), request_timeout=5.0)
        cache = ResponseCache(Path(folder) / "crossref.sqlite")
        client = CrossrefClient(settings, cache)
        try:
            for style in sorted({c.style for c in cases}):
                mine = [c for c in cases if c.style == style]
                document = ingest_text(BODY + "\n".join(c.raw for c in mine) + "\n", f"generated-{style}")
                references = parse_references(document.blocks)
                checks = check_references(references, settings, cache=cache, client=client)
                # keyed by the text with its runs of white space made one (ingest folds them too)
                by_raw = {" ".join(r.raw.split()): check for r, check in zip(references, checks)}
                out.extend((c, by_raw.get(" ".join(c.raw.split()))) for c in mine)
        finally:
            cache.close()
    return out


def score(results: list[tuple[Case, object]]) -> Score:
    s = Score()
    for case, check in results:
        s.total += 1
        if check is None:
            s.lost += 1
            s.matrix[(case.verdict, "lost")] += 1
            s.wrong.append((case, None))
            continue
        given = check.verdict.value
        s.matrix[(case.verdict, given)] += 1
        named = tuple(check.mismatched_fields)
        right = given == case.verdict
        s.exact += right and named == case.mismatched
        s.named += right and set(case.mismatched) <= set(named)
        s.verified_given += given == "verified"
        s.verified_right += given == "verified" and case.verdict == "verified"
        if not (right and named == case.mismatched):
            s.wrong.append((case, check))
    return s


def describe(case: Case, check) -> str:
    if check is None:
        return f"  LOST {case.flaw}: {case.raw[:150]}"
    return (f"  {case.flaw} ({case.style}): expected {case.verdict} {list(case.mismatched)}, got {check.verdict.value} "
            f"{list(check.mismatched_fields)}; {case.raw[:120]} || {check.note[:160]}")
