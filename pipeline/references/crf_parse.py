"""The learned reading of a reference: the rule parser's Reference -> the Reference the labeller decides.

Consumes a `Reference` from the rule parser (stage.parse_by_rules); produces a Reference whose core
fields (authors, year, title, container, volume, issue, pages) come from the CRF labeller, which reads
the entry with the rules' fields as hints, while identifiers (DOI, PMID, PMCID, URL) stay the rules'.
Entries the labeller sees no journal in and the rules read as a book, chapter, report or web page keep
the rules' reading (the rules know those shapes better). The status is `parsed` only when the labeller
is sure of every core field it found (marginal probability >= SURE); otherwise `partial`, naming the
unsure fields.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from pipeline.models import Author, ParseStatus, Reference
from pipeline.references.crf_features import rule_hints
from pipeline.references.crf_labeller import QUOTE_PAIRS, clean_container, clean_title, label, model_available, \
    pages_text, volume_issue
from pipeline.references.fields import PARTICLES, YEAR_RE, expand_pages, initials_of
from pipeline.references.patterns import BULLET_RE, DESIGNATOR, WEB_TAIL
from pipeline.references.rule_fields import Fields, _authors
from pipeline.references.rule_finish import _guess_type, _status
from pipeline.repair import collapse_space, repair_artifacts

# the labeller's lowest marginal over a field's tokens below which the field is named unsure
SURE = 0.95
AGREE = 0.5
# the probability of the whole labelling below which a journal reference is `partial` even when every field
# is above SURE, unless the rules read every core field the same (fitted in bench/train_references.py on a fold the model was not fitted on: the highest
# share of references kept `parsed` at which >= 0.97 of those are fully right)
GATE = 1.000
FULL_AGREEMENT = True
CORE = {"author": "authors", "date": "year", "title": "title", "journal": "journal", "volume": "volume",
        "pages": "pages"}
GROUP_WORDS = re.compile(r"\b(organi[sz]ation|association|institutes?|society|collaboration|group|consortium|"
                         r"department|agency|council|committee|ministry|office|centers?|centres?|foundation|academy|academies|"
                         r"collaborators|institute|national|"
                         r"university|network|team|board|commission|survey|project)\b", re.I)
INITIAL = re.compile(r"(?:[A-Z]\.?-?){1,3}\.?|(?:[A-Z]\.-?)+[A-Z]?")


def clean_text(raw: str) -> str:
    return BULLET_RE.sub("", collapse_space(repair_artifacts(unicodedata.normalize("NFC", raw or ""))))


def hints_of(reference: Reference) -> dict[str, str]:
    return {"authors": "|".join(a.family for a in reference.authors), "title": reference.title,
            "container": reference.container, "volume": reference.volume, "issue": reference.issue,
            "pages": reference.pages, "year": str(reference.year or "")}


def _one_name(piece: str) -> Author:
    """"Ruth Shapira" / "P. K. Olsen" / "GORDON M. J." / "Hwang I.-W." / "de Roever W.-P." -> Author."""
    words = piece.split()
    if len(words) == 1:
        return Author(words[0], "")
    if INITIAL.fullmatch(words[0]):  # initials first
        lead = next((i for i, w in enumerate(words) if not INITIAL.fullmatch(w)), len(words) - 1)
        return Author(" ".join(words[lead:]), initials_of(" ".join(words[:lead])))
    tail = next((i for i, w in enumerate(words[1:], 1) if INITIAL.fullmatch(w)), None)
    if tail is not None:  # family first, then initials
        return Author(" ".join(words[:tail]), initials_of(" ".join(words[tail:])))
    start = len(words) - 1  # given names first: the family is the last word with its particles
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return Author(" ".join(words[start:]), initials_of(" ".join(words[:start])))


def names(text: str) -> tuple[tuple[Author, ...], bool]:
    """The rules' name splitting, and for what it reads as one organisation but is a list of persons
    written given name first ("Azer Bestavros and Carlos Cunha"), one name per piece."""
    text = re.sub(r"^\W+|[\s:;,(]+$|,?\s*\(?(?:1[5-9]|20)\d\d[a-z]?\)?[\s.:;,]*$", "", text)  # a year run on
    authors, truncated = _authors(text)
    truncated = truncated or bool(re.search(r"\bet\.?\s+al\b", text))
    body = re.sub(r",?\s*\bet\.?\s+al\b\.?", "", text)
    pieces = [p.strip(" .,") for p in re.split(r"\s*[;,]\s*(?:and\s+|&\s*)?|\s+(?:and|&|und|et|y)\s+", body)]
    pieces = [p for p in pieces if p]
    lumped = len(authors) == 1 and not authors[0].initials and not GROUP_WORDS.search(text)
    # "Micah Hodosh, Peter Young, and Julia Hockenmaier": every piece a full name, given name first
    given_first = len(pieces) > 1 and all(re.fullmatch(r"[A-Z][\w'’-]+(?:\s+[A-Z]{1,2}\.?)?(?:\s+[\w'’-]+){1,2}", p)
                                          for p in pieces) and not GROUP_WORDS.search(text)
    odd = any(len(a.family.split()) > 3 or INITIAL.fullmatch(a.family.split()[0]) for a in authors if a.family)
    if not (lumped or given_first or odd):
        return authors, truncated
    if not pieces or any(len(p.split()) > 5 for p in pieces):
        return authors, truncated
    return tuple(_one_name(p) for p in pieces), truncated


def _apply(got, fields: Fields) -> None:
    text = got.text
    if "author" in text:
        fields.authors, fields.truncated = names(text["author"])
    volume = text.get("volume", "")
    if (vancouver := re.match(r"((?:1[5-9]|20)\d\d)[^;]{0,12};\s*(\S.*)$", volume)) is not None:
        volume = vancouver.group(2)  # "2021;385" read as one volume: the year, then the volume
        text.setdefault("date", vancouver.group(1))
    year = YEAR_RE.search(text.get("date", ""))
    if year is not None:
        fields.year = int(year.group(1))
    title, container = _quoted_title(text.get("title", ""), text.get("journal") or text.get("container") or "")
    fields.title = clean_title(title)
    container = DESIGNATOR.sub("", WEB_TAIL.sub("", container))
    fields.container = clean_container(container).rstrip(" [(").strip()
    fields.volume, fields.issue = volume_issue(volume, text.get("issue", ""))
    fields.pages = expand_pages(pages_text(text.get("pages", "")))
    if "journal" in text:  # not a book's or proceedings' name ("Advances in ... Systems 27")
        _container_tail(fields)




def _quoted_title(title: str, container: str) -> tuple[str, str]:
    """A quoted title ends at its closing quote: what the labeller ran on past it opens the container."""
    opening = next((q for q in QUOTE_PAIRS if title.startswith(q)), None)
    if not opening:
        return title, container
    end = _closing(title, opening, QUOTE_PAIRS[opening])
    rest = title[end + len(QUOTE_PAIRS[opening]):].strip(" ,.;:") if end > 0 else ""
    if not rest or len(rest.split()) < 1:
        return title, container
    return title[: end + len(QUOTE_PAIRS[opening])], f"{rest}, {container}" if container else rest


def _closing(text: str, opening: str, closing: str) -> int:
    """Where the quote opened at the start closes, quotes inside it ("Comment on “Title”") skipped."""
    depth, i = 0, 0
    while i < len(text):
        if opening != closing and text.startswith(opening, i):
            depth, i = depth + 1, i + len(opening)
        elif text.startswith(closing, i):
            depth, i = depth - 1, i + len(closing)
            if depth <= 0 and i > len(opening):
                return i - len(closing)
        else:
            i += 1
    return -1


# what a journal's name may carry at its end when the labeller left it there: "Journal 3(1):1–122",
# "BMC Nursing 12", "Journal, 41(2)", "L'Information géographique 75.1", "Nature Photonics (2012)"
CONTAINER_TAIL = re.compile(r"^(?P<container>.*?[^\d\s,.;:(])[,.;:]?\s+(?P<volume>\d{1,4}[A-Z]?)"
                            r"(?:\s*\((?P<issue>[^)]{1,12})\)|\.(?P<issue2>\d{1,3}))?"
                            r"(?:\s*[:,]\s*(?P<pages>[A-Za-z]?\d+[A-Z]?(?:\s*[-–—]\s*[A-Za-z]?\d+[A-Z]?)?))?$")


def _container_tail(fields: Fields) -> None:
    """Volume, issue and pages the labeller left inside the journal's name, moved to their fields."""
    container = re.sub(r"[\s,.]*\(?\b(?:1[5-9]|20)\d\d\)?$", "", fields.container)  # a year at the end
    if container != fields.container and len(container) > 2:
        fields.container = container
    match = CONTAINER_TAIL.match(fields.container)
    if not match or fields.volume or YEAR_RE.fullmatch(match.group("volume")):
        return
    fields.container = match.group("container").strip()
    fields.volume = match.group("volume")
    fields.issue = fields.issue or match.group("issue") or match.group("issue2") or ""
    if match.group("pages") and not fields.pages:
        fields.pages = expand_pages(match.group("pages"))


