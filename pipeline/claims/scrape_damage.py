"""Holes that scraping left in a sentence, found from the parse.

Consumes one parsed sentence (a spaCy Span or Doc); produces one description per hole,
naming where it is ("start", or "token N" counting words of the sentence from 1) and what
kind of hole it is, with the words around it, e.g.
"token 1: determiner/adjective with no head noun ('Targeted are')".

Scraped pages lose the text of links, leaving grammatical holes: "Targeted [exercise
protocols] are ...", "hundreds of [myokines] into circulation", "Think of [AMPK] as ...",
"how [exercise] can reverse ...", "... are [High-Intensity Interval Training] (HIIT) and",
"stimulate [glucose uptake] through ...", or a sentence that starts in lowercase because
its first words were a link. Each rule below is a general grammatical test on the parse
(a word that needs a noun phrase and has none), never a match on a sample's wording.
Rules are tuned to stay quiet on clean prose: stranded prepositions in passives and
relative clauses ("disposed of after a meal", "what we refer to as"), prepositions that
share one object ("during and after exercise") and quantities ("for up to 48 hours").
"""
from __future__ import annotations

import re

from pipeline.claims.hole_shapes import acronym_not_spelled, possessive_without_noun
from pipeline.claims.hole_shapes import hole as _hole
from pipeline.claims.hole_shapes import words as _words

SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
OBJECTS = frozenset({"dobj", "obj", "ccomp", "xcomp", "attr", "oprd", "dative", "auxpass", "nsubjpass"})
PREP_OBJECTS = frozenset({"pobj", "pcomp"})
# first words of two-word prepositions ("out of", "because of", "such as", "up to")
COMPOUND_PREP_HEADS = frozenset("""out because instead ahead apart due up down away along prior according rather such
except next close together regardless irrespective back off as""".split())
# two prepositions that legitimately stand together ("from within", "in between", "until after")
PREP_PAIRS_OK = frozenset({("from", "within"), ("in", "between"), ("from", "among"), ("until", "after"),
                           ("since", "before"), ("except", "for"), ("from", "behind"), ("along", "with"),
                           ("for", "about"), ("of", "about"), ("from", "under"), ("from", "over"),
                           ("from", "outside"), ("from", "inside"), ("until", "before"), ("from", "across"),
                           ("from", "around"), ("from", "beyond"), ("from", "throughout"), ("from", "above"),
                           ("from", "below"), ("from", "underneath")})
BARE_PREPOSITIONS = frozenset("in of for with to on at from into within between across among through".split())
QUANTITY_OPENERS = frozenset("up about around over under nearly almost roughly approximately below above".split())
# verbs that cannot stand without an object; one followed by a preposition, "when" or a
# comma lost it ("stimulate through", "release into", "produces when")
TRANSITIVE = frozenset("""stimulate enhance activate trigger induce inhibit suppress promote facilitate impair
upregulate downregulate elicit counteract mitigate exacerbate augment attenuate produce secrete release synthesize
synthesise generate raise boost preserve provide deliver elevate deplete""".split())
# verbs that also stand without an object ("symptoms improve with rest"): only their "-ing and"
# form, which lost the object it shares ("improving and activating"), is taken as a hole
ERGATIVE = frozenset("improve increase decrease reduce lower".split())
# verbs whose object comes before "as" ("view [muscle] as an organ"); passives are fine
AS_VERBS = frozenset("view see regard consider describe define treat classify recognize recognise label".split())
# words that open a noun phrase but are not one: as a bare subject they lost their noun
ADJECTIVE_WORDS = frozenset("""daily weekly nightly regular low high poor good bad short long brief deep light heavy
early late adequate moderate intense vigorous excess healthy unhealthy key main major common frequent overall total
optimal proper simple complex targeted specific""".split())
ADJECTIVE_SUFFIXES = ("ary", "ic", "ive", "ous", "ful", "ical", "al", "ar", "ent", "ant", "ed")
LOWERCASE_STARTS_OK = re.compile(r"^(e\.g\.|i\.e\.|etc\b|vs\b|cf\.|[a-z]+[A-Z0-9]|\d|de\s|van\s|von\s|da\s|le\s|la\s)")
ACRONYM = re.compile(r"[A-Z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*")


