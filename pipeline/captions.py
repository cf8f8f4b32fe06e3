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
    r"view of|top view|side view|still life|visual|illustration|diagram|infographic|graphic|schematic|"
    r"cross-section|drawing|artwork|3d render|magnified|microscopic view|micrograph|scan of)\b", re.I)
CAPTION_OPENING = re.compile(
    r"^\s*(figure\b|fig\.|photo\b|image\b|picture\b|illustration\b|infographic\b|graphic\b|diagram\b|"
    r"chart\b|schematic\b|credit\b|source: getty\b)", re.I)
# Words describing what one sees: colours, textures, shapes, poses.
VISUAL_WORDS = re.compile(
    r"\b(white|black|green|red|blue|yellow|golden|beige|grey|gray|pale|pink|purple|orange|silver|"
    r"translucent|transparent|textured|porous|spherical|speckled|smooth|glowing|vibrant|delicate|"
    r"dried|woven|layered|concentric|fractal|nodular|ribbed|crumpled|sheer|soft|dim|bright|colou?rful|"
    r"abstract|stylised|stylized|intricate|radiant|serene|calm|smiling|lying|holding|"
    r"resting(?!\s+(heart|blood|metabolic|ecg|energy|state|pulse|levels?|phase))|"
    r"arranged|lined up|beside|wooden|sunlit|moonlight|dawn|sunrise|sunset|silhouette|umbrellas?|"
    r"pebbles|leaf|leaves|branch|roots?|spheres?|pearls?|vials?|pellet|foliage|shell|sand|"
    r"cluster|strands|fibres|fibers|tendrils|matrix|structures?|forms?)\b", re.I)
PERSON_NOUN = (r"(man|woman|men|women|person|people|individuals?|couple|family|patients?|child|children|girl|boy|"
               r"teenagers?|toddler|baby|infant|adults?|friends|team|crowd|hands?|feet|"
               r"doctor|nurse|paramedics?|surgeon|clinician|coach|trainer|"
               r"athletes?|players?|runners?|cyclists?|swimmers?|climbers?|lifters?|"
               r"\w+ologists?|\w+icians?|\w+therapists?|\w{3,}ists?)")
# An opening noun phrase about people or hands ("Two nurses ...", "A dermatologist ...").
PERSON_SCENE = re.compile(
    r"^\s*(a|an|two|three|four|several|the|group of|pair of)?\s*((young|older|elderly|middle-aged|smiling|focused|calm|"
    r"professional|female|male|diverse|tired|amateur|senior|teenage|\w+-\w+)\s+)*"
    # up to two more modifiers ("Marathon runners", "Rock climber"), but not a quantifier:
    # "Most athletes ..." opens a generalisation, not a scene
    r"((?!(?:a|an|the|most|many|some|all|few|these|those|such|other|both|each|every|older|younger)\b)[a-z][\w'’-]*\s+){0,2}"
    + PERSON_NOUN + r"\b", re.I)
# A physical setting: a locative preposition before a place, a piece of furniture, a
# surface or the light of a time of day. Prose about physiology puts things "in the
# liver"; a picture puts them "on a wooden deck", "in a bright kitchen", "at dawn".
SETTING = re.compile(
    r"\b(in|on|at|beside|by|near|next to|under|over|across|along|against|through|into|onto|overlooking|"
    r"around|behind|inside|outside)\s+(a|an|the|his|her|their|its|front of a|front of the)?\s*"
    r"([\w-]+\s+){0,3}?"
    r"(kitchen|table|desk|counter|countertop|bench|sofa|couch|bed|bedroom|bathroom|living room|nightstand|"
    r"bedside|pillow|mirror|window|windowsill|floor|doorway|hallway|office|workstation|gym|studio|"
    r"beach|park|field|pitch|court|track|pool|lake|sea|ocean|river|shore|mountain|hill|trail|path|road|"
    r"street|forest|garden|meadow|grass|lawn|sand|deck|balcony|terrace|porch|village|city|skyline|"
    r"tray|plate|board|cutting board|surface|background|backdrop|sky|horizon|sunlight|moonlight|"
    r"light|glow|shade|dawn|dusk|sunrise|sunset|twilight|checkout|aisle|market|supermarket|"
    r"sideline|finish line|starting line|locker room|treadmill|mat|stretcher|ward|corridor|"
    r"waiting room|examination room|exam room|laboratory bench|night sky|room|hall|library|station|bridge|"
    r"valley|stall)s?\b", re.I)