def _value(record, name: str):
    if name == "authors":
        return record.authors[0].family if record.authors else ""
    return getattr(record, "container" if name == "journal" else name)


def _overlap(a: str, b: str) -> bool:
    """One reading is the other with a tail ("Title (9th ed.)", "Title. Place"): close enough to stand."""
    a, b = (" ".join(str(x or "").casefold().split()).strip(" .,;:") for x in (a, b))
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def _words_elsewhere(text: str, fields: Fields) -> bool:
    """Whether the labeller put the words of `text` in the journal's name (so they left the title on purpose)."""
    words = set(re.findall(r"\w+", text.casefold()))
    return bool(words) and words <= set(re.findall(r"\w+", (fields.container or "").casefold()))


def _same(a, b) -> bool:
    return " ".join(str(a or "").casefold().split()).strip(" .,;:") == " ".join(str(b or "").casefold().split()).strip(" .,;:")


def _same_family(a: str, b: str) -> bool:
    """The same family name, particles aside ("der Berg" read for "van der Berg")."""
    def bare(name: str) -> str:
        return " ".join(w for w in name.split() if w.casefold() not in PARTICLES)
    return _same(a, b) or bool(bare(a)) and _same(bare(a), bare(b))


def _arbitrate(reference: Reference, fields: Fields, confidence: dict[str, float]) -> list[str]:
    """Field by field, the labeller's value or the rules': where the labeller found nothing and the rules
    parsed the entry, the rules' value stands; the same first author keeps the rules' name splitting. A field
    is unsure when the labeller's confidence in it is below SURE, whoever's value stands. Returns those."""
    rules_parsed = reference.parse_status == ParseStatus.PARSED
    crf_title = fields.title
    # unsure: below SURE, unless the rules read the same value and the labeller leans that way (> AGREE)
    agree = {name: _same(_value(fields, name), _value(reference, name)) for name in CORE.values()}
    unsure = [CORE[name] for name in CORE if confidence.get(name, 1.0) < SURE and not (
        confidence[name] > AGREE and agree[CORE[name]])]
    if reference.authors and not fields.authors:
        unsure.append("authors")
    # the rules matched a whole journal tail (volume and pages): where the labeller is unsure, their value stands
    strong = rules_parsed and reference.type_guess == "journal-article" and reference.volume and reference.pages
    unsure_labels = {label_name for label_name in CORE if confidence.get(label_name, 1.0) < SURE}
    group = reference.authors[0].family if len(reference.authors) == 1 and not reference.authors[0].initials else ""
    # an organisation, not "Hill, R., Adams, K., 1997" nor "Ruth Shapira" (persons the rules kept whole)
    group = group if _is_group(group) or "," not in group and len(group.split()) > 3 else ""
    if group and fields.authors and fields.authors[0].family.casefold() in group.casefold() \
            and len(group) > len(fields.authors[0].family):
        # an organisation's long name read as a person and the start of the title: the rules' reading
        fields.authors, fields.title = reference.authors, reference.title or fields.title
    elif reference.authors and (not fields.authors or _same_family(fields.authors[0].family,
                                                                 reference.authors[0].family)):
        # the same first author: the rules split names and initials the way the project writes them
        fields.authors, fields.truncated = reference.authors, reference.authors_truncated or fields.truncated
    for name in ("year", "title", "container", "volume", "issue", "pages"):
        mine, theirs = getattr(fields, name), getattr(reference, name)
        if name == "pages" and mine and theirs and _same(mine.split("-")[0], theirs.split("-")[0]):
            fields.pages = theirs  # the same first page: the rules' full range
        elif name == "pages" and strong and theirs and _same(mine, reference.issue):
            fields.pages = theirs  # the labeller took the issue ("nos. 10-11") for the pages
        elif name == "title" and mine and theirs.casefold().startswith(mine.casefold()) and \
                re.fullmatch(r"[,:;]?\s*[\w'’-]+[?!]?", theirs[len(mine):].strip()):
            fields.title = theirs  # "Cancer statistics, 2019": a year or word the labeller cut off
        elif name == "title" and mine and theirs.casefold().endswith(mine.casefold()) and \
                re.fullmatch(r"[\w'’-]+[,:]?", theirs[: len(theirs) - len(mine)].strip()):
            fields.title = theirs  # "2021 Dietary Guidance ...": the same for a first word
        elif name == "title" and strong and mine and len(theirs) > len(mine) and \
                theirs.casefold().startswith(mine.casefold()) and not _words_elsewhere(theirs[len(mine):], fields):
            fields.title = theirs  # the labeller stopped inside the title ("... of 131Xem, 133Xem ..."), the rest
            # of which it put in no other field, against a full journal reading by the rules: theirs
        elif not mine and theirs and rules_parsed and (name != "title" or strong):  # no title: physics forms
            setattr(fields, name, theirs)  # the labeller did not see this field: the rules' value, unsure
            unsure.append({"container": "journal"}.get(name, name))
        elif strong and theirs and {"container": "journal", "year": "date"}.get(name, name) in unsure_labels:
            setattr(fields, name, theirs)  # unsure against a full journal reading by the rules: theirs
    extra = crf_title[len(reference.title):].strip(" .,") if reference.title and \
        crf_title.startswith(reference.title) else ""
    if extra and fields.container and reference.container.endswith(fields.container) and \
            reference.container[: len(reference.container) - len(fields.container)].strip(" .,") == extra:
        fields.title, fields.container = reference.title, reference.container  # "... diet. N" + "Engl J Med"
    if fields.year and reference.year and fields.year != reference.year and str(fields.year) in fields.title:
        fields.year = reference.year  # "Cancer statistics, 2020. ... 2021;70": the title's year is not the date
    _year_inside_title(reference, fields)
    if agree_fully(reference, fields):
        return []  # two readings, one learned and one by rules, agree on every core field
    return list(dict.fromkeys(n for n in unsure if n != "issue"))


