"""What kind of sentence a reviewer is looking at, for the first entry of a claim's `cues`.

Consumes one parsed sentence (a spaCy Span) and its cue names (claims/cues.py); produces one
of: "quoted finding", "statistic", "recommendation", "causal or comparative claim",
"personal anecdote", "opinion", "question", "factual statement". The kind explains and
never scores: a reviewer sees at a glance whether to check a number, a cause, a quoted
result or a guideline, and why an anecdote or an opinion scored low.
"""
from __future__ import annotations

import re

# a researcher's own result, reported ("We found that ...", said X; "the authors concluded")
FINDING = re.compile(r"\b(we|our (data|results|study|trial|analysis|findings))\b.{0,40}\b(found|find|saw|see|show\w*|"
                     r"observed|estimate\w*|suggest\w*|demonstrat\w*)\b|\b(found|shows?|showed|shown|suggests?|"
                     r"reported|concluded|demonstrated)\b", re.I)
REPORTING = re.compile(r"\b(said|says|say|wrote|writes|told|according to|concluded|reported|explained)\b", re.I)
QUOTE = re.compile(r"[\"“”]")
# a body's advice ("The agency recommends that adults ...") comes before any number it states
ADVICE = re.compile(r"\b(recommend\w*|advis\w*|guidelines?|urge[sd]?|calls? for)\b", re.I)
RECOMMEND = re.compile(r"\b(should|ought to|must|need to|needs to)\b", re.I)
OPINION = re.compile(r"\b(i|we) (think|believe|feel|suspect|hope|doubt)\b|\b(in my (view|opinion)|personally|frankly|"
                     r"to me|i find|i agree|i disagree|i tend to)\b", re.I)
FAMILY = re.compile(r"\b(my|our) (mother|father|mom|mum|dad|son|daughter|wife|husband|grandmother|grandfather|"
                    r"aunt|uncle|brother|sister|family|friend|doctor|kids|children|parents)\b", re.I)
FACTUAL_CUES = ("causal_verb", "comparison", "mechanism")
# a metaphor around a fact ("The primary fuel for these furnaces is glucose") is still a claim
SUBSTANCE_CUES = ("causal_verb", "biomedical_entity", "number", "study_reference", "citation")


def _first_person_singular_subject(sentence) -> bool:
    return any(t.lower_ in ("i", "me", "my") and t.dep_ in ("nsubj", "nsubjpass", "poss") for t in sentence)


def _past_tense(sentence) -> bool:
    return any(t.tag_ == "VBD" for t in sentence)


def sentence_kind(sentence, cues) -> str:
    """The kind of one sentence (see the module docstring)."""
    text = sentence.text
    if "question" in cues:
        return "question"
    if OPINION.search(text) or ("metaphor" in cues or "rhetorical" in cues) \
            and not any(cue in cues for cue in SUBSTANCE_CUES):
        return "opinion"
    reported = QUOTE.search(text) or REPORTING.search(text)
    if reported and FINDING.search(text) or FINDING.search(text) and "study_reference" in cues \
            and re.search(r"\b(we|our|researchers|authors|study|trial)\b", text, re.I):
        return "quoted finding"
    if (_first_person_singular_subject(sentence) or FAMILY.search(text)) and _past_tense(sentence):
        return "personal anecdote"
    if ADVICE.search(text):
        return "recommendation"
    if "number" in cues:
        return "statistic"
    if RECOMMEND.search(text) or "imperative" in cues:
        return "recommendation"
    if any(cue in cues for cue in FACTUAL_CUES):
        return "causal or comparative claim"
    if _first_person_singular_subject(sentence):
        return "personal anecdote" if _past_tense(sentence) else "opinion"
    return "factual statement"