# Things that get photographed: tableware, household objects, sports and clinic kit,
# foods as objects, materials. Two of them, or one placed in space, make a still life
# ("Lavender sprigs and a bar of soap on a folded towel"); prose names such things too,
# but then in a sentence with a period, which the shape cues already weigh.
OBJECTS = re.compile(
    r"\b(bowls?|plates?|glass(es)?|cups?|mugs?|jars?|bottles?|trays?|baskets?|spoons?(ful)?|forks?|knives|"
    r"napkins?|towels?|pillows?|blankets?|duvets?|sheets|lamps?|candles?|books?|notebooks?|posters?|chairs?|"
    r"laptops?|screens?|(smart)?phones?|watch(es)?|clocks?|alarm clock|stopwatch|headphones|earbuds|"
    r"dumbbells?|kettlebells?|barbells?|weights|balls?|rackets?|mats?|shoes|sneakers|trainers|bicycles?|bikes?|"
    r"helmets?|goggles|whistle|stethoscopes?|syringes?|vials?|pills?|capsules?|tablets|cuffs?|monitors?|"
    r"scales?|thermometers?|bandages?|tubes?|creams?|lotions?|soap|sprigs?|petals?|flowers?|"
    r"beds?|cots?|cables|wires|electrodes|sensors|straps|bags?|boxes|cans|cartons?|labels?|curtains|blinds|"
    r"earplugs|masks?|sunglasses|hats?|gloves?|lens|"
    r"linen|marble|ceramic|plastic|metal|steel|cotton|cardboard)\b", re.I)
# Foods count as photographed objects only when placed in space or served in something:
# nutrition prose lists foods all the time ("vegetables, legumes, whole grains ...").
FOODS = re.compile(
    r"\b(berries|fruits?|vegetables|nuts|seeds|bread|slices?|loaf|honey|salad|soup|eggs|avocados?|salmon|"
    r"lemons?|oranges?|apples?|bananas?|tomatoes|carrots|broccoli|spinach|oats|grains|beans|lentils|herbs?|leaves)\b",
    re.I)
# Objects placed in space with an indefinite article ("on a folded towel", "next to a jar").
PLACED = re.compile(r"\b(on|onto|beside|next to|over|under|atop|against|in front of|on top of|inside|behind|"
                    r"above|below|across|among|amid|surrounded by)\s+(a|an)\s", re.I)
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


FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD", "MD"})


def _is_finite(verb) -> bool:
    """A verb is finite when it carries tense itself or through an auxiliary ("is resting")."""
    children = list(verb.children)
    if verb.tag_ in FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in children):
        return True
    # the small model tags plural present verbs ("Retinoids increase ...") as VB
    return verb.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in children) and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in children)


def has_finite_clause(sentence) -> bool:
    """Whether a parsed sentence has a subject attached to a finite verb (a clause).

    Alt text is typically a noun phrase with participles ("Tennis ball resting on the
    baseline ...", "Paramedics wheeling a stretcher ..."), prose is made of clauses. The
    small model often attaches the noun as subject of the participle, so the verb must
    carry tense (VBZ/VBP/VBD/MD, or a finite auxiliary) for the line to count as a clause.
    """
    return any(t.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") and t.head.pos_ in ("VERB", "AUX")
               and _is_finite(t.head) for t in sentence)


