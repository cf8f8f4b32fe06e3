"""Builds a benchmark corpus of N articles by recombining the samples.

Consumes the two sample articles in raw/; produces N `.txt` articles in a folder. Each
article takes paragraphs, tables, captions and headings from the samples in a new order,
with varied wording (synonym swaps and sentence order), and a reference list drawn from a
shared pool (the samples' 20 references plus variants with other years, pages or
volumes), so that references repeat across articles as they do on a real site.
Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "raw").glob("*.txt"))
BULLET = "  • "

SYNONYMS = {
    "significant": "notable", "improves": "enhances", "increases": "raises", "reduces": "lowers",
    "profound": "deep", "critical": "vital", "primary": "main", "enhances": "boosts",
    "sustained": "prolonged", "potent": "powerful", "cellular": "cell-level", "helps": "serves",
}


def _paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated chunks, each a list of its lines."""
    return [chunk.splitlines() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]


def load_pool() -> tuple[list[str], list[list[str]], list[str]]:
    """(body paragraphs, other chunks such as headings/tables/captions, references) of the samples."""
    bodies, others, references = [], [], []
    for path in SAMPLES:
        in_refs = False
        for chunk in _paragraphs(path.read_text(encoding="utf-8")):
            if chunk[0].strip() == "References":
                in_refs = True
                continue
            if in_refs:
                references.extend(line[len(BULLET):] for line in chunk if line.startswith(BULLET))
                in_refs = not any(not line.startswith(BULLET) for line in chunk)
                continue
            if chunk[0].strip() in ("Reflection", "Glossary"):
                break
            if len(chunk) == 1 and len(chunk[0]) > 200:
                bodies.append(chunk[0])
            else:
                others.append(chunk)
    return bodies, others, references


def reference_pool(references: list[str], rng: random.Random, variants: int = 2) -> list[str]:
    """The samples' references plus variants (another year or page range), as a site reuses them."""
    pool = list(references)
    for ref in references:
        for _ in range(variants):
            year_changed = re.sub(r"\b(19|20)(\d\d)\b", lambda m: f"{m.group(1)}{(int(m.group(2)) + rng.randint(1, 3)) % 100:02d}", ref, count=1)
            pool.append(year_changed)
    return sorted(set(pool))


def vary(paragraph: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph)
    if len(sentences) > 2 and rng.random() < 0.5:
        middle = sentences[1:-1]
        rng.shuffle(middle)
        sentences = [sentences[0], *middle, sentences[-1]]
    words = " ".join(sentences).split(" ")
    return " ".join(SYNONYMS.get(w, w) if rng.random() < 0.5 else w for w in words)


def build_article(index: int, bodies, others, pool, rng: random.Random) -> str:
    parts = ["Skip to main content", "Fundamentals"]
    chosen_bodies = rng.sample(bodies, k=min(len(bodies), rng.randint(8, 14)))
    chosen_others = rng.sample(others, k=min(len(others), rng.randint(4, 8)))
    for i, body in enumerate(chosen_bodies):
        parts.append(vary(body, rng))
        if i < len(chosen_others):
            parts.append("\n".join(chosen_others[i]))
    refs = rng.sample(pool, k=rng.randint(6, 12))
    parts.append("References")
    parts.append("\n".join(BULLET + r for r in refs))
    parts.append("Reflection")
    parts.append(f"This is benchmark article {index}, recombined from the samples.")
    return "\n\n".join(parts) + "\n"


def build_corpus(out_dir: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    bodies, others, references = load_pool()
    pool = reference_pool(references, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = out_dir / f"bench-{i:04d}.txt"
        path.write_text(build_article(i, bodies, others, pool, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = build_corpus(args.out, args.n, args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
