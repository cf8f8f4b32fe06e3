"""What a paragraph looks like to the caption model: a fixed vector of named features.

Consumes one paragraph of text and, when the caller has it, its spaCy parse (tagger and
parser); produces a dict from feature name to a number, every name of `FEATURES` present.
The caption model (captions.py) weighs these features with weights learned from the
labelled sets in tests/data/ingest (bench/train_captions.py); this module holds no weights.

The features describe how alt text is written in general, not the words of any set:
- grammar: alt text is a noun phrase with participles ("Pink ribbon pinned to a
  cardigan"), prose is made of finite clauses, subordinate clauses and modal verbs;
- depiction: what a picture means ("symbolizing"), naming the image or the view, colours
  and textures, a physical setting, photographed objects, a person caught in a scene;
- claims: numbers, study words, causal and comparative verbs, hedges, the reader
  addressed: what article prose is made of and a picture description seldom is;
- shape: the final period, the length, the number of sentences.
Every feature is a bounded number (0/1, a capped count or a density, at most 1), so no long paragraph outweighs the rest.
"""
from __future__ import annotations

import math
import re

from pipeline.claims import SECOND_PERSON

# -- depiction vocabulary ----------------------------------------------------------------
# Verbs and phrases that say what a picture means. The strong ones are seldom used of
# anything but an image; the weak ones ("represents", "illustrates") are common in prose
# too ("LDL represents the main carrier ...") and so are a separate, weaker feature.
STRONG_PICTURE_VERBS = re.compile(
    r"\b(symboli[sz](e|es|ed|ing)|symbolic|symbol of|embod(y|ies|ying|ied)|signif(y|ies|ying|ied)|"
    r"evok(e|es|ing|ed)|depict(s|ing|ed)?|reminiscent of|visual metaphor|metaphor (for|of)|a picture of|"
    r"a portrait of|emblem(atic)? of|a reminder of|personif(y|ies|ying|ied))\b", re.I)
WEAK_PICTURE_VERBS = re.compile(
    r"\b(represent(s|ing|ed)?|illustrat(e|es|ing|ed)|convey(s|ing|ed)?|visuali[sz](e|es|ing|ed)|"
    r"showcas(e|es|ing|ed)|exemplif(y|ies|ying|ied)|portray(s|ing|ed)?|captur(e|es|ing|ed)|"
    r"suggest(s|ing)|indicative of|highlight(s|ing)|reflect(s|ing))\b", re.I)
# A trailing participle or appositive that interprets the scene ("..., reflecting ...").
INTERPRETING_CLAUSE = re.compile(
    r",\s+(reflecting|evoking|highlighting|emphasi[sz]ing|conveying|symboli[sz]ing|representing|signifying|"
    r"embodying|illustrating|suggesting|capturing|depicting|showing|a (symbol|sign|metaphor|reminder|picture|"
    r"portrait)\b)", re.I)
# Words that name the picture itself or the way it was taken.
IMAGE_WORDS = re.compile(
    r"\b(image|photo(graph)?s?|pictures?|close-up|closeup|macro( view)?|overhead( view)?|"
    r"aerial view|top view|side view|view of|rendering|rendered|render|silhouetted?|portrait|"
    r"backdrop|background|foreground|in focus|blurred?|still life|visual|illustration|diagram|infographic|"
    r"graphic|schematic|cross-section|drawing|artwork|magnified|microscopic view|micrograph|scan of|"
    r"stock photo|flat lay|selfie|snapshot)\b", re.I)
CAPTION_OPENING = re.compile(
    r"^\s*(figure\b|fig\.|photo\b|photograph\b|image\b|picture\b|illustration\b|infographic\b|graphic\b|"
    r"diagram\b|chart\b|schematic\b|credit\b|source: getty\b|close-up\b|closeup\b|overhead\b|aerial\b|"
    r"macro\b|top view\b|side view\b|silhouette\b|portrait\b|(an? )?(anatomical |digital |medical |3d )?"
    r"(illustration|diagram|drawing|rendering|schematic|cross-section) of\b)", re.I)