def _year_inside_title(reference: Reference, fields: Fields) -> None:
    """The labeller ended the title at a year the rules read inside it, another year being the date
    ("Two new species of Bombylius Linnaeus, 1758 (Diptera, Bombyliidae) from Turkey ... 2000"): a
    taxonomic authority's year, not the entry's. The rules' title stands, and their date."""
    mine, theirs = fields.title, reference.title
    if not (mine and reference.year and theirs.casefold().startswith(mine.casefold())):
        return
    cut = re.match(r"[,:;]?\s*((?:1[5-9]|20)\d\d)\b\W*\w", theirs[len(mine):])
    if cut and int(cut.group(1)) != reference.year and reference.parse_status == ParseStatus.PARSED:
        fields.title = theirs
        fields.year = reference.year if fields.year == int(cut.group(1)) else fields.year


def agree_fully(reference: Reference, fields: Fields) -> bool:
    """The rules parsed the entry and read every core field as the labeller does."""
    return FULL_AGREEMENT and reference.parse_status == ParseStatus.PARSED and all(
        _same(_value(fields, n), _value(reference, n)) for n in CORE.values())


def _is_group(name: str) -> bool:
    """An organisation's name: a word like "Institute", or small words persons' names lack ("Panel on")."""
    return bool(GROUP_WORDS.search(name) or re.search(r"\s(?:on|of|for|in)\s", name))


