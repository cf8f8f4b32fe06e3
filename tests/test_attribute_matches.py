"""The table-driven attribute-ruler matches equal spaCy's own, on the samples and on the
rules of several tokens; a ruler with a rule the table cannot read keeps spaCy's Matcher; the
lemmatizer that keeps its answers gives spaCy's lemmas (pipeline.lemma_cache)."""
from pathlib import Path

import pytest

from pipeline.attribute_matches import speed_up
from pipeline.nlp import load_nlp

ROOT = Path(__file__).resolve().parent.parent
# each opens one of en_core_web_sm's rules of two tokens ("gon na", "let 's", "y' all", "there is")
SEVERAL_TOKENS = ["Y'all gon na see it, let's go: there is ai n't much.", "C'm on, we got ta leave; there were two."]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp(disable=("ner",))


def _stock_and_fast(ruler):
    return type(ruler).match.__get__(ruler), ruler.match


def test_same_matches_as_spacy_on_the_samples(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    stock, fast = _stock_and_fast(ruler)
    assert fast is not stock  # the table is in place
    texts = [line for path in sorted((ROOT / "raw").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] + SEVERAL_TOKENS
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(nlp.pipe(texts))
    several = 0
    for doc in docs:
        assert fast(doc) == stock(doc), doc.text
        several += sum(1 for _, _, start, end in stock(doc) if end - start > 1)
    assert several >= 3  # the rules of several tokens were met and found


def test_unreadable_rule_keeps_spacys_matcher(nlp):
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LENGTH": {">": 3}}]], {"POS": "NOUN"})
    speed_up(ruler)
    assert "match" not in vars(ruler)


def test_kept_lemmas_equal_spacys(nlp):
    """The lemmatizer that keeps its answers gives spaCy's own lemmas, the second time too,
    and the pipeline still pickles (worker processes may be handed it)."""
    import pickle

    from pipeline.lemma_cache import KeptLemmas

    lemmatizer = nlp.get_pipe("lemmatizer")
    kept = lemmatizer.lemmatize
    assert isinstance(kept, KeptLemmas)
    texts = [line for path in sorted((ROOT / "raw").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with nlp.select_pipes(disable=["lemmatizer"]):
        docs = list(nlp.pipe(texts))
    try:
        lemmatizer.lemmatize = kept.lemmatize  # spaCy's own
        expected = [[t.lemma_ for t in lemmatizer(doc.copy())] for doc in docs]
    finally:
        lemmatizer.lemmatize = kept
    for _ in range(2):  # working the answers out, then from the kept ones
        assert [[t.lemma_ for t in lemmatizer(doc.copy())] for doc in docs] == expected
    assert pickle.loads(pickle.dumps(nlp))("Studies were run.")[0].lemma_ == "study"