# What one sees: colours, light, textures, shapes, poses.
VISUAL_WORDS = re.compile(
    r"\b(white|black|green|red|blue|yellow|golden|beige|grey|gray|pale|pink|purple|orange|silver|"
    r"turquoise|teal|crimson|amber|translucent|transparent|textured|porous|spherical|speckled|smooth|"
    r"glowing|gleaming|shimmering|vibrant|delicate|dried|woven|knitted|layered|concentric|"
    r"fractal|nodular|ribbed|crumpled|sheer|soft|dim|dimly|dark|bright|sunny|sunlit|misty|foggy|"
    r"rain-soaked|snowy|colou?rful|striped|checked|abstract|stylised|stylized|intricate|radiant|serene|"
    r"smiling|laughing|frowning|lying|kneeling|crouching|seated|standing|holding|gripping|"
    r"clutching|cupping|leaning|stretching|wearing|steaming|wooden|marble|glass|ceramic|sliced|"
    r"scattered|stacked|arranged|lined up|piled|moonlight|sunlight|dawn|dusk|sunrise|sunset|silhouette|"
    r"shadows?|pebbles|leaf|leaves|branch|spheres?|pearls?|droplets?|petals?|foliage|shell|tendrils|strands)\b",
    re.I)
PERSON_NOUN = (r"(man|woman|men|women|person|people|individuals?|couple|family|patients?|child|children|girl|"
               r"boy|kids?|teenagers?|teen|toddler|baby|infant|adults?|friends|team|crowd|hands?|feet|fingers?|"
               r"doctor|nurse|paramedics?|surgeon|clinician|coach|trainer|grandmother|grandfather|mother|"
               r"father|parents?|daughter|son|students?|commuter|worker|volunteers?|"
               r"athletes?|players?|runners?|cyclists?|swimmers?|climbers?|lifters?|rowers?|sprinters?|"
               r"goalkeeper|jogger|hiker|skier|dancer|\w+ologists?|\w+icians?|\w+therapists?|\w{3,}ists?)")
# An opening noun phrase about people or hands ("Two nurses ...", "A dermatologist ...").
PERSON_SCENE = re.compile(
    r"^\s*(a|an|two|three|four|several|the|group of|pair of)?\s*((young|older|elderly|middle-aged|smiling|"
    r"focused|calm|professional|female|male|diverse|tired|amateur|senior|teenage|\w+-\w+)\s+)*"
    # up to two more modifiers ("Marathon runners"), but not a quantifier: "Most athletes
    # ..." opens a generalisation, not a scene
    r"((?!(?:a|an|the|most|many|some|all|few|these|those|such|other|both|each|every|older|younger)\b)"
    r"[a-z][\w'’-]*\s+){0,2}" + PERSON_NOUN + r"\b", re.I)
# A physical setting: a locative preposition before a place, furniture, a surface or the
# light of a time of day. Prose puts things "in the liver"; a picture puts them "on a
# wooden deck", "in a bright kitchen", "at dawn".
SETTING = re.compile(
    r"\b(in|on|at|beside|by|near|next to|under|over|across|along|against|through|into|onto|overlooking|"
    r"around|behind|inside|outside|atop)\s+(a|an|the|his|her|their|its|front of a|front of the)?\s*"
    r"([\w-]+\s+){0,3}?"
    r"(kitchen|table|desk|counter|countertop|bench|sofa|couch|bed|bedroom|bathroom|living room|nightstand|"
    r"bedside|pillow|mirror|window|windowsill|floor|doorway|hallway|office|workstation|gym|studio|"
    r"beach|park|field|pitch|court|track|pool|lake|sea|ocean|river|canal|shore|mountain|hill|trail|path|"
    r"road|street|forest|garden|meadow|grass|lawn|sand|deck|balcony|terrace|porch|village|city|skyline|"
    r"tray|plate|board|surface|background|backdrop|sky|horizon|sunlight|moonlight|light|glow|shade|dawn|"
    r"dusk|sunrise|sunset|twilight|night|checkout|aisle|market|supermarket|shelf|shelves|sideline|"
    r"finish line|starting line|locker room|treadmill|mat|stretcher|ward|corridor|waiting room|"
    r"examination room|exam room|clinic|playground|classroom|towel|blanket|rain|snow|sun|"
    r"wall|room|hall|library|station|bridge|valley|stall|chair|car|train|bus)s?\b", re.I)
