"""Is a paragraph image alt text or a figure caption rather than article prose?

Consumes one paragraph of text, optionally its spaCy parse and what stands around it;
produces a `CaptionVerdict`: the probability that it is a caption, the decision and the
cues that drove it, so that a removed caption carries a readable reason.

The detector is a small learned model, not a list of known captions: a logistic
regression over the features of caption_features.py (grammar: a noun phrase with
participles rather than a finite clause; depiction: what a picture means, the view,
colours, settings, objects, people in a scene; claims: numbers, study words, causal
verbs, hedges; shape) plus, with a parse, the mean of the spaCy model's contextual token
vectors. Its weights (caption_weights.py) are fitted by bench/train_captions.py on the
labelled tuning sets in tests/data. Two things are not learned:
- a line that opens with a figure label ("Figure 2.", "Fig. 3:", "Photo:") is a caption
  whatever follows, since that label exists only to caption something;
- context: a line right after a caption, or between prose and a heading, gets a small
  push towards caption (alt text often comes two in a row, before the next heading).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipeline.ingest import caption_features


from pipeline.ingest import caption_weights

THRESHOLD = caption_weights.THRESHOLD
# Log-odds added for context. Small: the last paragraph of every section also stands
# before a heading, and a paragraph can follow a caption.
AFTER_CAPTION = 1.0
BEFORE_HEADING = 0.5
# Below this probability a caption with no picture talk that stands where a sentence-case
# heading would (short, no final period, body text after it) is taken as the heading, as
# is one that opens like a heading. Cross-validated over the tuning groups (leave one out):
# all 5 of the 40 sentence-case headings the model scores as captions pass this gate, and
# 4 of the 102 short captions without a final period do (they are then kept as headings
# when body text follows them, not when a heading or another caption does).
WEAK_CAPTION = 0.8
# "Figure 2." / "Fig. 3:" (a number and a stop: "Figure 2 shows ..." is prose citing a
# figure), "Photo:", "Image credit", "Photograph courtesy of ...".
FIGURE_LABEL = re.compile(
    r"^\s*(fig(ure)?\.?\s*\d+[a-z]?\s*[.:|]|(photo(graph)?|image|picture|illustration|chart|graphic|infographic)"
    r"( credit)?\s*(:|\s[—–-]\s)|(photo(graph)?|image) (credit|courtesy)\b)", re.I)
# Plain-language names of the features, for the reason column of blocks.csv.
CUE_NAMES = {
    "no_final_period": "no final period",
    "participle_modifiers": "participles, not tensed verbs",
    "verbless": "a noun phrase, not a clause",
    "root_is_noun": "a noun phrase, not a clause",
    "opens_with_a": "opens on a particular thing",
    "indefinite_articles": "names particular things",
    "strong_picture_verb": "says what a picture means",
    "weak_picture_verb": "says what a picture means",
    "interpreting_clause": "a closing clause interprets the scene",
    "names_the_image": "names the picture or the view",
    "caption_opening": "opens like a figure or photo caption",
    "visual_words": "describes what is seen",
    "setting": "places the scene in a physical setting",
    "objects": "a still life of objects",
    "placed": "places something in space",
    "person_scene": "opens by describing a person",
    "person_in_action": "a person caught in an action",
    "depiction_head": "names a diagram, chart or photo and what it shows",
    "noun_then_participle": "a noun phrase with a participle, not a clause",
}
# Features that talk about a picture outright: a line of a list is removed only with one.
PICTURE_TALK = ("strong_picture_verb", "weak_picture_verb", "names_the_image", "caption_opening")


@dataclass(frozen=True)
class CaptionVerdict:
    score: float  # probability of a caption, context included
    is_caption: bool
    cues: tuple[str, ...]
    talks_about_picture: bool = False
    # opens like a heading ("Helping children sleep ...", "Why blood sugar matters"), or
    # is only a weak caption without picture talk: in a text dump such a line standing
    # before body text is taken as a sentence-case heading first (ingest_text.py)
    may_be_heading: bool = False

    @property
    def reason(self) -> str:
        return "image caption / alt text: " + ", ".join(self.cues)


def _logit(values: dict[str, float], context: list[float]) -> tuple[float, list[tuple[float, str]]]:
    """Log-odds of a caption and each named feature's contribution to it."""
    model = caption_weights.MODELS["parsed" if context else "text"]
    weights = model["features"]
    contributions = [(weights[name] * value, name) for name, value in values.items() if value]
    total = model["bias"] + sum(c for c, _ in contributions)
    if context:
        learned = sum(w * x for w, x in zip(model["context"], context))
        total += learned
        contributions.append((learned, "context"))
    return total, contributions


def _cues(contributions: list[tuple[float, str]]) -> tuple[str, ...]:
    names: list[str] = []
    for value, name in sorted(contributions, reverse=True):
        if value < 0.25:
            break
        label = CUE_NAMES.get(name, "reads like a picture description" if name == "context" else None)
        if label and label not in names:
            names.append(label)
    return tuple(names[:5])


def score_caption(text: str, next_is_heading_or_caption: bool = False, prev_is_caption: bool = False,
                  parsed=None) -> CaptionVerdict:
    """How likely `text` is a picture description, and the verdict.

    `parsed` is the spaCy Doc of `text` when the caller has one (tagger and parser); with
    it the grammar features and the contextual vectors count, without it the text-only
    weights apply. The context flags say what stands around the paragraph in its document.
    """
    values = caption_features.features(text, parsed)
    context = caption_features.context_vector(parsed) if parsed is not None else []
    if context and len(context) != len(caption_weights.MODELS["parsed"]["context"]):
        context = []  # another spaCy model than the one the weights were fitted with
    logit, contributions = _logit(values, context)
    cues = list(_cues(contributions))
    if prev_is_caption:
        logit += AFTER_CAPTION
        cues.append("right after another caption")
    elif next_is_heading_or_caption:
        logit += BEFORE_HEADING
        cues.append("stands between prose and a heading / beside another caption")
    probability = 1 / (1 + math.exp(-max(-30.0, min(30.0, logit))))
    labelled = bool(FIGURE_LABEL.search(text))
    if labelled:
        cues.insert(0, "opens with a figure or photo label")
    talks = labelled or any(values[name] for name in PICTURE_TALK)
    may_be_heading = not talks and not values["noun_then_participle"] and (
        bool(values["opens_with_gerund"] or values["question_opening"]) or probability < WEAK_CAPTION)
    return CaptionVerdict(round(probability, 3), labelled or probability >= THRESHOLD, tuple(cues),
                          talks_about_picture=talks, may_be_heading=may_be_heading)


