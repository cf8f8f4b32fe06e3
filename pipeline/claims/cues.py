"""The linguistic cues of a sentence: what it has that makes a claim, or rhetoric.

Consumes one parsed sentence (a spaCy Span, lemmas included) and produces the names of the
cues present: factual ones (causal verbs, biomedical entities, numbers, study references,
citations, comparisons, mechanisms) and rhetorical ones (second person, questions, metaphors,
imperatives, transitions, emotional emphasis); hedges ("may", "can", "potentially") are
recorded too. They are features of the learned model (claims/model.py, which weighs them
beside words and grammar) and the vocabulary of its explanations; they no longer score alone.
"""
from __future__ import annotations

import re

from pipeline.linking import NUMERIC_RE, SUPERSCRIPT_RE

CAUSAL_LEMMAS = frozenset("""cause increase decrease reduce lower raise improve enhance impair stimulate activate inhibit
suppress promote induce trigger drive lead contribute regulate modulate counteract block prevent delay protect damage
exacerbate upregulate downregulate release produce convert secrete orchestrate govern bind correlate associate predict
mediate depend elevate restore disrupt antagonize antagonise accelerate slow boost deplete synthesize synthesise absorb
oxidize oxidise metabolize metabolise store transport signal affect influence alter shift reprogram translocate
relax constrict dilate widen narrow stiffen excrete suppress lengthen shorten""".split())
BIOMEDICAL = re.compile(
    r"\b(insulin|glucose|glycogen|cortisol|hormone|hormones|mitochondri\w*|muscle|muscles|liver|pancrea\w*|"
    r"cell|cells|cellular|receptor|receptors|protein|proteins|enzyme|enzymes|gene|genes|dna|rna|blood|pressure|"
    r"cholesterol|triglyceride\w*|lipid\w*|fat|fatty|adipose|adipocyte\w*|inflammat\w*|oxidative|metaboli\w*|"
    r"diabet\w*|obes\w*|cardio\w*|heart|arter\w*|vascular|vessel\w*|endotheli\w*|brain|neuron\w*|hippocamp\w*|"
    r"sleep|melatonin|circadian|skin|epiderm\w*|derm\w*|collagen|keratin\w*|melan\w*|bone|kidney\w*|sodium|"
    r"potassium|vitamin|fibre|fiber|bacteria|microbio\w*|gut|immune|cytokine\w*|myokine\w*|interleukin\w*|"
    r"sirtuin\w*|kinase|transporter\w*|oxidation|biogenesis|homeostasis|hyperinsulin\w*|hypertension|stroke|"
    r"cancer\w*|tumou?r\w*|mortality|risk|disease|syndrome|plasma|serum|oxygen|lactate|atp|ros|calor\w*|"
    r"carbohydrate\w*|nutrient\w*|omega-3|statin\w*|dose\w*|ghrelin|leptin|thyroid|estrogen|oestrogen|testosterone|"
    r"glucocorticoid\w*|epigenetic\w*|methylation|axis|hypothalam\w*|pituitary|adrenal|tissue\w*|organ|organs|"
    r"visceral|lean mass|vo2max|apnoea|apnea|insomnia|eczema|psoriasis|acne|uv[ab]?|ultraviolet|sunscreen|spf)\b",
    re.I)
ACRONYM = re.compile(r"^[A-Z][A-Z0-9\-]{1,9}[a-zα-ω]?$")
# the article itself cites a source for the sentence: "[3]", "[9-11]", "¹²", "(Kahn et al., 2006)"
CITATION = re.compile(NUMERIC_RE.pattern + "|" + SUPERSCRIPT_RE.pattern + "|"
                      r"\([A-Z][^()]{1,120}?,?\s(?:1[6-9]|20)\d\d[a-z]?\)|[A-Z][\w'’-]+(?:\s+et\s+al\.?)?\s+\((?:1[6-9]|20)\d\d[a-z]?\)")
STUDY = re.compile(r"\b(study|studies|trial|trials|meta-analys\w*|cohort\w*|research\w*|evidence|participants|"
                   r"randomi[sz]ed|found|showed|shown|reported|observed|demonstrat\w*|indicate\w*|associated with|"
                   r"linked to|correlat\w*)\b", re.I)
