"""Loads the real-article linking set (the *.txt / *.json beside this file) through the pipeline
and scores linking against the articles' own markers. Shared by tests/test_real_linking.py and
bench/bench_real_linking.py.

Consumes: each article's text dump (markers as printed) and its truth (marker groups per
paragraph line, with the list positions they cite; written by bench/make_real_articles.py from
the articles' JATS XML). Produces: `load(markers=...)` -> the article run through ingest,
references and claims (markers kept, or every marker stripped from the text first), with each
claim's true references; `score_inferred` / `score_markers` -> the figures the issue's bar names.

The split was fixed before any tuning (README.md here): TUNE articles may be looked at and
tuned on; UNTOUCHED articles are only ever measured.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
TUNE = ("1471-2180-11-174", "pone.0046493", "6605965a")
UNTOUCHED = ("1472-6831-8-11", "ehp-116-1694", "mds526", "pntd.0002065", "pone.0000217")
# a second untouched set, committed before linking was ever run on it (README.md: "Fresh untouched set");
# measured once, at the end of the work that tuned on TUNE and the (by then read) UNTOUCHED part
FRESH = ("elife00051", "elife00240", "elife00351", "pbio.0020302", "pcbi.0020083", "pmed.0030132", "pmed.0030445")
# a claims.csv row that starts like this was cut from the sentence before it
PUNCTUATION_START = re.compile(r"^[,.;:)\]}–—\-]")


@dataclass(frozen=True)
class Article:
    name: str
    style: str                    # "numbered" | "author-year"
    document: object
    references: tuple
    claims: tuple
    truth: dict                   # claim_id -> frozenset of ref_ids the sentence's markers cite
    groups: dict                  # claim_id -> list of (marker text, frozenset of ref_ids), markers kept only


def _text(data: dict, raw: str, markers: bool) -> str:
    if markers:
        return raw
    lines = raw.split("\n")
    for paragraph in data["paragraphs"]:
        lines[paragraph["line"] - 1] = paragraph["stripped"]
    return "\n".join(lines)


def _ref_ids(references, data: dict) -> dict[int, str]:
    """List position -> the ref_id the pipeline gave that entry (by its line in the dump), so an
    entry the reference parser merged or dropped costs only its own citations."""
    position_of = {line: position for position, line in enumerate(data["reference_lines"], start=1)}
    return {position_of[r.source_line]: r.ref_id for r in references if r.source_line in position_of}


def _assign(claims, blocks, data: dict, markers: bool, ref_ids: dict[int, str]):
    """claim_id -> true ref_ids: each marker group goes to the claim of its paragraph whose
    sentence starts last at or before the group's offset."""
    by_line = {p["line"]: p for p in data["paragraphs"]}
    block_of = {b.block_id: b for b in blocks}
    truth, groups = {}, {}
    per_block: dict[str, list] = {}
    for claim in claims:
        per_block.setdefault(claim.block_id, []).append(claim)
    for block_id, members in per_block.items():
        block = block_of[block_id]
        paragraph = by_line.get(block.source_line)
        starts, cursor = [], 0
        for claim in members:
            found = block.text.find(claim.sentence, cursor)
            if found < 0:
                found = block.text.find(claim.sentence[:40], cursor)
            starts.append(found if found >= 0 else cursor)
            cursor = max(cursor, starts[-1])
            truth[claim.claim_id] = set()
            groups[claim.claim_id] = []
        for cite in (paragraph or {}).get("cites", ()):
            offset = cite["marked"][0] if markers else cite["stripped_at"]
            owner = max((i for i, s in enumerate(starts) if s <= offset), default=0)
            ids = frozenset(ref_ids.get(r, f"missing-{r}") for r in cite["refs"])
            truth[members[owner].claim_id] |= ids
            groups[members[owner].claim_id].append((cite["text"], ids))
    return {k: frozenset(v) for k, v in truth.items()}, groups


@functools.lru_cache(maxsize=4)
def load(markers: bool = False, names: tuple[str, ...] = TUNE + UNTOUCHED) -> tuple[Article, ...]:
    """Every article of `names` run through ingest, references and claims (spaCy once per article)."""
    from pipeline.claims.stage import extract_claims
    from pipeline.ingest.stage import ingest_text
    from pipeline.references.stage import parse_references

    articles = []
    for name in names:
        data = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
        raw = (HERE / f"{name}.txt").read_text(encoding="utf-8")
        document = ingest_text(_text(data, raw, markers), name)
        references = tuple(parse_references(document.blocks))
        claims = tuple(extract_claims([document]))
        truth, groups = _assign(claims, document.blocks, data, markers, _ref_ids(references, data))
        articles.append(Article(name, data["style"], document, references, claims, truth, groups))
    return tuple(articles)