# Things that get photographed: tableware, household objects, sports and clinic kit,
# materials. Foods count only when placed or served (nutrition prose lists foods all the
# time), see `features`.
OBJECTS = re.compile(
    r"\b(bowls?|plates?|glass(es)?|cups?|mugs?|jars?|bottles?|trays?|baskets?|spoons?(ful)?|forks?|knives|"
    r"napkins?|towels?|pillows?|blankets?|duvets?|sheets|lamps?|candles?|books?|notebooks?|journals?|pens?|"
    r"posters?|chairs?|laptops?|screens?|(smart)?phones?|watch(es)?|clocks?|stopwatch|headphones|earbuds|"
    r"dumbbells?|kettlebells?|barbells?|balls?|rackets?|mats?|shoes|sneakers|bicycles?|bikes?|helmets?|"
    r"goggles|whistle|stethoscopes?|syringes?|vials?|pills?|capsules?|cuffs?|monitors?|thermometers?|"
    r"bandages?|tubes?|creams?|lotions?|soap|sprigs?|flowers?|cots?|cables|wires|electrodes|straps|bags?|"
    r"boxes|cans|cartons?|curtains|blinds|earplugs|masks?|sunglasses|hats?|gloves?|lens|ribbons?|"
    r"pens?|linen|marble|ceramic|plastic|metal|steel|cotton|cardboard|paper)\b", re.I)
FOODS = re.compile(
    r"\b(berries|fruits?|vegetables|nuts|seeds|bread|slices?|loaf|honey|salad|soup|eggs|avocados?|salmon|"
    r"lemons?|oranges?|apples?|bananas?|tomatoes|carrots|broccoli|spinach|oats|grains|beans|lentils|"
    r"herbs?|leaves|yoghurt|yogurt|oil|rice|pasta|dough|flour|chickpeas)\b", re.I)
# Something placed in space with an indefinite article ("on a folded towel").
PLACED = re.compile(r"\b(on|onto|beside|next to|over|under|atop|against|in front of|on top of|inside|behind|"
                    r"above|below|across|among|amid|surrounded by)\s+(a|an)\s", re.I)

# A picture named by its kind and then what it shows: "Diagram showing how a tumour
# recruits ...", "Chart comparing ...", "Micrograph of ...". What follows may be a whole
# clause; the head says it is a caption. Prose names a figure as the subject of a tensed
# verb instead ("The graph shows that ...", "The figure illustrates ...").
DEPICTION_HEAD = re.compile(
    r"^\s*((a|an|the)\s+)?([\w-]+\s+){0,2}?(diagram|infographic|chart|graph|illustration|micrograph|"
    r"photomicrograph|map|drawing|rendering|schematic|cartoon|x-ray|scan|image|photo(graph)?|picture|"
    r"timeline|flowchart|model|sketch|icon|poster|collage|montage)s?\s+(showing|of|illustrating|comparing|"
    r"depicting|highlighting|demonstrating|explaining|outlining|mapping|tracking|plotting|charting|"
    r"labell?ing|with|shaded|marked|summari[sz]ing|breaking down|tracing|in which|where)\b", re.I)
# A heading or a question, not a picture: "Why blood sugar matters", "How to ...".
QUESTION_OPENING = re.compile(r"^\s*(why|how|what|when|where|which|who|should|can|does|do|is|are|will)\b", re.I)

# -- claims vocabulary ---------------------------------------------------------------------