def _lowercase_start(tokens, text: str) -> str | None:
    first = next((t for t in tokens if not t.is_punct and not t.is_space), None)
    if first is None or not first.text[:1].islower() or LOWERCASE_STARTS_OK.match(first.text + text[len(first.text):]):
        return None
    return f"start: sentence starts lowercase mid-thought ('{_words(tokens, first.i - tokens[0].i, 3)}')"


def _has_filler(token, tokens) -> bool:
    """Can a preposition legitimately strand here? Passives, relative and wh-clauses supply its object."""
    head = token.head
    if head.pos_ in ("VERB", "AUX"):
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children) or head.tag_ == "VBN":
            return True
        if head.dep_ in ("relcl", "acl", "pcomp", "xcomp", "ccomp", "advcl") or \
                any(t.tag_ in ("WDT", "WP", "WRB") or (t.lower_ == "that" and t.dep_ != "det")
                    for t in tokens if t.i < token.i):
            return True
    return False


def _stranded_preposition(i: int, token, tokens) -> str | None:
    """A preposition with no object: "of into", "of as", "for as", "of and", "on :", "of ,", "in supports"."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and _second_preposition_without_object(token, nxt):
        return _hole(i, f"preposition '{token.text}' with no object", _words(tokens, i, 2))
    if token.pos_ != "ADP" or token.dep_ not in ("prep", "agent", "dative") or nxt is None:
        return None
    if token.lower_ in COMPOUND_PREP_HEADS or (token.lower_, nxt.lower_) in PREP_PAIRS_OK:
        return None
    if any(c.dep_ in PREP_OBJECTS and c.i > nxt.i for c in token.children) and nxt.pos_ not in ("ADP", "CCONJ") \
            and nxt.text not in (",", ":", ";", "—", ")"):
        return None  # "of [very low] intake"; but "model of , a rise": the parser took the next noun as its object
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    if nxt.lower_ in QUANTITY_OPENERS and after is not None and (after.like_num or after.lower_ in ("to", "a", "an", "half")):
        return None  # "for up to 48 hours"
    if nxt.pos_ == "CCONJ" and after is not None and after.pos_ == "ADP":
        return None  # "during and after exercise": two prepositions share one object
    if nxt.pos_ == "CCONJ" and after is not None and after.pos_ == "VERB" and token.head.pos_ == "VERB" \
            and token.head.i == i - 1:
        return None  # "Build on and support ...": a verb's particle, then a second verb
    if nxt.lower_ in ("both", "either", "neither", "whether"):
        return None  # "depends on both how loud ... and how long": a correlative pair is the object
    if token.lower_ == "than" and nxt.pos_ == "ADP":
        return None  # "weaker than for noise at work": a comparison of two prepositional phrases
    missing = (nxt.pos_ in ("ADP", "CCONJ") or nxt.lower_ == "as" or nxt.text in (":", ";", "—", ",", ")")
               or nxt.tag_ in ("VBZ", "VBD", "VBP", "MD")
               or (nxt.tag_ == "VB" and token.lower_ != "to"))  # "Low stores of reduce the output"
    # a colon or dash right after a preposition is a hole even where a passive could strand one
    if not missing or (nxt.text not in (":", "—", ";") and _has_filler(token, tokens)):
        return None
    return _hole(i, f"preposition '{token.text}' with no object", _words(tokens, i, 2))


def _second_preposition_without_object(token, nxt) -> bool:
    """ "in muscle fibers and in , the ...": a preposition coordinated with one that has its own
    object, itself followed by punctuation (the small model tags the bare one as an adverb)."""
    head = token.head
    return (token.dep_ == "conj" and token.lower_ in BARE_PREPOSITIONS and head.pos_ == "ADP"
            and head.lower_ in BARE_PREPOSITIONS and any(c.dep_ in PREP_OBJECTS for c in head.children)
            and nxt.text in (",", ":", ";", ")", "—"))


def _conjunction_without_conjunct(i: int, token, tokens) -> str | None:
    """ "Weight-bearing exercise and are among ...": a conjunction after the subject noun, straight
    before the subject's own finite verb: the second noun of the subject is gone."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.pos_ != "CCONJ" or nxt is None or i == 0 or nxt.tag_ not in ("VBP", "VBZ", "VBD", "MD"):
        return None
    before, head = tokens[i - 1], token.head
    if before.i != head.i or head.pos_ not in ("NOUN", "PROPN") \
            or any(c.dep_ == "conj" and c.i > token.i and c.pos_ in ("NOUN", "PROPN") for c in head.children):
        return None
    # the subject's "and" dangles right before the subject's own verb (an object's "and" + verb,
    # "stores glycogen and releases it", is two coordinated verbs and stays quiet)
    if head.dep_ in ("nsubj", "nsubjpass") and nxt.i == head.head.i:
        return _hole(i, f"conjunction '{token.text}' with nothing after it", _words(tokens, i, 2))
    return None