def run(articles, **kwargs):
    """One `link_claims` over the articles (lexical unless an embedder is passed)."""
    from pipeline.linking.stage import link_claims

    claims = [c for a in articles for c in a.claims]
    references = [r for a in articles for r in a.references]
    blocks = [b for a in articles for b in a.document.blocks if b.kept]
    kwargs.setdefault("embedder", False)
    return link_claims(claims, references, (), blocks, **kwargs)


def _random_hits(n: int, k: int, gold: int) -> float:
    """Chance that k references drawn at random from n include one of `gold` right ones."""
    if n <= 0 or gold <= 0:
        return 0.0
    k = min(k, n)
    return 1.0 - math.comb(n - gold, k) / math.comb(n, k) if n - gold >= k else 1.0


def score_inferred(articles, result) -> dict:
    """Inferred-link figures over the articles (markers stripped): ranking top-1 / top-3 over cited
    claims, recall and precision of the links made, the share of uncited claims linked to nothing,
    cited sentences the claims stage did not score as claims, and the random baseline."""
    links = {(l.article, l.claim_id): l for l in result.links}
    n_refs = {a.name: len(a.references) for a in articles}
    s = dict(cited=0, top1=0, top3=0, random1=0.0, random3=0.0, gold_refs=0, found=0, made=0, right=0,
             uncited=0, uncited_empty=0, cited_nonclaim=0)
    for article in articles:
        for claim in article.claims:
            gold = article.truth.get(claim.claim_id, frozenset())
            if not claim.is_claim:
                s["cited_nonclaim"] += bool(gold)
                continue
            link = links[(claim.article, claim.claim_id)]
            if not gold:
                s["uncited"] += 1
                s["uncited_empty"] += not link.linked_refs
                continue
            ranking = [r for r, _ in result.rankings.get(claim.claim_id, ())] or list(link.linked_refs)
            s["cited"] += 1
            s["top1"] += bool(set(ranking[:1]) & gold)
            s["top3"] += bool(set(ranking[:3]) & gold)
            s["random1"] += _random_hits(n_refs[article.name], 1, len(gold))
            s["random3"] += _random_hits(n_refs[article.name], 3, len(gold))
            s["gold_refs"] += len(gold)
            s["found"] += len(gold & set(link.linked_refs))
            s["made"] += len(link.linked_refs)
            s["right"] += len(gold & set(link.linked_refs))
    cited = s["cited"] or 1
    return {"cited": s["cited"], "top1": s["top1"] / cited, "top3": s["top3"] / cited,
            "random_top1": s["random1"] / cited, "random_top3": s["random3"] / cited,
            "recall": s["found"] / (s["gold_refs"] or 1), "precision": s["right"] / (s["made"] or 1),
            "uncited": s["uncited"], "uncited_unlinked": s["uncited_empty"] / (s["uncited"] or 1),
            "cited_nonclaim": s["cited_nonclaim"]}


def score_markers(articles) -> dict:
    """Markers kept: per style, the marker groups whose references the marker parser names exactly
    (every cited reference and nothing else, read from the group's claim sentence), references named
    that no marker of the sentence cites (statistics read as citations), and claims rows that
    start with punctuation. `listed`: the author-year groups whose every cited entry the reference stage listed
    (an entry ingest read as prose cannot be resolved by any marker parser)."""
    from pipeline.linking.markers import find_markers

    s = {"numbered": [0, 0], "author-year": [0, 0], "listed": [0, 0]}
    extra, punct, examples = 0, 0, []
    for article in articles:
        for claim in article.claims:
            punct += bool(PUNCTUATION_START.match(claim.sentence))
            named = {r for m in find_markers(claim.sentence, article.references) for r in m.ref_ids}
            gold = article.truth.get(claim.claim_id, frozenset())
            extra += len(named - gold)
            for text, ids in article.groups.get(claim.claim_id, ()):
                s[article.style][1] += 1
                ok = ids <= named
                s[article.style][0] += ok
                if article.style == "author-year" and not any(r.startswith("missing-") for r in ids):
                    s["listed"][0] += ok
                    s["listed"][1] += 1
                if not ok and len(examples) < 40:
                    examples.append(f"{article.name}: {text!r} -> missing {sorted(ids - named)} in {claim.sentence[:120]!r}")
    return {"numbered": s["numbered"], "author_year": s["author-year"], "listed": s["listed"], "extra_refs": extra,
            "punctuation_rows": punct, "examples": examples}