def _suspect(reference: Reference) -> list[str]:
    """Core fields whose value has the shape of a misreading: a name holding a list ("Adam DI Kramer,
    Jamie E Guillory"), a year or volume left in a journal's name, author initials in a title."""
    out = []
    family = reference.authors[0].family if reference.authors else ""
    if re.search(r"[,;]|\s(?:and|&|y otros|et al)\b|\b(?:1[5-9]|20)\d\d\b", family) and not _is_group(family):
        out.append("authors")
    if re.search(r"^(?:and|&)\s|\b[A-Z]\.,\s", reference.title):
        out.append("title")
    if re.search(r"\(\d{4}\)|\d+\s*\(\d+\)|:\s*\d+|\s\d+$|,\s*\d+\s*(?:,|$)", reference.container) \
            or re.search(r"^[IVX]+\.\s|\bspecial issue\b|\b(?:january|february|march|april|june|july|august|september|"
                         r"october|november|december)\b", reference.container, re.I):  # a title's part, an issue's theme
        out.append("journal")
    return out


def _kept(reference: Reference, got, fields: Fields) -> Reference:
    """The rules' reading stands (a book, chapter, report or web page); where the labeller reads another
    title or first author, the entry is `partial` with those fields named."""
    if reference.container and not reference.volume and reference.type_guess in ("journal-article", "web-page", ""):
        # "Journal 3(1):1–122" left whole by the rules
        tail = Fields(container=reference.container, pages=reference.pages)
        _container_tail(tail)
        reference = replace(reference, container=tail.container, volume=tail.volume, issue=tail.issue,
                            pages=tail.pages, type_guess="journal-article" if tail.volume else reference.type_guess)
    mine, theirs = _value(fields, "authors"), _value(reference, "authors")
    person_like = re.fullmatch(r"(?:[A-Z][\w'’-]*\.?\s?){2,4}", theirs or "") and not GROUP_WORDS.search(theirs) \
        and (len(fields.authors) > 1 or re.search(r"\b[A-Z]\.", theirs))
    if person_like and mine and mine != theirs and re.search(rf"\b{re.escape(mine)}\b", theirs):
        # the rules kept a whole name ("Micah Hodosh", "GUILMOTO C. Z."): the labeller's names, split
        reference = replace(reference, authors=fields.authors, authors_truncated=fields.truncated)
    return _disputed(reference, fields)


