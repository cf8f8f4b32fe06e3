"""What the check-worthiness model sees in one parsed sentence.

Consumes a spaCy Span (tagger and parser; no entity recogniser, which the claims stage leaves
off for speed, and no lemmas, since the caption detector's parses that the stage reuses skip
the lemmatizer) and the cue names of `claims.cues`; produces the sparse binary
features of the learned model (claims/model.py) as a set of names, plus the sentence's
mean contextual vector (doc.tensor rows), which the model weighs as dense numbers.

Feature names carry their family in a prefix, so that a weight can be said in words:
  w:  a word (lower case; a number becomes "<num>", a year "<year>")
  b:  two neighbouring words
  t:  a fine part-of-speech tag present      tt: two neighbouring tags
  d:  a dependency label present             s:  who or what the subject is ("i", "we", PROPN ...)
  r:  the root word                        m:  a modal verb
  c:  a cue of claims.cues                   n:  how many numbers / proper nouns; len: length band
"""
from __future__ import annotations

import re

NUMBER = "<num>"
YEAR = "<year>"
YEAR_SHAPE = re.compile(r"^(1[6-9]|20)\d\d$|^(1[6-9]|20)\d0s$|^'\d0s$")
SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
# pronoun subjects are kept as words ("i", "we", "you", "it"); any other subject as its part of speech
LENGTH_BANDS = (4, 8, 14, 22, 35)


def _word(token) -> str:
    if token.like_num or token.pos_ == "NUM":
        # a year is a date, the commonest named entity of a factual claim, and the parser has no NER
        return YEAR if YEAR_SHAPE.match(token.text) else NUMBER
    if token.is_punct:
        return token.text
    return token.lower_


def _band(count: int, bands) -> str:
    for edge in bands:
        if count <= edge:
            return f"<={edge}"
    return f">{bands[-1]}"


def sparse_features(sentence, cues) -> set[str]:
    """The names of the binary features present in `sentence` (a Span) with cue names `cues`."""
    tokens = [t for t in sentence if not t.is_space]
    words = [_word(t) for t in tokens]
    tags = [t.tag_ for t in tokens]
    names = {"w:" + w for w in words}
    names.update("b:" + a + " " + b for a, b in zip(["<s>"] + words, words + ["</s>"]))
    names.update("t:" + t for t in tags)
    names.update("tt:" + a + " " + b for a, b in zip(tags, tags[1:]))
    names.update("d:" + t.dep_ for t in tokens)
    numbers = propers = 0
    for token in tokens:
        if token.dep_ in SUBJECTS:
            names.add("s:" + (token.lower_ if token.pos_ == "PRON" else token.pos_))
        if token.tag_ == "MD":
            names.add("m:" + token.lower_)
        numbers += token.like_num or token.text == "%"
        propers += token.pos_ == "PROPN"
    root = sentence.root
    names.add("r:" + root.lower_)
    names.add("rt:" + root.tag_)
    names.update("c:" + cue for cue in cues)
    names.add("n:numbers " + _band(numbers, (0, 1, 2)))
    names.add("n:proper nouns " + _band(propers, (0, 1, 3)))
    names.add("len:" + _band(sum(1 for t in tokens if t.is_alpha), LENGTH_BANDS))
    text = sentence.text
    if '"' in text or "“" in text or "”" in text:
        names.add("q:quotation mark")
    if "$" in text or "£" in text or "€" in text:
        names.add("q:currency sign")
    return names


def context_vector(sentence) -> list[float]:
    """The mean of the sentence's rows of doc.tensor ([] when the parse has no tensor)."""
    tensor = sentence.doc.tensor
    if tensor is None or not len(tensor) or tensor.shape[0] != len(sentence.doc):
        return []
    return tensor[sentence.start:sentence.end].mean(axis=0).tolist()