EVIDENCE = re.compile(
    r"(\d+(\.\d+)?\s?(%|percent|per cent|mg|g|kg|mmhg|mmol|hours?|minutes?|days?|weeks?|months?|years?))|"
    r"\b(study|studies|trial|trials|cohort|meta-analysis|researchers|evidence|reported|found|associated|"
    r"linked|risk|rates?|levels?|per cent|percent|compared with|than)\b", re.I)
# Causal and change verbs in a finite form: the backbone of a health claim.
CLAIM_VERBS = re.compile(
    r"\b(increase[sd]?|reduce[sd]?|lower(s|ed)?|raise[sd]?|improve[sd]?|cause[sd]?|prevent(s|ed)?|"
    r"protect(s|ed)?|help(s|ed)?|lead(s)?|led|trigger(s|ed)?|affect(s|ed)?|promote[sd]?|boost(s|ed)?|"
    r"impair(s|ed)?|damage[sd]?|regulate[sd]?|contain(s|ed)?|provide[sd]?|suppl(y|ies|ied)|produce[sd]?|"
    r"release[sd]?|depend(s|ed)?|determine[sd]?|predict(s|ed)?|explain(s|ed)?|mean(s|t)?|need(s|ed)?|"
    r"require[sd]?|work(s|ed)?|develop(s|ed)?|occur(s|red)?|decline[sd]?|rise[sn]?|rose|fall(s|en)?|fell)\b",
    re.I)
HEDGES = re.compile(r"\b(may|might|can|could|should|must|often|usually|typically|generally|tend(s)? to|likely|"
                    r"commonly|rarely|never|most|many|some)\b", re.I)
CONNECTIVES = re.compile(r"\b(because|which|whereas|although|though|while|when|whenever|if|unless|so that|"
                         r"however|therefore|thus|but|since|as a result|in turn|instead)\b", re.I)
SENTENCE_END = re.compile(r"[.!?][\"”’)]*$")

# -- grammar ------------------------------------------------------------------------------

# Nouns for ideas rather than things: prose is about processes, risks and functions, a
# picture shows objects and people. A suffix catches most of them in any topic; the list
# adds the short ones of health writing that carry no suffix.
ABSTRACT_SUFFIX = re.compile(r"(tion|sion|ity|ness|ment|ance|ence|ism|ship|ology|ure|age|acy|ency|ics|ogy)s?$", re.I)
ABSTRACT_NOUNS = frozenset("""health risk risks disease diseases effect effects function level levels rate rates
system systems process pathway pathways mechanism mechanisms response activity sensitivity way ways role
factor factors benefit benefits need needs use care change changes amount amounts type types
cause causes sign signs symptom symptoms evidence study studies research habit habits diet quality energy
balance control loss gain time part kind form sort""".split())

FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD", "MD"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})

# The order of the model's weight vector; captions.py and the trainer both use it.
FEATURES = (
    "no_final_period", "length", "short", "long", "several_sentences", "many_sentences",
    "first_sentence_is_clause", "clause_share", "root_is_noun", "participle_modifiers", "opens_with_a",
    "verbless", "clause_without_picture_verb", "finite_verbs", "subordinate_clauses", "copula",
    "generic_plural_subject", "abstract_nouns", "abstract_root", "indefinite_articles",
    "strong_picture_verb", "weak_picture_verb", "interpreting_clause", "names_the_image", "caption_opening",
    "visual_words", "setting", "objects", "placed", "person_scene", "person_in_action",
    "second_person", "evidence", "claim_verbs", "hedges", "connectives", "digits",
    "depiction_head", "noun_then_participle", "abstract_subject", "opens_with_gerund", "question_opening",
)



def _participle_read_as_past(verb, children) -> bool:
    """A past form with no object that is followed by a preposition or particle.

    The small model reads "Pulse oximeter clipped to a fingertip" and "Cat curled up
    asleep" as past-tense clauses; a transitive verb without its object ("clipped to")
    is the passive participle of a noun phrase, and prose seldom narrates in the past.
    """
    return (verb.tag_ == "VBD" and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in children)
            and any(c.dep_ in ("prep", "prt", "agent") and c.i == verb.i + 1 for c in children))


