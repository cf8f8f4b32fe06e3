"""Claims stage speed against a bare spaCy parse of the same text, in the same run.

Builds documents by repeating the samples' claim-bearing blocks (default 20 copies, a few
thousand sentences), then times (1) a bare `nlp.pipe` over exactly the texts the stage
parses and (2) the whole claims stage, each after a warm-up, and prints sentences per
second and the ratio stage / bare (the issue's bar: at most 1.5).
"""
from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.claims.stage import claim_blocks, extract_claims  # noqa: E402
from pipeline.ingest.stage import ingest_path  # noqa: E402
from pipeline.nlp import load_nlp  # noqa: E402


def corpus(copies: int):
    documents = [ingest_path(p) for p in sorted((ROOT / "raw").glob("*.txt"))]
    return [replace(d, article=f"{d.article}-{i}", blocks=tuple(replace(b, article=f"{d.article}-{i}") for b in d.blocks))
            for i in range(copies) for d in documents]


def main(copies: int = 20) -> dict:
    nlp = load_nlp(disable=("ner",))
    documents = corpus(copies)
    texts = [b.text for b in claim_blocks(documents)]
    list(nlp.pipe(texts[:50]))  # warm-up
    started = time.perf_counter()
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=64))
    bare = time.perf_counter() - started
    started = time.perf_counter()
    claims = extract_claims(documents, nlp=nlp)
    stage = time.perf_counter() - started
    ratio = stage / bare
    print(f"claims corpus: {len(documents)} articles, {len(texts)} blocks, {len(claims)} claim rows "
          f"({sentences} spaCy sentences)")
    print(f"bare nlp.pipe: {bare:.2f} s, {sentences / bare:.0f} sentences/s")
    print(f"claims stage:  {stage:.2f} s, {len(claims) / stage:.0f} sentences/s")
    print(f"claims stage / bare parse: {ratio:.2f} (bar: at most 1.5)")
    return {"bare_seconds": bare, "stage_seconds": stage, "ratio": ratio}


if __name__ == "__main__":
    main()
