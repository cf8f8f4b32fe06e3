"""Is a paragraph image alt text or a figure caption rather than article prose?

Consumes one paragraph of text (and, optionally, what stands around it); produces a
score, the threshold decision and the cues that drove it, so that a removed caption
carries a readable reason. The detector is a small transparent model of how captions are
written, not a list of known captions: they describe a picture (colours, textures, a
view, a person's pose) and say what it "symbolizes / represents / depicts / embodies";
they often lack a final period; they seldom address the reader, cite studies or give
quantities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

THRESHOLD = 3.0

# Verbs and phrases that say what a picture means or shows.
PICTURE_VERBS = re.compile(
    r"\b(symboli[sz](e|es|ed|ing)|symbolic|represent(s|ing|ed)?|depict(s|ing|ed)?|illustrat(e|es|ing|ed)|"
    r"embod(y|ies|ying|ied)|signif(y|ies|ying|ied)|evok(e|es|ing|ed)|convey(s|ing|ed)?|visuali[sz](e|es|ing|ed)|"
    r"showcas(e|es|ing|ed)|exemplif(y|ies|ying|ied)|reminiscent of|visual metaphor|metaphor (for|of)|"
    r"indicative of|portray(s|ing|ed)?|captur(e|es|ing|ed)|suggest(s|ing))\b", re.I)
# A trailing participle clause that interprets the scene ("..., reflecting the social side of ...").
INTERPRETING_CLAUSE = re.compile(r",\s+(reflecting|evoking|highlighting|emphasi[sz]ing|conveying)\b", re.I)
# A scene in the present progressive or simple present right after a person noun phrase.
SCENE_ACTION = re.compile(r"^\S+(\s+\S+){0,3}?\s+(\w+ing|checks|holds|sits|stands|walks|runs|lies|looks|smiles)\b", re.I)
# Words that name the picture itself or the way it was taken.
IMAGE_WORDS = re.compile(
    r"\b(image|photo(graph)?|picture|close-up|closeup|macro( view)?|overhead( view)?|aerial view|"
    r"rendering|silhouetted?|portrait|backdrop|background|foreground|viewed from|in focus|blurred?|"
    r"a view of|top view|side view|still life|visual)\b", re.I)
CAPTION_OPENING = re.compile(r"^\s*(figure|fig\.|photo|image|picture|illustration|credit|source: getty)\b", re.I)
# Words describing what one sees: colours, textures, shapes, poses.
VISUAL_WORDS = re.compile(
    r"\b(white|black|green|red|blue|yellow|golden|beige|grey|gray|pale|pink|purple|orange|silver|"
    r"translucent|transparent|textured|porous|spherical|speckled|smooth|glowing|vibrant|delicate|"
    r"dried|woven|layered|concentric|fractal|nodular|ribbed|crumpled|sheer|soft|dim|bright|colou?rful|"
    r"abstract|stylised|stylized|intricate|radiant|serene|calm|smiling|lying|holding|resting|"
    r"arranged|lined up|beside|wooden|sunlit|moonlight|dawn|sunrise|sunset|silhouette|umbrellas?|"
    r"pebbles|leaf|leaves|branch|roots?|spheres?|pearls?|vials?|pellet|foliage|shell|sand|"
    r"cluster|strands|fibres|fibers|tendrils|matrix|structures?|forms?)\b", re.I)
PERSON_SCENE = re.compile(
    r"^\s*(a|an|two|three|the)?\s*((young|older|elderly|middle-aged|smiling|focused|calm|professional|"
    r"female|male|diverse)\s+)*(man|woman|men|women|person|individual|individuals|couple|family|patient|"
    r"athlete|athletes|runner|cyclist|swimmer|child|children|girl|boy|doctor|clinician)\b", re.I)
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
EVIDENCE = re.compile(
    r"(\d+(\.\d+)?\s?(%|percent|mg|g|kg|mmhg|mmol|hours?|minutes?|weeks?|years?))|"
    r"\b(study|studies|trial|trials|cohort|meta-analysis|researchers|reported|associated with|"
    r"risk|per cent|because|therefore|however|whereas|which means)\b", re.I)
SENTENCE_END = re.compile(r"[.!?][\"”’)]*$")


@dataclass(frozen=True)
class CaptionVerdict:
    score: float
    is_caption: bool
    cues: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "image caption / alt text: " + ", ".join(self.cues)


def _sentences(text: str) -> int:
    return max(1, len(re.findall(r"[.!?](\s|$)", text)))


def has_finite_clause(sentence) -> bool:
    """Whether a parsed sentence has a subject attached to a verb (a finite clause).

    Alt text is typically a noun phrase with participles ("Tennis ball resting on the
    baseline ..."), prose is made of clauses; counting subjects is sturdier than the
    root's tag, which the small model sometimes gets wrong.
    """
    return any(t.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") and t.head.pos_ in ("VERB", "AUX") for t in sentence)


def score_caption(text: str, next_is_heading_or_caption: bool = False, prev_is_caption: bool = False,
                  parsed=None) -> CaptionVerdict:
    """Score how much `text` reads like a picture description.

    `parsed` is the spaCy Doc of `text` when the caller has one; without it the
    grammatical cue (no finite clause) is left out.
    """
    cues: list[str] = []
    score = 0.0
    if parsed is not None and len(text.split()) >= 6:  # short noun phrases are labels and headings
        first = next(iter(parsed.sents), None)
        if first is not None and not has_finite_clause(first):
            score += 2.0
            cues.append("a noun phrase, not a clause")
    words = text.split()
    picture_verbs = {m.group(0).lower() for m in PICTURE_VERBS.finditer(text)}
    if picture_verbs:
        score += 2.0 if len(picture_verbs) == 1 else 3.0
        cues.append("says what a picture means (" + ", ".join(sorted(picture_verbs))[:60] + ")")
    if CAPTION_OPENING.search(text):
        score += 3.0
        cues.append("opens like a figure or photo caption")
    elif IMAGE_WORDS.search(text):
        score += 1.5
        cues.append("names the picture or the view")
    visual = {m.group(0).lower() for m in VISUAL_WORDS.finditer(text)}
    if visual:
        score += min(2.0, 0.5 * len(visual))
        cues.append("describes what is seen (" + ", ".join(sorted(visual)[:4]) + ")")
    if PERSON_SCENE.search(text):
        score += 1.0
        cues.append("opens by describing a person")
        if SCENE_ACTION.search(text):
            score += 0.5
            cues.append("a person caught in an action")
    if INTERPRETING_CLAUSE.search(text):
        score += 1.0
        cues.append("a closing clause interprets the scene")
    if words and not SENTENCE_END.search(text.strip()):
        # prose paragraphs end with a period; a long sentence-case line without one is
        # the typical shape of alt text (short title-case lines are headings, decided earlier)
        score += 2.0 if len(words) >= 8 else 1.0
        cues.append("no final period")
    if next_is_heading_or_caption or prev_is_caption:
        score += 0.5
        cues.append("stands between prose and a heading / beside another caption")
    if SECOND_PERSON.search(text):
        score -= 1.5
    evidence = len(EVIDENCE.findall(text))
    if evidence:
        score -= min(2.0, 1.0 * evidence)
    if _sentences(text) > 3:
        score -= 1.0
    if len(words) > 80:
        score -= 1.5
    return CaptionVerdict(round(score, 2), score >= THRESHOLD, tuple(cues))


def is_caption(text: str, **context) -> bool:
    return score_caption(text, **context).is_caption