def context_vector(parsed) -> list[float]:
    """The mean of the model's contextual token vectors (doc.tensor) over the paragraph.

    They carry what the tagger and parser learned about each word in its context (is it a
    thing, a person, an action, an abstraction), which no word list of ours covers. Empty
    when the pipeline sets no tensor.
    """
    tensor = getattr(parsed, "tensor", None)
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] == 0:
        return []
    return [float(x) for x in tensor.mean(axis=0)]


def _participle(token) -> bool:
    """A participle that modifies a noun or heads a verbless line ("Woman pouring olive
    oil", "ribbon pinned to a cardigan"), including past forms the tagger read as tensed."""
    children = list(token.children)
    if any(c.dep_ in ("aux", "auxpass") for c in children):
        return False
    if token.tag_ in ("VBG", "VBN"):
        return token.dep_ in ("acl", "amod", "ROOT", "advcl")
    return _participle_read_as_past(token, children)


def _misread_plural_noun(verb) -> bool:
    """A plural noun the tagger read as a present verb because a participle follows it:
    "Marathon runners crossing a bridge" (runners/VBZ, crossing/xcomp). Only near the start
    of the line, after nothing but nouns, and only with the participle right after it."""
    doc = verb.doc
    start = verb.sent.start
    return (verb.tag_ == "VBZ" and verb.lower_.endswith("ers") and verb.i - start <= 2
            and all(t.pos_ in ("NOUN", "PROPN", "ADJ", "DET") for t in doc[start:verb.i])
            and verb.i + 1 < len(doc) and doc[verb.i + 1].tag_ == "VBG" and doc[verb.i + 1].head.i == verb.i)


def _absolute_phrase(verb) -> bool:
    """"..., arms raised", "..., head bowed": a bare noun and a past form after a comma at
    the end of the line, the absolute phrase of a scene, not a clause."""
    doc = verb.doc
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return (verb.tag_ in ("VBD", "VBN") and any(c.i == verb.i - 1 for c in subjects)
            and verb.i - 2 >= 0 and doc[verb.i - 2].text == ","
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "det") for c in verb.children)
            and all(t.is_punct for t in doc[verb.i + 1:verb.sent.end]))


def _is_finite(verb) -> bool:
    """A verb is finite when it carries tense itself or through an auxiliary ("is resting")."""
    if _misread_plural_noun(verb) or _absolute_phrase(verb):
        return False
    children = list(verb.children)
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in children):
        return True
    if verb.tag_ in FINITE_TAGS:
        return not _participle_read_as_past(verb, children)
    # the small model tags plural present verbs ("Retinoids increase ...") as VB
    return verb.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in children) and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in children)


def has_finite_clause(sentence) -> bool:
    """Whether a parsed sentence has a subject attached to a finite verb (a clause).

    Alt text is typically a noun phrase with participles ("Tennis ball resting on the
    baseline ..."); the small model often attaches the noun as subject of the participle,
    so the verb must carry tense (VBZ/VBP/VBD/MD, or a finite auxiliary) to count.
    """
    return any(t.dep_ in SUBJECT_DEPS and t.head.pos_ in ("VERB", "AUX") and _is_finite(t.head) for t in sentence)


def _abstract(noun: str) -> bool:
    return noun in ABSTRACT_NOUNS or (len(noun) > 5 and bool(ABSTRACT_SUFFIX.search(noun)))


def _density(count: int, words: int) -> float:
    """How often something occurs per word, 1.0 from once in eight words: a long
    paragraph has many articles and participles, a caption has them densely."""
    return min(1.0, 8 * count / words) if words else 0.0


def _capped(count: int, cap: int) -> float:
    return min(count, cap) / cap