def _bare_modifier_subject(i: int, token, tokens) -> str | None:
    """An adjective, participle or determiner standing as the subject: "Targeted are", "Low is"."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.dep_ not in ("nsubj", "nsubjpass") or list(token.children) or nxt is None \
            or nxt.pos_ not in ("AUX", "VERB", "ADV"):
        return None  # only a subject directly before its verb, with nothing hanging on it
    lower = token.lower_
    adjective_like = token.tag_ in ("VBN", "JJ", "JJR", "JJS", "DT", "PDT") or lower in ADJECTIVE_WORDS or (
        i == 0 and token.pos_ in ("PROPN", "NOUN") and token.is_title and len(lower) >= 6
        and lower.endswith(ADJECTIVE_SUFFIXES) and not lower.endswith(("ment", "ant", "ent")))
    if token.tag_ == "DT" and lower in ("this", "that", "these", "those", "all", "both", "each", "some", "any",
                                        "either", "neither", "another", "such", "half"):
        return None  # demonstratives and quantifiers stand as pronouns
    if not adjective_like:
        return None
    if token.tag_ == "JJ" and lower not in ADJECTIVE_WORDS and nxt.pos_ == "VERB" and token.is_title:
        return None  # "Leptin acts on ...": a name the model tagged JJ, before a full verb of its own
    verb = token.head
    if token.tag_ == "JJ" and lower not in ADJECTIVE_WORDS and verb.lemma_ == "be" \
            and any(c.dep_ == "acomp" for c in verb.children):
        return None  # "where intake was high": a noun the model tagged JJ, with its own predicate adjective
    return _hole(i, "determiner/adjective with no head noun", _words(tokens, i, 2))


def _determiner_without_noun(i: int, token, tokens) -> str | None:
    """An article right before a verb, preposition, conjunction, subordinator or punctuation: "the are",
    "a of", "stored in the until fat arrives", "more of the when oxygen falls"."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.lower_ not in ("the", "a", "an") or nxt is None:
        return None
    if i + 2 < len(tokens) and tokens[i + 2].text == "-":
        return None  # "an over-the-counter formulation": a hyphenated compound opens the noun phrase
    if nxt.pos_ in ("AUX", "ADP", "CCONJ", "SCONJ") or nxt.tag_ == "WRB" or nxt.text in (",", ".", ";", ":", ")") \
            or nxt.text in ("that", "which", "who", "whose"):  # "attacks the that make ..." ("the WHO" is a name)
        return _hole(i, "determiner/adjective with no head noun", _words(tokens, i, 2))
    # "the releases cortisol in a burst": an object-taking verb the model read as a plural noun,
    # its own object straight after it ("the releases of hormone" is a noun and stays quiet)
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    if nxt.tag_ == "NNS" and nxt.lemma_.lower() in TRANSITIVE and after is not None \
            and (after.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "NUM") or after.tag_ == "VBP") \
            and after.tag_ not in ("VBN", "VBG"):
        return _hole(i, "determiner/adjective with no head noun", _words(tokens, i, 2))
    return None


