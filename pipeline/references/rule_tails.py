"""What follows an entry's title: a journal, a chapter, a publisher, a site, read by the rule parser."""
from __future__ import annotations

import re

from pipeline.references.fields import (
    YEAR_RE, expand_pages, strip_trailing,
)
from pipeline.references.patterns import (
    CHICAGO_AD_TAIL, CHICAGO_NB_TAIL, CONTRIBUTORS, EDITION, FRONTIERS_TAIL, JOURNAL_TAIL, PLACE, PREPRINT_WORDS,
    PROCEEDINGS_WORDS, PUBLISHER_WORDS, SENTENCE_BREAK, SITE_END, THESIS_WORDS, WEB_TAIL)
from pipeline.references.rule_fields import Fields, _looks_like_title, _sentence_break, _split_title
from pipeline.repair import collapse_space

def _journal_tail(tail: str, fields: Fields) -> bool:
    tail = strip_trailing(WEB_TAIL.sub("", tail))
    match = JOURNAL_TAIL.match(tail + ".") or FRONTIERS_TAIL.match(tail + ".")
    if not match or YEAR_RE.fullmatch(match.group("volume")) and not match.group("issue") and not match.group("pages"):
        return False  # "Site, 2022." is a site and a year, not a journal and a volume
    fields.container = strip_trailing(match.group("container"))
    _title_spill(fields)
    fields.volume = match.group("volume")
    fields.issue = (match.group("issue") or "").strip()
    fields.pages = expand_pages(match.group("pages") or "")
    fields.type_guess = "journal-article"
    return True


def _title_spill(fields: Fields) -> None:
    """A title of two sentences ("Disorders of iron metabolism. Part 1: molecular basis of ...") leaves
    its second sentence in front of the journal's name: sentence-case pieces go back to the title,
    while a journal's name, in title case or abbreviated ("J. Clin. Invest."), stays."""
    container = fields.container
    while (cut := SENTENCE_BREAK.search(container)) and _looks_like_title(container[:cut.start()]):
        piece = container[:cut.end()].strip()
        fields.title = f"{fields.title}. {strip_trailing(piece)}" if fields.title else strip_trailing(piece)
        container = container[cut.end():]
    fields.container = container


def _chicago_tail(tail: str, fields: Fields) -> bool:
    """"Journal 84, no. 3 (1970): 488–500" (notes-bibliography) or "Journal 76 (2): 169–217" (author-date)."""
    tail = strip_trailing(WEB_TAIL.sub("", tail))
    match = CHICAGO_NB_TAIL.match(tail) or CHICAGO_AD_TAIL.match(tail)
    if not match:
        return False
    # a year where the volume goes is a site's date, unless it is the entry's own year followed by pages:
    # journals that number volumes by year ("Mediators of Inflammation 2013: 320724")
    year_volume = YEAR_RE.fullmatch(match.group("volume"))
    if year_volume and "year" not in match.groupdict() and str(fields.year) != match.group("volume"):
        return False
    fields.container = strip_trailing(re.sub(r"^in:?\s+", "", match.group("container"), flags=re.I))
    fields.volume = match.group("volume")
    fields.issue = strip_trailing(match.group("issue") or "")
    fields.pages = expand_pages(match.group("pages") or "")
    if "year" in match.groupdict() and fields.year is None:
        fields.year = int(match.group("year"))
    fields.type_guess = "journal-article"
    return True