def _noun_then_participle(sentence) -> bool:
    """A noun phrase whose first verb is a participle: "Weightlifter chalking his hands",
    "A cancer survivor crossing the finish line", "Sprinters crouched in the blocks".

    The first verb of the sentence comes after nothing but a noun phrase (determiners,
    numbers, adjectives, nouns) and is a participle rather than a tensed verb; prose puts
    a tensed verb there ("Runners who ... are", "Weightlifters chalk their hands").
    """
    tokens = list(sentence)
    for k, t in enumerate(tokens[:8]):
        if t.tag_ in ("VBG", "VBN") and t.dep_ in ("amod", "compound") and t.i < t.head.i:
            continue  # a participle as adjective inside the noun phrase ("Smiling family ...")
        if t.pos_ in ("VERB", "AUX"):
            before = tokens[:k]
            return (any(b.pos_ in ("NOUN", "PROPN") for b in before)
                    and all(b.pos_ in ("DET", "NUM", "ADJ", "NOUN", "PROPN", "PUNCT", "CCONJ") or b.tag_ == "POS"
                            or b.dep_ in ("amod", "compound") for b in before)
                    and not _is_finite(t) and t.tag_ in ("VBG", "VBN", "VBD"))
        if t.pos_ not in ("DET", "NUM", "ADJ", "NOUN", "PROPN", "PUNCT", "CCONJ", "PART") and t.tag_ != "POS":
            return False
    return False


def _abstract_subject(sentence) -> bool:
    """The sentence is a clause whose subject is an idea: "Depression represents a leading
    cause ...", "Access to green space is ...". A caption's subject, when it has one, is a
    thing one can see ("Intricate cellular structure represents ...")."""
    for t in sentence:
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in ("VERB", "AUX") and _is_finite(t.head):
            return t.tag_ in ("NN", "NNS", "NNP") and _abstract(t.lower_) and not any(
                c.dep_ == "amod" and VISUAL_WORDS.search(c.text) for c in t.children)
    return False


def _grammar(parsed) -> dict[str, float]:
    """Grammatical features of a spaCy Doc (all zero when there is no parse)."""
    sentences = list(parsed.sents)
    if not sentences:
        return {}
    clauses = [has_finite_clause(s) for s in sentences]
    first = sentences[0]
    nouns = [t for t in parsed if t.tag_ in ("NN", "NNS") and t.is_alpha]
    abstract = [t for t in nouns if _abstract(t.lower_)]
    finite = [t for t in parsed if t.pos_ in ("VERB", "AUX") and _is_finite(t) and t.dep_ not in ("aux", "auxpass")]
    opening = first[0] if len(first) else None
    return {
        "noun_then_participle": float(_noun_then_participle(first)),
        "abstract_subject": float(_abstract_subject(first)),
        # "Helping children sleep", "Managing stress at work": a gerund that heads the line
        # (a heading or a subject), not one that modifies a noun ("Smiling family ...")
        "opens_with_gerund": float(opening is not None and opening.tag_ == "VBG" and (
            opening.dep_ not in ("amod", "compound", "nmod")
            or any(c.dep_ in ("dobj", "prep") for c in opening.children))),
        "abstract_nouns": len(abstract) / len(nouns) if nouns else 0.0,
        "abstract_root": float(first.root.tag_ in ("NN", "NNS") and _abstract(first.root.lower_)),
        "verbless": float(not finite),
        "first_sentence_is_clause": float(clauses[0]),
        "clause_share": sum(clauses) / len(clauses),
        "root_is_noun": float(first.root.pos_ in ("NOUN", "PROPN", "NUM", "ADJ")),
        # "Woman pouring olive oil", "ribbon pinned to a cardigan": a participle that
        # modifies a noun (or heads a verbless line) rather than carrying tense
        "participle_modifiers": _density(sum(1 for t in parsed if _participle(t)), len(parsed)),
        "finite_verbs": _capped(len(finite), 3),
        "subordinate_clauses": _capped(
            sum(1 for t in finite if t.dep_ in ("advcl", "relcl", "ccomp", "conj", "csubj")), 2),
        "copula": float(any(t.lower_ in ("is", "are", "was", "were") and t.dep_ in ("ROOT", "cop", "aux")
                            for t in parsed)),
        # "Runners who ... are", "Berries are rich ...": prose generalises over a bare plural
        "generic_plural_subject": float(any(t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("NNS", "NN")
                                            and not any(c.dep_ in ("det", "poss", "nummod") for c in t.children)
                                            and t.head.pos_ in ("VERB", "AUX") and _is_finite(t.head)
                                            for t in parsed)),
    }


