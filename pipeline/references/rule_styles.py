"""The rule parser's readings of whole entries by style: quoted titles (MLA, Chicago, IEEE), names first, APA, Vancouver."""
from __future__ import annotations

import re

from pipeline.references.fields import (
    YEAR_RE, expand_pages, looks_like_apa_authors, looks_like_vancouver_authors, parse_apa_authors, parse_initials_first_authors, strip_trailing,
)
from pipeline.references.patterns import (
    ACS_TAIL, INITIALS_LEAD, NAMES_LEAD, NATURE_TAIL, PLACE, PREPRINT_WORDS, QUOTED, SENTENCE_BREAK, VANCOUVER_TAIL,
    WEB_TAIL)
from pipeline.references.rule_fields import (Fields, _authors, _first_year, _looks_like_title, _sentence_break, _split_title,
                                              _year_outside_pages)
from pipeline.references.rule_tails import (
    _chapter, _chicago_tail, _journal_tail, _other_tail, _proceedings, _site, _title_spill)

class _NestedQuote:
    """A quoted title that itself quotes a phrase (“Why “real” titles break.”), shaped like a QUOTED match."""

    def __init__(self, start: int, end: int, title: str):
        self._start, self._end, self._title = start, end, title

    def start(self, *_):
        return self._start

    def end(self, *_):
        return self._end

    def group(self, name):
        return self._title if name == "title" else None


def _find_quoted(body: str):
    """The quoted title: QUOTED's match, unless the first curly quote opens a title holding inner
    curly quotes (then QUOTED would take the inner phrase), found by counting the quotes' depth."""
    match, first = QUOTED.search(body), body.find("“")
    if first == -1 or (match is not None and match.start() <= first):
        return match
    depth = 0
    for i in range(first, len(body)):
        depth += {"“": 1, "”": -1}.get(body[i], 0)
        if depth == 0:
            title = body[first + 1:i].rstrip(",. ")
            return _NestedQuote(first, i + 1, title) if len(title) >= 3 and i - first > 1 else match
    return match


def _parse_quoted(text: str, match: re.Match, fields: Fields) -> None:
    """MLA / Chicago / Harvard / IEEE / Wikipedia: the title stands in quotes."""
    before, after = text[: match.start()], text[match.end():]
    fields.title = strip_trailing(match.group("title") or match.group("title2"))
    year_in_before = re.search(r"\(([^)]*?)\)\.?\s*$", before) or \
        re.search(r"(?:^|[.,]\s+)((?:1[5-9]|20)\d\d)[a-z]?\.?\s*$", before)  # Chicago author-date "Name. 1968."
    if year_in_before:
        fields.year = _first_year(year_in_before.group(1))
        before = before[: year_in_before.start()]
    fields.authors, fields.truncated = _authors(before)
    after = after.strip(" .,")
    if fields.year is None:
        fields.year = _year_outside_pages(after)
    if _chicago_tail(after, fields):
        return
    mla = re.search(r"\bvol\.\s*(?P<volume>[\w]+)", after, re.I)
    if mla:
        fields.container = strip_trailing(re.sub(r"^in:?\s+", "", after[: mla.start()], flags=re.I))
        issue = re.search(r"\bnos?\.\s*(?P<issue>[^,]+)", after, re.I)  # "no. 3", "nos. 2-3"
        fields.volume = mla.group("volume")
        fields.issue = strip_trailing(issue.group("issue")) if issue else ""
        pages = re.search(r"\bpp?\.\s*(?P<pages>[\w\-–—]+)", after, re.I)
        if not pages:  # an article number after the year: "2017, a029793."
            pages = re.search(r"(?:1[5-9]|20)\d\d,\s*(?P<pages>[A-Za-z]?\d+[\w\-–—]*)\s*\.?$", after)
        fields.pages = expand_pages(pages.group("pages")) if pages else ""
        fields.type_guess = "journal-article"
        return
    after = WEB_TAIL.sub("", after).strip(" .,")
    proceedings = re.match(r"^in:?\s+(?P<container>.+?)(?:,\s*(?:[A-Z][^,]*,\s*)*(?:(?:1[5-9]|20)\d\d|pp?\.).*)$", after)
    if proceedings and not re.search(r"\((?:eds?|editors?)\.?\)|,\s*(?:eds?|editors?)\.|\(pp?\.", after, re.I):  # IEEE: "in Proc. Conf. (ABBR), City, 2016, pp. 770–778."
        fields.container = strip_trailing(proceedings.group("container"))
        pages = re.search(r"\bpp?\.\s*(?P<pages>[\w\-–—]+)", after)
        fields.pages = expand_pages(pages.group("pages")) if pages else ""
        fields.type_guess = "proceedings-article"
        return
    if _journal_tail(after, fields):  # Harvard: 'Title', Journal, 597(3), pp. 801-815.
        return
    if _chapter(after, fields):  # Harvard: 'Title', in Editor, A. (ed.) Book. Place: Publisher, pp. 1-10.
        return
    if _proceedings(after, fields):  # Chicago: "Title." 2016 IEEE Conference on ... (CVPR), 770–78.
        return
    if PREPRINT_WORDS.search(after):  # IEEE: "Title," arXiv preprint arXiv:1810.04805, 2018.
        fields.container = strip_trailing(re.sub(r",\s*(?:1[5-9]|20)\d\d$", "", after))
        fields.type_guess = "preprint"
        return
    site = _site(after)
    fields.container = site if not YEAR_RE.fullmatch(site) else ""
    fields.type_guess = "web-page"