def score_caption(text: str, next_is_heading_or_caption: bool = False, prev_is_caption: bool = False,
                  parsed=None, noun_phrase=None) -> CaptionVerdict:
    """Score how much `text` reads like a picture description.

    Two kinds of cue add up. Shape cues (a noun phrase rather than a clause, no final
    period, its place beside a heading or another caption) are shared with headings and
    list items; depiction cues (what a picture means, naming the image or the view,
    colours and textures, a physical setting, a person caught in a scene) are what only a
    picture description has. A verdict of caption needs the score AND at least one
    depiction cue, so that a sentence-case heading or an unpunctuated list line is never
    removed for its shape alone. `parsed` is the spaCy Doc of `text` when the caller has
    one, or `noun_phrase` a function that parses and answers `reads_as_noun_phrase`: it is
    called only when the grammatical cue can change the verdict (parsing is most of the
    cost of ingest); without either the grammatical cue is left out.
    """
    verdict = _score_without_grammar(text, next_is_heading_or_caption, prev_is_caption, noun_phrase=False)
    if len(text.split()) < 6:  # short noun phrases are labels and headings
        return verdict
    if parsed is not None:
        found = reads_as_noun_phrase(parsed)
    elif noun_phrase is None or verdict.score + 2.0 < THRESHOLD:
        # the cue adds at most 2.0: below that the verdict stays "not a caption", and only
        # the verdict (and the cues of a caption) are used, so the parse is skipped
        return verdict
    else:
        found = noun_phrase()
    if found:
        return _score_without_grammar(text, next_is_heading_or_caption, prev_is_caption, noun_phrase=True)
    return verdict


def reads_as_noun_phrase(parsed) -> bool:
    """Whether a parsed text reads as a noun phrase rather than clauses: the first sentence
    decides, unless most sentences are clauses (the small model sometimes reads a verb as a
    plural noun: "exercise lowers resting ...")."""
    sentences = list(parsed.sents)
    clauses = [has_finite_clause(s) for s in sentences]
    return bool(sentences) and not clauses[0] and sum(clauses) * 2 < len(clauses) + 1


def _score_without_grammar(text: str, next_is_heading_or_caption: bool, prev_is_caption: bool,
                           noun_phrase: bool) -> CaptionVerdict:
    """The caption score from every cue but the parse; `noun_phrase` is the parse's finding."""
    cues: list[str] = []
    score = 0.0
    depicts = False
    if noun_phrase:
        score += 2.0
        cues.append("a noun phrase, not a clause")
    words = text.split()
    picture_verbs = {m.group(0).lower() for m in PICTURE_VERBS.finditer(text)}
    if picture_verbs:
        score += 2.0 if len(picture_verbs) == 1 else 3.0
        depicts = True
        cues.append("says what a picture means (" + ", ".join(sorted(picture_verbs))[:60] + ")")
    if CAPTION_OPENING.search(text):
        score += 3.0
        depicts = True
        cues.append("opens like a figure or photo caption")
    elif IMAGE_WORDS.search(text):
        score += 1.5
        depicts = True
        cues.append("names the picture or the view")
    visual = {m.group(0).lower() for m in VISUAL_WORDS.finditer(text)}
    if visual:
        score += min(2.0, 0.5 * len(visual))
        depicts = depicts or len(visual) >= 2  # one colour word alone ("red meat") is not a picture
        cues.append("describes what is seen (" + ", ".join(sorted(visual)[:4]) + ")")
    setting = SETTING.search(text)
    if setting:
        score += 1.0
        depicts = True
        cues.append("places the scene in a physical setting (" + setting.group(0).lower()[:40] + ")")
    objects = {m.group(0).lower() for m in OBJECTS.finditer(text)}
    placed = PLACED.search(text)
    if placed or objects:
        objects |= {m.group(0).lower() for m in FOODS.finditer(text)}
    if len(objects) >= 2 or (objects and placed):
        score += 1.0
        depicts = True
        cues.append("a still life of objects (" + ", ".join(sorted(objects)[:3]) + ")")
    elif placed and not setting:
        score += 0.5
        cues.append("places something in space (" + placed.group(0).strip().lower() + ")")
    if PERSON_SCENE.search(text):
        score += 1.0
        depicts = True
        cues.append("opens by describing a person")
        if SCENE_ACTION.search(text):
            score += 0.5
            cues.append("a person caught in an action")
    if INTERPRETING_CLAUSE.search(text):
        score += 1.0
        depicts = True
        cues.append("a closing clause interprets the scene")
    if "a noun phrase, not a clause" in cues and (placed or visual or objects):
        # a verbless line that places things in space or names what is seen is a scene
        depicts = True
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
    return CaptionVerdict(round(score, 2), score >= THRESHOLD and depicts, tuple(cues))


def is_caption(text: str, **context) -> bool:
    return score_caption(text, **context).is_caption