def features(text: str, parsed=None) -> dict[str, float]:
    """The feature vector of one paragraph, as a dict over `FEATURES`."""
    text = text.strip()
    words = text.split()
    values = dict.fromkeys(FEATURES, 0.0)
    values["no_final_period"] = float(bool(words) and not SENTENCE_END.search(text))
    values["length"] = min(math.log1p(len(words)) / math.log1p(80), 1.0)
    values["short"] = float(len(words) < 6)
    # alt text seldom runs past sixty words; a paragraph of prose often does
    values["long"] = float(len(words) > 60)
    n_sentences = max(1, len(re.findall(r"[.!?](\s|$)", text)))
    values["several_sentences"] = float(n_sentences >= 2)
    values["many_sentences"] = float(n_sentences >= 4)
    values["opens_with_a"] = float(bool(re.match(r"(a|an)\s", text, re.I)))
    # a picture shows particular things ("a fingertip", "an unmade bed"); prose generalises
    values["indefinite_articles"] = _density(len(re.findall(r"\b(a|an)\s", text, re.I)), len(words))
    if parsed is not None:
        values.update(_grammar(parsed))
    values["strong_picture_verb"] = _capped(len({m.group(0).lower() for m in STRONG_PICTURE_VERBS.finditer(text)}), 2)
    values["weak_picture_verb"] = _capped(len({m.group(0).lower() for m in WEAK_PICTURE_VERBS.finditer(text)}), 2)
    values["interpreting_clause"] = float(bool(INTERPRETING_CLAUSE.search(text)))
    # a clause is prose unless it says what a picture means ("A white root symbolizes ...")
    values["clause_without_picture_verb"] = float(values["first_sentence_is_clause"] > 0 and not (
        values["strong_picture_verb"] or values["weak_picture_verb"]))
    values["names_the_image"] = float(bool(IMAGE_WORDS.search(text)))
    values["caption_opening"] = float(bool(CAPTION_OPENING.search(text)))
    values["visual_words"] = _capped(len({m.group(0).lower() for m in VISUAL_WORDS.finditer(text)}), 3)
    values["setting"] = float(bool(SETTING.search(text)))
    objects = {m.group(0).lower() for m in OBJECTS.finditer(text)}
    placed = bool(PLACED.search(text))
    if placed or objects:
        objects |= {m.group(0).lower() for m in FOODS.finditer(text)}
    values["objects"] = _capped(len(objects), 2)
    values["placed"] = float(placed)
    person = PERSON_SCENE.search(text)
    values["person_scene"] = float(bool(person))
    values["person_in_action"] = float(bool(person) and bool(re.match(
        r"\s*(\w{3,}ing|with|in|on|at|beside|under)\b", text[person.end():], re.I)))
    values["second_person"] = float(bool(SECOND_PERSON.search(text)))
    values["evidence"] = _capped(len(EVIDENCE.findall(text)), 3)
    values["claim_verbs"] = _capped(len(CLAIM_VERBS.findall(text)), 3)
    values["hedges"] = _capped(len(HEDGES.findall(text)), 2)
    values["connectives"] = _capped(len(CONNECTIVES.findall(text)), 2)
    values["digits"] = float(bool(re.search(r"\d", text)))
    values["depiction_head"] = float(bool(DEPICTION_HEAD.search(text)))
    values["question_opening"] = float(bool(QUESTION_OPENING.search(text)))
    return values


def vector(text: str, parsed=None) -> list[float]:
    """`features` in the order of `FEATURES`."""
    values = features(text, parsed)
    return [values[name] for name in FEATURES]
