"""Holes that scraping left in a sentence, found from the parse.

Consumes one parsed sentence (a spaCy Span); produces descriptions of each hole: where
it is (token index within the sentence, or "start") and what kind. Scraped pages lose
linked terms, leaving grammatical holes: "Targeted [exercise protocols] are ...",
"hundreds of [myokines] into circulation", "Think of [AMPK] as ...", "how [exercise]
can reverse ...", "... are [High-Intensity Interval Training] (HIIT) and ...",
"stimulate [glucose uptake] through ...", or a sentence that starts in lowercase
because its first words were a link.
"""
from __future__ import annotations

import re

# prepositions that legitimately stand right before another preposition ("out of", "because of")
PREP_BEFORE_PREP_OK = frozenset("""out because instead ahead apart due up down from away along prior according rather
such as except next close together regardless irrespective back over off""".split())
PAIR_OK = frozenset({("from", "within"), ("in", "between"), ("from", "among"), ("until", "after"),
                     ("since", "before"), ("except", "for"), ("from", "behind"), ("along", "with"),
                     ("for", "about"), ("of", "about")})
QUANTITY_OPENERS = frozenset("up about around over under nearly almost roughly approximately below above".split())
# verbs that need an object; one followed directly by a preposition or "and" lost it
TRANSITIVE = frozenset("""stimulate enhance activate trigger induce inhibit suppress promote facilitate impair upregulate
downregulate elicit counteract mitigate exacerbate augment attenuate improve""".split())
LOWERCASE_STARTS_OK = re.compile(r"^(e\.g\.|i\.e\.|mRNA|pH|iPhone|iPad|eGFR|mTOR|p53|de\s|van\s|von\s|\d)")
SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"}


def _hole(index: int, kind: str, tokens: str) -> str:
    return f"token {index}: {kind} ('{tokens}')"


def find_damage(sentence) -> tuple[str, ...]:
    """The holes in one parsed sentence, in order of position."""
    found: list[str] = []
    tokens = list(sentence)
    text = sentence.text.strip()
    if text and text[0].islower() and not LOWERCASE_STARTS_OK.match(text):
        found.append(f"start: sentence starts in lowercase mid-thought ('{' '.join(t.text for t in tokens[:3])}')")
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        pair = f"{token.text} {nxt.text}" if nxt is not None else token.text
        # a preposition with no object: "of into", "of as", "for as", "of and", "on: the"
        if token.pos_ == "ADP" and token.dep_ in ("prep", "agent", "dative") and nxt is not None \
                and token.lower_ not in PREP_BEFORE_PREP_OK and (token.lower_, nxt.lower_) not in PAIR_OK:
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            # "for up to 48 hours", "in about 30 percent": the second word opens a quantity
            quantity = nxt.lower_ in QUANTITY_OPENERS and after is not None \
                and (after.like_num or after.lower_ in ("to", "a", "an", "half"))
            # "during and after exercise": two prepositions sharing one object
            shared = nxt.pos_ == "CCONJ" and after is not None and after.pos_ == "ADP"
            if (nxt.pos_ in ("ADP", "CCONJ") or nxt.lower_ == "as" or nxt.text in (":", ";", "—")) \
                    and not quantity and not shared:
                found.append(_hole(i, f"preposition '{token.text}' with no object", pair))
                continue
        # an adjective or participle standing as the subject with no noun: "Targeted are"
        if token.dep_ in ("nsubj", "nsubjpass") and token.tag_ in ("VBN", "JJ") and not list(token.children):
            found.append(_hole(i, "modifier with no head noun", pair))
            continue
        # a determiner right before a verb or preposition: "the are", "a of"
        if token.lower_ in ("the", "a", "an") and nxt is not None \
                and (nxt.pos_ in ("AUX", "ADP", "CCONJ") or nxt.text in (",", ".", ";", ":")):
            found.append(_hole(i, "determiner with no noun", pair))
            continue
        # a modal verb whose clause has no subject: "how can reverse"
        if token.tag_ == "MD" and token.dep_ == "aux":
            verb = token.head
            if verb.dep_ not in ("conj", "xcomp", "relcl", "acl") and not any(c.dep_ in SUBJECTS for c in verb.children) \
                    and not text.endswith("?") and i > 0:
                found.append(_hole(i, "verb with no subject", f"{tokens[i - 1].text} {pair}"))
                continue
        # an abbreviation in parentheses with no term before it: "are (HIIT) and"
        if token.text == "(" and nxt is not None and re.fullmatch(r"[A-Z][A-Z0-9\-]{1,9}", nxt.text) and i > 0 \
                and tokens[i - 1].pos_ in ("AUX", "ADP", "DET", "CCONJ", "VERB", "SCONJ"):
            found.append(_hole(i, "abbreviation with no expanded term before it", f"{tokens[i - 1].text} ({nxt.text})"))
            continue
        # a transitive verb that lost its object: "stimulate through", "improving and"
        if token.pos_ == "VERB" and token.lemma_ in TRANSITIVE and nxt is not None and nxt.pos_ in ("ADP", "CCONJ") \
                and nxt.lower_ not in ("by",) and not any(c.dep_ in ("dobj", "obj", "auxpass", "nsubjpass", "ccomp", "xcomp")
                                                           for c in token.children) \
                and not (token.tag_ == "VBN"):
            if nxt.pos_ == "ADP" or token.tag_ == "VBG":
                found.append(_hole(i, f"verb '{token.text}' with no object", pair))
    return tuple(found)
