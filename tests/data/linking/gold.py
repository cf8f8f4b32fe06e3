"""Loads the linking gold set (the *.json files beside this one) as pipeline records, and scores
a LinkResult against it. Shared by tests/test_linking*.py and bench/bench_linking.py.

Each file is one article: its reference list (as `Reference` records, R1.. in list order;
numbered lists carry `number`) and labelled sentences grouped in paragraphs. A sentence's
`gold` lists the references it rests on (the markers it carries, for the assembled
articles); `unsupported` marks a claim resting on none of the listed references.
`part` is "tune" (thresholds were calibrated on it) or "heldout" (never tuned on).

`load_gold(markers=False)` strips the markers (inferred-link truth); `markers=True` keeps them.
The samples' blocks come from ingesting raw/*.txt (so abbreviation definitions in tables
and other paragraphs are seen, as in a real run); the assembled articles' blocks are their
paragraphs.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.claims.stage import claim_id
from pipeline.linking.markers import strip_markers
from pipeline.models import Author, Block, BlockKind, Claim, ParseStatus, Reference

HERE = Path(__file__).parent
RAW = HERE.parents[2] / "raw"


@dataclass(frozen=True)
class GoldClaim:
    claim: Claim
    gold: frozenset[str]
    unsupported: bool
    part: str
    marked: bool  # the sentence carries markers (assembled articles)


@dataclass(frozen=True)
class GoldSet:
    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
    blocks: tuple[Block, ...]
    labelled: tuple[GoldClaim, ...]

    def select(self, part: str | None = None) -> tuple[GoldClaim, ...]:
        return tuple(g for g in self.labelled if part is None or g.part == part)


def _references(article: str, data: dict) -> list[Reference]:
    numbered = data.get("style") == "numbered"
    out = []
    for position, entry in enumerate(data["references"], start=1):
        authors = tuple(Author(family, initials) for family, initials in entry["authors"])
        names = ", ".join(f"{a.family}, {a.initials}" for a in authors) + (" et al." if entry.get("truncated") else "")
        year = f"{entry['year']}{entry.get('suffix', '')}"
        raw = f"{names} ({year}). {entry['title']}. {entry['container']}."
        out.append(Reference(article, f"R{position}", 1000 + position, (f"{position}. " if numbered else "") + raw,
                             authors, bool(entry.get("truncated")), entry["year"], entry["title"],
                             entry["container"], parse_status=ParseStatus.PARSED,
                             number=str(position) if numbered else ""))
    return out


def _ingested_blocks(article: str) -> list[Block]:
    path = RAW / f"{article}.txt"
    if not path.exists():
        return []
    from pipeline.ingest.stage import ingest_path
    return [b for b in ingest_path(path).blocks if b.kept]


def load_gold(markers: bool = False) -> GoldSet:
    claims, references, blocks, labelled = [], [], [], []
    for path in sorted(HERE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        article = data["article"]
        references += _references(article, data)
        ingested = _ingested_blocks(article) if data.get("style") == "none" else []
        blocks += ingested
        for number, paragraph in enumerate(data["paragraphs"], start=1):
            texts = [s["text"] if markers else strip_markers(s["text"]) for s in paragraph["sentences"]]
            block_id = f"P{number:04d}"
            if not ingested:
                blocks.append(Block(article, block_id, number, number, BlockKind.BODY, True, "",
                                    paragraph["section"], paragraph["heading"], " ".join(texts), " ".join(texts)))
            for sentence, text in zip(paragraph["sentences"], texts):
                if ingested:  # the real block that holds the sentence
                    holder = next((b for b in ingested if text in b.text), None)
                    block_id = holder.block_id if holder else block_id
                claim = Claim(article, claim_id(article, text), block_id, number, paragraph["section"],
                              paragraph["heading"], text, 0.9 if sentence["claim"] else 0.1, sentence["claim"])
                claims.append(claim)
                if sentence["claim"] and (sentence.get("gold") or sentence.get("unsupported")):
                    labelled.append(GoldClaim(claim, frozenset(sentence.get("gold", ())),
                                              bool(sentence.get("unsupported")), data["part"],
                                              bool(re.search(r"\[\d|\(\D+\d{4}|\d{4}[a-z]?\)|[¹²³⁴⁵⁶⁷⁸⁹]",
                                                             sentence["text"]))))
    return GoldSet(tuple(claims), tuple(references), tuple(blocks), tuple(labelled))


def score(result, gold: GoldSet, entries) -> dict[str, float]:
    """top-1 / top-3 of the content ranking and of the linked references on claims with gold
    references; precision and recall of support == unsupported on the unsupported-labelled."""
    by_id = {link.claim_id: link for link in result.links}
    with_gold = [g for g in entries if g.gold]
    out = {"claims": len(with_gold), "links": sum(len(g.gold) for g in with_gold)}
    for k in (1, 3):
        ranked_hits = linked_hits = 0
        for g in with_gold:
            ranking = [r for r, _ in result.rankings.get(g.claim.claim_id, ())]
            linked = list(by_id[g.claim.claim_id].linked_refs)
            ranked_hits += bool(set(ranking[:k] or linked[:k]) & g.gold)
            linked_hits += bool(set(linked[:k]) & g.gold)
        out[f"rank_top{k}"] = ranked_hits / len(with_gold) if with_gold else float("nan")
        out[f"linked_top{k}"] = linked_hits / len(with_gold) if with_gold else float("nan")
    predicted_unsupported = [g for g in entries if by_id[g.claim.claim_id].support.value == "unsupported"]
    labelled_unsupported = [g for g in entries if g.unsupported]
    true_positive = sum(g.unsupported for g in predicted_unsupported)
    out["unsupported_labelled"] = len(labelled_unsupported)
    out["unsupported_precision"] = true_positive / len(predicted_unsupported) if predicted_unsupported else float("nan")
    out["unsupported_recall"] = true_positive / len(labelled_unsupported) if labelled_unsupported else float("nan")
    return out


def marker_accuracy(result, gold: GoldSet) -> tuple[int, int]:
    """(exact, total) over the claims that carry markers (`load_gold(markers=True)`): exact when
    the link method is `marker` and the linked references are the gold set, no more, no less."""
    by_id = {link.claim_id: link for link in result.links}
    marked = [g for g in gold.labelled if g.marked]
    exact = sum(by_id[g.claim.claim_id].link_method.value == "marker"
                and set(by_id[g.claim.claim_id].linked_refs) == set(g.gold) for g in marked)
    return exact, len(marked)


def unlinked_score(result, gold: GoldSet, part: str | None = None) -> dict[str, float]:
    """Listed references no claim rests on (padding): the truth is every reference of an article
    that no gold claim names. Precision and recall of `result.unlinked_refs` against it."""
    labelled = gold.select(part)
    articles = {g.claim.article for g in labelled}
    cited = {(g.claim.article, ref) for g in labelled for ref in g.gold}
    truth = {(r.article, r.ref_id) for r in gold.references if r.article in articles} - cited
    found = {key for key in result.unlinked_refs if key[0] in articles}
    hits = len(truth & found)
    return {"padding": len(truth), "reported": len(found),
            "precision": hits / len(found) if found else float("nan"),
            "recall": hits / len(truth) if truth else float("nan")}