def _chapter(tail: str, fields: Fields) -> bool:
    """"In J. Richardson (Ed.), Book (pp. 241–258). Publisher." / "in Daily, G.C. (ed.) Book. Place: Publisher,
    pp. 93–112." / "In: Vogelstein B, Kinzler KW, editors. Book. Place: Publisher; 2002. p. 93-113."."""
    match = re.match(r"^in:?\s+(?P<body>.+)$", tail.strip(), re.I)
    if not match:
        return False
    body = match.group("body")
    # APA puts a book's series, volume and pages in one bracket: "(Lecture Notes in Computer Science,
    # Vol. 9908, pp. 630–646)", "(Vol. 8, pp. 47–89)"; the volume is kept, the series dropped
    located = re.search(r"\((?P<inner>[^()]*\bpp?\.[^()]*)\)", body)
    if located:
        volume = re.search(r"\bvol\.\s*(?P<volume>\w+)", located.group("inner"), re.I)
        if volume:
            fields.volume = volume.group("volume")
        pages_only = re.sub(r"^.*?(?=\bpp?\.)", "", located.group("inner"), flags=re.I | re.S)
        body = body[: located.start()] + "(" + pages_only + ")" + body[located.end():]
    editors = re.search(r"\((?:eds?|editors?)\.?\)|,\s*(?:eds?|editors?)\.", body, re.I)
    if not editors and not located:
        return False  # "in Proc. Conf., 2016, pp. 1-9" is a proceedings paper, handled by the caller
    if editors:
        body = body[editors.end():]
    pages = re.search(r"\(?\bpp?\.\s*(?P<pages>[A-Za-z]{0,4}\d+\s*[\-–—]\s*[A-Za-z]{0,4}\d+|\d+)\)?", body)
    if pages:
        fields.pages = expand_pages(pages.group("pages"))
        body = body[: pages.start()] + body[pages.end():]
    body = re.sub(r"\s+([.,;])", r"\1", collapse_space(body)).strip(" ,.;")
    book, _ = _split_title(body)
    book = strip_trailing(book)
    if not book:
        return False
    fields.container = book
    fields.type_guess = "chapter"
    return True


def _publisher(tail: str) -> str:
    """"2nd ed. New York: Raven Press; 1995" / "Greystone Books, 2016" / "London: Bloomsbury" -> the publisher."""
    tail = EDITION.sub("", CONTRIBUTORS.sub("", tail.strip()))
    tail = PLACE.sub("", tail)
    tail = re.split(r";\s*(?:c\s*)?(?:1[5-9]|20)\d\d|,\s*(?:c\s*)?(?:1[5-9]|20)\d\d\b", tail)[0]
    return strip_trailing(re.sub(r"\s*\(pp?\.[^)]*\)", "", tail))


def _proceedings(tail: str, fields: Fields) -> bool:
    """A conference paper cited with pages but no volume and no editors: "In: 2016 IEEE Conference on ... (CVPR).
    2016. p. 770-8." (Vancouver), "2016 IEEE Conference on ... (CVPR), 770–778." (APA), "In: Proceedings of the
    ... Conference; 2016 Jun 27-30; Las Vegas, NV. IEEE; 2016. p. 770-8." (NLM's full form: the meeting's name is
    what comes before its date)."""
    body = re.sub(r"^in:?\s+", "", tail.strip(), flags=re.I).rstrip(" .")
    if not PROCEEDINGS_WORDS.search(body):
        return False
    pages = re.search(r"(?:[,;.:]\s*|\s)(?:pp?\.\s*)?(?P<pages>[A-Za-z]{0,2}\d+\s*[\-–—]\s*[A-Za-z]{0,2}\d+)$", body)
    if not pages:
        return False
    head = body[: pages.start()]
    container = strip_trailing(re.split(r"[.;,]\s+(?=(?:1[5-9]|20)\d\d\b)", head)[0])
    if not container or YEAR_RE.fullmatch(container):
        return False
    fields.container = container
    fields.pages = expand_pages(pages.group("pages"))
    if fields.year is None:
        year = YEAR_RE.search(head[len(container):])
        fields.year = int(year.group(1)) if year else None
    fields.type_guess = "proceedings-article"
    return True


def _other_tail(tail: str, fields: Fields) -> None:
    """What follows the title when it is not "Journal, vol(issue), pages": chapter, proceedings paper, book,
    preprint, site."""
    tail = strip_trailing(WEB_TAIL.sub("", tail))
    if _chapter(tail, fields) or _proceedings(tail, fields):
        return
    if PREPRINT_WORDS.search(tail):
        fields.container = strip_trailing(re.split(r"\.\s+(?=\d)", tail)[0])
        fields.type_guess = "preprint"
        return
    if THESIS_WORDS.search(tail):
        fields.type_guess = "thesis"
        tail = re.sub(r"^[^.]*\b(?:dissertation|thesis)\b[^.]*\.\s*", "", tail, flags=re.I)
    fields.container = _publisher(tail)
    if PUBLISHER_WORDS.search(fields.container) and not fields.type_guess:
        fields.type_guess = "book"


def _site(text: str) -> str:
    """A site or publisher name: the first sentence, cut before a date or address."""
    match = _sentence_break(text)
    site = text[: match.start()] if match else text
    return strip_trailing(SITE_END.sub("", site))