COMPARISON = re.compile(r"\b(than|compared|versus|vs\.?|superior|inferior|greater|higher|lower|more|less|fewer|"
                        r"twice|fold|times)\b", re.I)
MECHANISM = re.compile(r"\b(via|through|pathway\w*|mechanism\w*|signal\w*|mediated|cascade|by (increasing|reducing|"
                       r"inhibiting|activating|stimulating|blocking|lowering|raising|promoting))\b", re.I)
HEDGE = re.compile(r"\b(may|might|can|could|potentially|possibly|likely|suggests?|appears?|seems?|perhaps)\b", re.I)
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
FIRST_PLURAL = re.compile(r"\b(we|us|our|ourselves)\b", re.I)
METAPHOR = re.compile(
    r"(^\s*(imagine|picture|think of|consider)\b|\bas if\b|\blike an? \w+|\bjourney\b|\bsymphony\b|\borchestra\b|"
    r"\bconversation\b|\blanguage\b|\bdialects?\b|\bblueprint\b|\bmaster key\b|\bfurnace\w*\b|\bengine\b|\bshield\b|"
    r"\bmessage to\b|\bstory\b|\bterrain\b|\bmap of\b|\bthermostat\b|\bdoors?\b|\bgarden hoses?\b|\bcrew\b)", re.I)
RHETORICAL = re.compile(
    r"\b(profound\w*|truly|remarkabl\w*|powerful|empower\w*|vibrant|vitality|wellbeing|well-being|deserve|honou?r|"
    r"celebrate|fascinating|elegan\w*|good news|wiser|rewarding|invitation|journey|innate|reclaim\w*|"
    r"let us|let's|we will|we must|it is worth|here is|here's|this is where|in the sections? that follow|"
    r"the first step|begins with|is about)\b", re.I)
TRANSITION_START = re.compile(r"^\s*(so|now|ultimately|finally|in short|in summary|with that|here|next|but what|"
                              r"this is|these are|it is worth)\b", re.I)


def _is_imperative(sentence) -> bool:
    root = sentence.root
    first = next((t for t in sentence if not t.is_punct and not t.is_space), None)
    return (root.tag_ == "VB" and first is not None and first.i == root.i
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children))


def sentence_cues(sentence, from_table: bool = False) -> tuple[str, ...]:
    """The cue names present in one parsed sentence (order: factual first, then rhetorical)."""
    text = sentence.text
    tokens = list(sentence)  # a Span makes a new Token object on every pass; one pass is enough
    cues: list[str] = []
    if any(t.pos_ in ("VERB", "AUX", "NOUN") and t.lemma_.lower() in CAUSAL_LEMMAS for t in tokens):
        cues.append("causal_verb")
    entities = {m.group(0).lower() for m in BIOMEDICAL.finditer(text)}
    entities |= {t.text for t in tokens if ACRONYM.match(t.text) and t.text not in ("I", "A", "OK")}
    if entities:
        cues.append("biomedical_entity")
    if len(entities) >= 3:
        cues.append("many_biomedical_entities")
    if any(t.like_num and not t.text.lower() in ("one",) for t in tokens) or "%" in text:
        cues.append("number")
    if STUDY.search(text):
        cues.append("study_reference")
    if CITATION.search(text):
        cues.append("citation")
    if COMPARISON.search(text):
        cues.append("comparison")
    if MECHANISM.search(text):
        cues.append("mechanism")
    if from_table:
        cues.append("table_row")
    if HEDGE.search(text):
        cues.append("hedge")
    if SECOND_PERSON.search(text):
        cues.append("second_person")
    if FIRST_PLURAL.search(text):
        cues.append("first_person_plural")
    if text.rstrip().endswith("?"):
        cues.append("question")
    if METAPHOR.search(text):
        cues.append("metaphor")
    if RHETORICAL.search(text):
        cues.append("rhetorical")
    if _is_imperative(sentence) and not from_table:
        cues.append("imperative")
    if TRANSITION_START.search(text) and len(entities) < 2:
        cues.append("transition")
    if sum(t.is_alpha for t in tokens) < 6 and not from_table:
        cues.append("short")
    return tuple(cues)