def _copula_without_complement(i: int, token, tokens) -> str | None:
    """ "The classic result is , in which ...": a form of "be" with a noun subject straight before a
    comma that opens a relative clause or an apposition about the missing term (", in which",
    ", which", ", a condition"). "The good news is, exercise helps" and "That is, ..." stay quiet."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.text != "," or token.lower_ not in ("is", "are", "was", "were") or token.dep_ != "ROOT":
        return None
    subjects = [c for c in token.children if c.dep_ in SUBJECTS]
    if not subjects or subjects[0].pos_ not in ("NOUN", "PROPN"):
        return None
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    then = tokens[i + 3] if i + 3 < len(tokens) else None
    relative = after is not None and (after.tag_ in ("WDT", "WP", "WRB") or after.lower_ in ("a", "an")
                                      or (after.pos_ == "ADP" and then is not None and then.tag_ in ("WDT", "WP")))
    if not relative:
        return None
    return _hole(i, f"verb '{token.text}' with no complement", _words(tokens, i, 2))


def _subject_the_parser_misread(verb) -> bool:
    """A subject is there, but the small model attached it under another label.

    - a noun to the left of the verb hanging on it as a compound ("Resistance training increases")
    - a gerund clause opening the sentence ("Eating late has been linked ...")
    - locative inversion, the subject after a copula ("At the heart of this is a state ...")
    - a finite clause with no subordinator under a verb that has a subject: the main clause
      misread as a reduced relative ("trials of diets supplemented with oil reported ...")
    - a narrative citation as the subject, its year in brackets before the verb ("Curhan (2013) found")
    """
    left = [c for c in verb.children if c.i < verb.i]
    if any(c.dep_ in ("compound", "npadvmod", "dep") and c.pos_ in ("NOUN", "PROPN", "PRON") for c in left):
        return True
    doc = verb.doc
    start = min([c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i] + [verb.i])
    before = doc[start - 1] if start >= 1 else None
    if before is not None and before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("conj", "dobj", "pobj", "appos"):
        return True  # "... or speech starts to", "herbs, citrus and spices can replace": the noun before is the subject
    if verb.i >= 3 and doc[verb.i - 1].text == ")" and re.fullmatch(r"(1[6-9]|20)\d\d[a-z]?", doc[verb.i - 2].text):
        return True  # a narrative citation is the subject: "Ferraro, Taylor and Curhan (2013) found that ..."
    if any(c.dep_ == "advcl" and c.tag_ == "VBG" and c.i == c.sent.start and
           not any(g.dep_ == "mark" for g in c.children) for c in left):
        return True
    if verb.lemma_ == "be" and any(c.dep_ == "prep" for c in left) and \
            any(c.dep_ in ("attr", "nsubj") and c.i > verb.i for c in verb.children):
        return True
    if verb.dep_ == "advcl" and not any(c.dep_ == "mark" for c in verb.children) and \
            any(c.dep_ in SUBJECTS for c in verb.head.children):
        return True
    return False


def _finite_verb_without_subject(i: int, token, tokens, question: bool) -> str | None:
    """A clause whose subject is missing: "how can reverse", "Specifically, activates", "that can reduce"."""
    if question or i == 0:
        return None  # questions invert; a verb in first position is an imperative or a lowercase start
    if token.tag_ in ("MD", "VBZ", "VBD") and token.dep_ in ("aux", "auxpass"):
        verb = token.head
    elif token.tag_ in ("VBZ", "VBD") and token.dep_ in ("ROOT", "ccomp", "advcl"):
        verb = token
    else:
        return None
    if verb.dep_ in ("conj", "xcomp", "relcl", "acl", "pcomp") or any(c.dep_ in SUBJECTS for c in verb.children):
        return None
    if _subject_the_parser_misread(verb):
        return None
    if any(c.dep_ in SUBJECTS for c in token.children):
        return None
    return _hole(i, f"verb '{verb.text}' with no subject", _words(tokens, i - 1, 3))


def _verb_without_object(i: int, token, tokens) -> str | None:
    """A verb that needs an object and has none: "stimulate through", "improving and", "view as"."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or token.pos_ != "VERB" or token.tag_ == "VBN" or token.dep_ in ("relcl", "amod"):
        return None
    if token.dep_ == "conj" and any(c.dep_ in ("auxpass", "nsubjpass") for c in token.head.children):
        return None  # "is made in the skin and activated in the kidney": the passive is shared
    if any(c.dep_ in OBJECTS for c in token.children):
        return None
    lemma = token.lemma_.lower()
    if lemma in AS_VERBS and nxt.lower_ == "as":
        return _hole(i, f"verb '{token.text}' with no object", _words(tokens, i, 2))
    if lemma in ERGATIVE and nxt.pos_ == "CCONJ" and token.tag_ == "VBG":
        return _hole(i, f"verb '{token.text}' with no object", _words(tokens, i, 2))
    if lemma not in TRANSITIVE:
        return None
    if (nxt.pos_ == "ADP" and nxt.lower_ != "by") or nxt.lower_ in ("when", "while", "after", "before") or \
            (nxt.pos_ == "CCONJ" and token.tag_ == "VBG"):
        return _hole(i, f"verb '{token.text}' with no object", _words(tokens, i, 2))
    return None