def _parse_names_first(body: str, fields: Fields) -> bool:
    """Nature / Science / APS / ACS: names, then the title (APS prints none), then "Journal vol, pages (year)"
    or "Journal year, vol, pages", without the year after the names."""
    lead = NAMES_LEAD.match(body)
    initials_first = False
    if not lead or not lead.group(0).strip():
        lead, initials_first = INITIALS_LEAD.match(body), True
    if not lead or not lead.group(0).strip():
        return False
    rest = body[lead.end():].strip(" ,.")
    starts = [0] + [m.end() for m in SENTENCE_BREAK.finditer(rest)]
    for start in starts:
        tail = strip_trailing(rest[start:]) + "."
        match = NATURE_TAIL.match(tail) or ACS_TAIL.match(tail)
        # the journal's name is in title case ("Phys. Rev. Lett."); a sentence-case piece belongs to the title
        if not match or _looks_like_title(match.group("container")):
            continue
        names = lead.group(0)
        authors, truncated = parse_initials_first_authors(names) if initials_first else \
            parse_apa_authors(names.replace(";", ","))
        if not authors:
            return False
        fields.authors, fields.truncated = authors, truncated
        fields.title = strip_trailing(rest[:start]) if start else ""
        fields.container = strip_trailing(match.group("container"))
        fields.volume = match.group("volume")
        fields.issue = (match.group("issue") or "").strip()
        fields.pages = expand_pages(match.group("pages"))
        fields.year = int(match.group("year"))
        fields.type_guess = "journal-article"
        return True
    return False


def _parse_initials_book(body: str, fields: Fields) -> bool:
    """IEEE's book or report, whose title is set in italics and so arrives unquoted: "T. Hastie, R. Tibshirani,
    and J. Friedman, The Elements of Statistical Learning. New York, NY: Springer, 2009."."""
    lead = INITIALS_LEAD.match(body)
    if not lead or not lead.group(0).rstrip().endswith(","):
        return False
    authors, truncated = parse_initials_first_authors(lead.group(0).rstrip(" ,"))
    title, tail = _split_title(body[lead.end():].strip())
    if not authors or not title or not YEAR_RE.search(tail):
        return False
    # the edition follows the italic title in IEEE: "..., 2nd ed. New York"
    title = re.sub(r",\s*\d+(?:st|nd|rd|th)\s+(?:edition|edn|ed)\.?$", "", strip_trailing(title), flags=re.I)
    fields.authors, fields.truncated, fields.title = authors, truncated, title
    fields.year = _first_year(tail)
    _other_tail(tail, fields)
    return True


def _parse_apa(match: re.Match, fields: Fields) -> None:
    authors = match.group("authors")
    year = match.group("year")
    fields.year = int(year[:4]) if year[:1].isdigit() else None  # "n.d.", "in press": no year
    fields.undated = fields.year is None
    rest = match.group("rest")
    if not looks_like_apa_authors(authors) and _looks_like_title(authors):
        # "Title. (n.d.). Site. Retrieved ..." : no author, the title comes first
        fields.title = strip_trailing(authors)
        tail = rest
        if not _journal_tail(tail, fields):
            fields.container = _site(WEB_TAIL.sub("", tail))
        return
    fields.authors, fields.truncated = _authors(authors)
    fields.title, tail = _split_title(rest)
    if not _journal_tail(tail, fields) and not _chicago_tail(tail, fields):
        _other_tail(tail, fields)


def _parse_vancouver(text: str, fields: Fields) -> bool:
    head = _sentence_break(text)
    if not head:
        return False
    authors_text, rest = text[: head.start()], text[head.end():]
    vancouver = looks_like_vancouver_authors(authors_text)
    if not vancouver and not re.fullmatch(r"[A-Z][\w&,.'’() \-]{2,100}", authors_text):
        return False
    fields.title, tail = _split_title(rest)
    tail_match = VANCOUVER_TAIL.search(tail)
    if tail_match:
        fields.container = strip_trailing(tail[: tail_match.start()])
        _title_spill(fields)
        fields.year = int(tail_match.group("year"))
        fields.volume = tail_match.group("volume").strip()
        fields.issue = (tail_match.group("issue") or "").strip()
        supplement = re.fullmatch(r"(\d+)\s+(Suppl\.?\s*\w*|Pt\.?\s*\w+)", fields.volume)
        if supplement and not fields.issue:  # "2014;30 Suppl 1:82-8"
            fields.volume, fields.issue = supplement.group(1), supplement.group(2)
        fields.pages = expand_pages(tail_match.group("pages") or "")
        fields.type_guess = "journal-article"
    else:
        fields.year = _first_year(tail)
        site_then_rest = re.split(r"\.\s+", WEB_TAIL.sub("", tail), maxsplit=1)
        if fields.url and site_then_rest and not PLACE.match(tail) and not re.match(r"^in:?\s", tail, re.I) \
                and not PREPRINT_WORDS.search(tail):
            fields.container = strip_trailing(site_then_rest[0])
            fields.type_guess = "web-page"
        else:
            _other_tail(tail, fields)
    fields.authors, fields.truncated = _authors(authors_text)
    return bool(fields.title)