def _disputed(reference: Reference, fields: Fields) -> Reference:
    """The rules' parsed reading, `partial` with the fields named where the labeller reads another first
    author, title or journal, or where a value has the shape of a misreading."""
    if reference.parse_status != ParseStatus.PARSED:
        return reference
    # a book's or report's container is its publisher: a "journal" the labeller reads in it is no dispute
    compared = ("authors", "title", "journal") if reference.type_guess in ("journal-article", "web-page", "") \
        else ("authors", "title")
    unsure = [name for name in ("authors", "title", "journal") if name in compared and _value(fields, name)
              and not _overlap(_value(fields, name), _value(reference, name)) or name in _suspect(reference)]
    group = _value(reference, "authors")
    if "authors" in unsure and _is_group(group) and re.search(rf"(?i)\b{re.escape(_value(fields, 'authors'))}\b", group):
        unsure.remove("authors")  # "Office of Dietary Supplements": the labeller split an organisation as a person
    if not unsure:
        return reference
    note = "; ".join(filter(None, ["unsure: " + ", ".join(unsure), reference.parse_note]))
    return replace(reference, parse_status=ParseStatus.PARTIAL, parse_note=note)


def refine(reference: Reference) -> Reference:
    """The rules' Reference -> the labeller's (see the module docstring); never raises: on an error of
    its own the rules' reading stands, with the error in the note."""
    if reference.parse_status == ParseStatus.FAILED or not model_available():
        return reference
    try:
        return _refine(reference)
    except (re.error, ValueError, IndexError, KeyError) as error:
        note = "; ".join(filter(None, [reference.parse_note, f"labeller error: {error}"]))
        return replace(reference, parse_note=note)


def _refine(reference: Reference) -> Reference:
    text = clean_text(reference.raw)
    got = label(text, rule_hints(text, hints_of(reference)))
    fields = Fields(doi=reference.doi, pmid=reference.pmid, pmcid=reference.pmcid, url=reference.url,
                    type_guess="preprint" if reference.type_guess == "preprint" else "journal-article")
    _apply(got, fields)
    journal_like = "journal" in got.text and bool(fields.volume or fields.pages)
    if reference.type_guess == "web-page" and (not journal_like or WEB_TAIL.search(text)):
        # a site's name reads like a journal's: without a volume the rules' web page stands, unless the labeller
        # reads a journal and another title or author in it ("A and B, 'Title,' The Guardian, 31 January 2017")
        return _disputed(reference, fields) if "journal" in got.text else reference
    if not journal_like and reference.type_guess != "journal-article":
        return _kept(reference, got, fields)
    unsure = _arbitrate(reference, fields, got.confidence)
    unsure += [name for name in _suspect(replace(reference, authors=fields.authors, title=fields.title,
                                                 container=fields.container)) if name not in unsure]
    _guess_type(fields)
    status, note = _status(text, fields)
    if not unsure and status == ParseStatus.PARSED and got.probability < GATE and not agree_fully(reference, fields):
        # sure of each field, not of the whole, and alone in its reading: its least sure fields are named
        unsure = [CORE[name] for name in sorted(CORE, key=lambda n: got.confidence.get(n, 1.0))[:2]]
    if unsure and status == ParseStatus.PARSED:
        status, note = ParseStatus.PARTIAL, "; ".join(filter(None, ["unsure: " + ", ".join(unsure), note]))
    return replace(reference, authors=fields.authors, authors_truncated=fields.truncated, year=fields.year,
                   title=fields.title, container=fields.container, volume=fields.volume, issue=fields.issue,
                   pages=fields.pages, type_guess=fields.type_guess, parse_status=status, parse_note=note)