def _orphan_abbreviation(i: int, token, tokens) -> str | None:
    """An abbreviation in brackets with no term before it: "are (HIIT) and"."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.text != "(" or nxt is None or i == 0 or not ACRONYM.fullmatch(nxt.text):
        return None
    before = tokens[i - 1]
    if before.pos_ in ("AUX", "ADP", "DET", "CCONJ", "VERB", "SCONJ") and before.tag_ != "VBN":
        return _hole(i, f"abbreviation '({nxt.text})' with no expanded term before it", f"{before.text} ({nxt.text})")
    return None


def _space_before_punctuation(i: int, token, tokens) -> str | None:
    """ "Sustained stress increases , allowing ...": a word, a space, then a comma, semicolon or
    colon. Writers never put a space there; scraping does, when the linked term between the two
    was dropped. The more specific rules above name the hole first when they see it."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or token.is_punct or token.is_space or not token.whitespace_ or nxt.text not in (",", ";", ":"):
        return None
    return _hole(i, f"'{token.text}' before a lone '{nxt.text}', a term dropped", _words(tokens, i, 2))


TOKEN_RULES = (_stranded_preposition, _bare_modifier_subject, _determiner_without_noun, possessive_without_noun,
               _verb_without_object, _orphan_abbreviation, acronym_not_spelled, _conjunction_without_conjunct,
               _copula_without_complement, _space_before_punctuation)


def find_damage(sentence) -> tuple[str, ...]:
    """The holes in one parsed sentence (Span or Doc), in order of position, at most one per token.
    (Table rows are not read for holes: the claims stage passes only sentences of prose.)"""
    # the tokens as a list: every rule indexes its neighbours, and a Span makes a new Token
    # object on each index (most of this function's time), a list hands back the same ones
    tokens = list(sentence)
    text = sentence.text.strip()
    found: list[str] = []
    start = _lowercase_start(tokens, text)
    if start:
        found.append(start)
    question = text.endswith("?")
    for i, token in enumerate(tokens):
        for rule in TOKEN_RULES:
            hole = rule(i, token, tokens)
            if hole:
                found.append(hole)
                break
        else:
            hole = _finite_verb_without_subject(i, token, tokens, question)
            if hole and not (start and i < 3):
                found.append(hole)
    return tuple(found)
