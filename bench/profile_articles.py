"""Where the per-article work spends its CPU, against a bare spaCy parse of the claim texts.

Consumes nothing but the samples (a corpus of N articles is built with bench/make_corpus.py
in a temporary folder); prints, for each of `--repeat` rounds in one process:
- the total seconds of `pipeline.per_article.process_article` (ingest, claims, references)
  over the N articles, one after the other;
- the seconds of a bare `nlp.pipe` (the same pipeline, `load_nlp(disable=("ner",))`, batch 64)
  of exactly the texts the claims stage parses, and the ratio total / bare (issue 19's floor);
  also against the same pipe in plain spaCy (its own attribute-ruler Matcher, see stock_nlp);
- the tokens spaCy parsed during the per-article work against the claim texts' tokens;
then the top functions by cumulative time (cProfile) of the last round.

Seconds are CPU seconds of this process (time.process_time); the machine is shared, so compare
ratios measured in the same process, not seconds across runs.
Usage: PYTHONPATH=$PWD python bench/profile_articles.py [-n 30] [--repeat 2] [--top 30]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

# CPU seconds of this process (all its threads): far steadier than wall time on a shared machine
CLOCK = time.process_time
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class CountingNlp:
    """Wraps a spaCy Language: counts the texts and tokens it parses, nothing else changes."""

    def __init__(self, nlp):
        self.nlp, self.texts, self.tokens, self.seconds = nlp, 0, 0, 0.0

    def _count(self, doc):
        self.texts += 1
        self.tokens += len(doc)
        return doc

    def __call__(self, text, **kwargs):
        started = CLOCK()
        doc = self.nlp(text, **kwargs)
        self.seconds += CLOCK() - started
        return self._count(doc)

    def pipe(self, texts, **kwargs):
        docs = self.nlp.pipe(texts, **kwargs)
        while True:
            started = CLOCK()  # the time spent inside spaCy (and the texts' generator)
            item = next(docs, None)
            self.seconds += CLOCK() - started
            if item is None:
                return
            self._count(item[0] if kwargs.get("as_tuples") else item)
            yield item

    def __getattr__(self, name):
        return getattr(self.nlp, name)


def tasks_of(paths):
    from pipeline.per_article import ArticleTask

    return [ArticleTask(p.stem, str(p), p.read_bytes(), ("ingest", "claims", "references")) for p in paths]


def run_all(tasks, settings):
    from pipeline.per_article import process_article

    outcomes = [process_article(task, settings) for task in tasks]
    failed = [o.task_article for o in outcomes if o.failure]
    if failed:
        raise SystemExit(f"articles failed: {failed}")
    return outcomes


def claim_texts(outcomes) -> list[str]:
    from pipeline.claims import stage as claims

    documents = [o.records.document for o in outcomes]
    return [piece for block in claims.claim_blocks(documents) for piece in claims._slices(block.text)]


def one_round(tasks, settings, counting, bare_nlp, profile: bool):
    counting.texts = counting.tokens = 0
    counting.seconds = 0.0
    profiler = cProfile.Profile() if profile else None
    started = CLOCK()
    if profiler:
        profiler.enable()
    outcomes = run_all(tasks, settings)
    if profiler:
        profiler.disable()
    total = CLOCK() - started
    texts = claim_texts(outcomes)
    started = CLOCK()
    claim_tokens = sum(len(doc) for doc in bare_nlp.pipe(texts, batch_size=64))
    bare = CLOCK() - started
    started = CLOCK()
    list(stock_nlp().pipe(texts, batch_size=64))
    stock = CLOCK() - started
    return total, bare, stock, len(texts), claim_tokens, profiler


def stock_nlp():
    """The same pipeline with spaCy's own attribute-ruler Matcher (pipeline.attribute_matches
    replaces it in load_nlp with a table giving the same matches): the floor in plain spaCy."""
    if not hasattr(stock_nlp, "nlp"):
        from pipeline import nlp as nlp_module

        stock_nlp.nlp = nlp_module.load_nlp_uncached(("ner",))
        ruler = stock_nlp.nlp.get_pipe("attribute_ruler")
        if "match" in vars(ruler):
            del ruler.match
    return stock_nlp.nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="articles in the corpus (default 30)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds in this process (default 2)")
    parser.add_argument("--top", type=int, default=30, help="functions listed from the profile (default 30)")
    parser.add_argument("--no-profile", action="store_true", help="time only (cProfile inflates Python code)")
    args = parser.parse_args()

    from make_corpus import build_corpus
    import pipeline.nlp as nlp_module
    from pipeline.settings import Settings

    bare_nlp = nlp_module.load_nlp(disable=("ner",))
    counting = CountingNlp(bare_nlp)
    original = nlp_module.load_nlp
    nlp_module.load_nlp_uncached = original.__wrapped__
    nlp_module.load_nlp = lambda disable=(): counting if tuple(disable) == ("ner",) else original(disable)
    with tempfile.TemporaryDirectory() as folder:
        tasks = tasks_of(build_corpus(Path(folder), args.n))
    settings = Settings()
    run_all(tasks[:2], settings)  # warm-up: model caches, imports
    profiler = None
    for round_ in range(1, args.repeat + 1):
        profile = not args.no_profile and round_ == args.repeat
        total, bare, stock, n_texts, claim_tokens, profiler = one_round(tasks, settings, counting, bare_nlp, profile)
        print(f"round {round_}{' (profiled)' if profile else ''}: {len(tasks)} articles, "
              f"per-article work {total:.2f} s, bare nlp.pipe of the {n_texts} claim texts {bare:.2f} s, "
              f"ratio {total / bare:.2f} (against plain spaCy's pipe {stock:.2f} s: {total / stock:.2f}); spaCy parsed {counting.texts} texts / {counting.tokens} tokens, "
              f"claim texts {claim_tokens} tokens ({counting.tokens / max(1, claim_tokens):.2f}x); "
              f"inside spaCy {counting.seconds:.2f} s ({counting.seconds / bare:.2f}x bare), "
              f"outside {total - counting.seconds:.2f} s ({(total - counting.seconds) / bare:.2f}x bare)", flush=True)
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
