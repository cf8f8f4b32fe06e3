"""References stage: reference-list entries -> `Reference` records with parsed fields.

Consumes the `reference` blocks that ingest found (one per entry, in list order) and
produces one `Reference` per entry: authors in order, year, title, container, volume,
issue, pages or article number, DOI, PMID, PMCID, URL, a type guess and a parse status
with its reason. Nothing is dropped: an empty bullet, a line of prose, a bare URL or two
references run together are all kept with a status and a note.

The parser recognises the styles web articles use: APA ("Kahn, S. E. (2006). Title.
Journal, 444(7121), 840-846."), MLA/Chicago with a quoted title ("... “Title.” Journal,
vol. 8, no. 8, 2012, pp. 457-465."), Harvard ("Kahn, S.E. (2006) 'Title', Journal,
444(7121), pp. 840-846."), Vancouver/NLM ("Kahn SE, Hull RL. Title. Nature.
2006;444(7121):840-6.", with "[Internet]", "[cited ...]", "Available from:"), Chicago author-date
("Hardin, Garrett. 1968. “Title.” Science 162 (3859): 1243–48.") and notes-bibliography ("Journal 100,
no. 3 (2010): 641–72."), IEEE ("[3] A. B. Author, “Title,” Journal, vol. 5, no. 2, pp. 3-9, 2020."),
Wikipedia cite templates, books, chapters, reports, theses, preprints and web pages. In HTML, the address
an entry links to stands in for a URL the text does not print. Field normal forms are those of
`reference_fields`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from pipeline.models import Author, Block, BlockKind, ParseStatus, Reference
from pipeline.references.fields import (
    APA_AUTHOR, INITIALS_FIRST, PMCID_RE, PMID_RE, URL_RE, YEAR_RE, expand_pages, find_doi, looks_like_apa_authors, looks_like_initials_first_authors,
    looks_like_inverted_first_authors, looks_like_vancouver_authors, parse_apa_authors, parse_full_name_authors,
    parse_initials_first_authors, parse_inverted_first_authors, parse_vancouver_authors, strip_trailing,
)
from pipeline.repair import collapse_space, repair_artifacts

NUMBER_RE = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+")
BULLET_RE = re.compile(r"^\s*[•●▪◦‣∙·*\-–—]\s*")
QUOTED = re.compile(r"[“\"](?P<title>[^“”\"]{3,}?)[,.]?[”\"]|(?<![\w])'(?P<title2>[^']{3,}?)'(?=[,.]\s)")
APA_HEAD = re.compile(r"^(?P<authors>.*?)\s*\((?P<year>(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.|in press|forthcoming)(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$")
# "Niculescu, A.B. 2024. Title. Container." (year without parentheses after APA-style names)
APA_HEAD_BARE = re.compile(r"^(?P<authors>.+?[A-Z]\.)\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?\.\s+(?P<rest>.*)$")
# Chicago author-date: "Hardin, Garrett. 1968. Title." (names written out, year as its own sentence)
CHICAGO_HEAD = re.compile(r"^(?P<authors>[^.]+?(?:\s[A-Z])?)\.\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?\.\s+(?P<rest>.*)$")
# a ". " that does not end a sentence: after an abbreviation made of single letters ("U.S. adults")
ABBREVIATION = re.compile(r"(?:^|[\s(])(?:vs|e\.g|i\.e|cf|approx|incl|spp|ssp|subsp|sp|var|ca|Dr|Mr|Mrs|Ms|St|Mt|Jr|Sr)$")
SENTENCE_BREAK = re.compile(r"(?<=[^\s.])([.?!])\s+(?=\S)")
VANCOUVER_TAIL = re.compile(
    r"(?P<year>(?:1[5-9]|20)\d\d)(?:\s+[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?(?:\s+\d{1,2})?)?\s*;\s*"
    r"(?P<volume>[\w ]*?)\s*(?:\((?P<issue>[^)]+)\))?\s*(?::\s*(?P<pages>[A-Za-z]{0,4}\d+[\w\-–—]*))?\.?\s*$")
# APA 7 writes an e-locator as "Article 16008" ("Art. no. 16008" in some styles)
_ARTICLE_NUMBER = r"(?:[Aa]rticle|[Aa]rt\.)(?:\s+(?:[Nn]o\.?|[Nn]umber))?\s*"
JOURNAL_TAIL = re.compile(
    r"^(?P<container>.+?),\s*(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]+)\))?"
    r"(?:,\s*(?:pp?\.\s*|" + _ARTICLE_NUMBER + r")?(?P<pages>[A-Za-z]{0,4}\d+(?:[\-–—][A-Za-z]{0,4}\d+)?))?\.?$")
# Frontiers and other author-year styles: "Nat. Sci. Sleep 10, 421–430" (no comma before the volume)
FRONTIERS_TAIL = re.compile(
    r"^(?P<container>[^,]+?)\s+(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]+)\))?"
    r",\s*(?:pp?\.\s*|" + _ARTICLE_NUMBER + r")?(?P<pages>[A-Za-z]{0,4}\d+(?:[\-–—][A-Za-z]{0,4}\d+)?)\.?$")
# Chicago notes-bibliography: "Journal 100, no. 3 (2010): 641–72" / "Journal 3 (1960): 1–44"
CHICAGO_NB_TAIL = re.compile(
    r"^(?P<container>.+?),?\s+(?P<volume>\d+[A-Za-z]?)(?:,\s*no\.\s*(?P<issue>[^(]+?))?\s*"
    r"\([^)]*?(?P<year>(?:1[5-9]|20)\d\d)\)\s*(?::\s*(?P<pages>[A-Za-z]{0,4}\d+(?:[\-–—][A-Za-z]{0,4}\d+)?))?\.?$")
# Chicago author-date: "Journal 76 (2): 169–217"
CHICAGO_AD_TAIL = re.compile(
    r"^(?P<container>.+?),?\s+(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*"
    r"(?P<pages>[A-Za-z]{0,4}\d+(?:[\-–—][A-Za-z]{0,4}\d+)?)\.?$")
# Nature / Science / APS: "Nature 521, 436–444 (2015)" / "Phys. Rev. Lett. 116, 061102 (2016)"
_PAGES = r"(?P<pages>[A-Za-z]{0,4}\d+(?:\s*[\-–—]\s*[A-Za-z]{0,4}\d+)?)"
NATURE_TAIL = re.compile(rf"^(?P<container>[^,]+?),?\s+(?P<volume>\d+[A-Za-z]?)(?:\s*\((?P<issue>[^)]+)\))?,\s*{_PAGES}\s*"
                         r"\([^)]*?(?P<year>(?:1[5-9]|20)\d\d)\)\.?$")
# ACS: "J. Am. Chem. Soc. 2019, 141, 1234–1240" / "ACS Energy Lett. 2020, 5 (3), 765–772"
ACS_TAIL = re.compile(rf"^(?P<container>[^,]+?)\s+(?P<year>(?:1[5-9]|20)\d\d),\s*(?P<volume>\d+[A-Za-z]?)"
                      rf"(?:\s*\((?P<issue>[^)]+)\))?,\s*{_PAGES}\.?$")
_APA_NAME = APA_AUTHOR.pattern.replace(r"(?=[\s,&]|$)", r"(?=[\s,&;]|$)")  # ACS separates names with ";"
NAMES_LEAD = re.compile(rf"^(?:{_APA_NAME}(?:\s*[,;]\s*(?:&\s*|and\s+)?|\s*&\s*|\s+and\s+)?)+"
                        r"(?:,?\s*et\s+al\.)?")
INITIALS_LEAD = re.compile(rf"^(?:{INITIALS_FIRST}(?:\s*,\s*(?:and\s+)?|\s+and\s+)?)+(?:\s*et\s+al\.)?,?")
# a place of publication before the publisher: "London:", "New York, NY:", "Cambridge, MA:", "Bethesda (MD):"
PLACE = re.compile(r"^[A-Z][\w .'’-]{1,40}?(?:,\s*[A-Z][\w.]{1,20}|\s*\([A-Z]{2,}\))?:\s+")
EDITION = re.compile(r"^\(?\d+(?:st|nd|rd|th)\s+(?:edition|edn|ed)\.?\)?\.?\s*", re.I)
CONTRIBUTORS = re.compile(r"^(?:translated|edited|illustrated|introduction|foreword)\s+by\s+[^.]+(?:\.\s*[A-Z]\.)*[^.]*\.\s*",
                          re.I)
# bracketed medium designators and APA 7 descriptions, dropped from titles and containers
DESIGNATOR = re.compile(r"\s*\[(?:internet|online|preprint|serial online|epub[^\]]*|cited[^\]]*|updated[^\]]*|"
                        r"(?:citado|consultado|zitiert|cit[ée]|acesso)[^\]]*|"
                        r"(?:doctoral|master'?s|phd|unpublished)[^\]]*|dissertation[^\]]*|thesis[^\]]*|"
                        r"video|audio|podcast|fact sheet|press release|data set|infographic|blog post|abstract)\]", re.I)
# links that article pages print after each entry (PMC, Frontiers, Springer): not part of the reference
PORTAL_LINKS = re.compile(r"\s*\[(?:pubmed|google scholar|cross ?ref|pmc free article|ref list|web of science|scopus|"
                          r"free full text|cas|medline)\]", re.I)
PORTAL_TAIL = re.compile(r"(?:\s*\|?\s*\b(?:pubmed abstract|pubmed central|pubmed|cross ?ref full text|cross ?ref|"
                         r"google scholar|full text|article|cas|mathscinet|ads|web of science|scopus)\b)+\s*$", re.I)
THESIS_WORDS = re.compile(r"\b(dissertation|thesis)\b", re.I)
BARE_URL_RE = re.compile(r"(?<![\w@/.])(?:www\.)?[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|gov|edu|net|int|io|co\.uk|"
                         r"ac\.uk|nhs\.uk|ca|au|de)/[^\s\"<>]*", re.I)
PUBLISHER_WORDS = re.compile(r"\b(press|publish\w*|books|wiley|springer|elsevier|routledge|penguin|random house|"
                             r"mcgraw|harper|norton|oxford|cambridge|holt|schuster|bloomsbury|sage|academic)\b", re.I)
PREPRINT_WORDS = re.compile(r"\b(arxiv|biorxiv|medrxiv|ssrn|preprint|research square|psyarxiv)\b", re.I)
REPORT_WORDS = re.compile(r"\b(report|guidelines?|organi[sz]ation|department|agency|institutes?|ministry|statement|"
                          r"centers?|centres?|commission|council|bureau|office|working paper|white paper|fact sheet|"
                          r"data brief|technical)\b", re.I)
# "Available at" in the languages reference lists are written in (es, fr, pt, it, de, nl) too
AVAILABLE = (r"available (?:at|from)|disponible (?:en|sur)|dispon[ií]vel em|disponibile (?:su|in)|verf[üu]gbar unter|"
             r"beschikbaar (?:op|via)")
WEB_TAIL = re.compile(rf"\b(retrieved|accessed|{AVAILABLE}|last (modified|updated|reviewed)|abgerufen (am|unter)|"
                      r"consultado (el|em)|acesso em|accedido (el|en))\b.*$", re.I)
E_LOCATOR = re.compile(r"e\d{2,}(?:-e?\d+)?", re.I)
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# where a site name ends: ", 2022", ", 5 March", ", 12 Mar. 2019", ", www.example.org/..."
SITE_END = re.compile(rf",\s*(?:\d{{1,2}}\s+{MONTHS}|{MONTHS}\s+\d|(?:1[5-9]|20)\d\d\b|(?:www\.|[a-z0-9-]+\.[a-z]{{2,}}/)).*$",
                      re.I)


@dataclass
class Fields:
    """The mutable working record of one parse; frozen into a Reference at the end."""

    authors: tuple[Author, ...] = ()
    truncated: bool = False
    year: int | None = None
    title: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    type_guess: str = ""
    undated: bool = False  # "n.d.": no date, so a retrieval date is not taken for the year
    notes: list[str] = field(default_factory=list)


def _authors(text: str) -> tuple[tuple[Author, ...], bool]:
    # "Gross, J. J. (Ed.)", "Zipes DP, Jalife J, Stevenson WG, editors" (Vancouver's edited book)
    # (the trailing word in lower case only: "Yong, Ed." is a man named Ed)
    text = re.sub(r",\s*(?:editors?|eds\.)\s*$", "", text)
    text = strip_trailing(re.sub(r"\s*\((?:eds?|editors?|comps?)\.?\)", "", text, flags=re.I))
    if not text:
        return (), False
    if re.search(r"\s[A-Z]$", text):  # "Becker, Gary S" lost its full stop to the sentence split
        text += "."
    if looks_like_vancouver_authors(text):
        return parse_vancouver_authors(text)
    if looks_like_apa_authors(text):
        return parse_apa_authors(text)
    if looks_like_initials_first_authors(text):
        return parse_initials_first_authors(text)
    if looks_like_inverted_first_authors(text):
        return parse_inverted_first_authors(text)
    if re.fullmatch(r"[^,;]+,\s*[A-Z][a-z]+(\s+[A-Z][a-z]+)*(;\s*[^,;]+,\s*[A-Z][a-z]+(\s+[A-Z][a-z]+)*)*", text):
        return parse_full_name_authors(text)
    return (Author(text, ""),), False  # a corporate author ("World Health Organization")


def _first_year(text: str) -> int | None:
    match = YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def _year_outside_pages(text: str) -> int | None:
    """The first year that is not part of a page range ("pp. 1735–1780, 1997" -> 1997) or a volume numbered
    like a year ("vol. 2013, 2014" -> 2014)."""
    return _first_year(re.sub(r"\bpp?\.\s*[\w]+(?:\s*[\-–—]\s*\w+)?|\d+\s*[\-–—]\s*\d+|\bvol\.\s*\d+", " ", text))


def _sentence_break(text: str) -> re.Match | None:
    """The first ". ", "? " or "! " that ends a sentence, skipping "U.S."-style abbreviations and the
    number that opens some titles ("2. Classification and diagnosis ...")."""
    for match in SENTENCE_BREAK.finditer(text):
        if match.group(1) == "." and re.search(r"(?:\b[A-Z]\.){1,}[A-Z]$", text[: match.start()]):
            continue
        if match.group(1) == "." and re.search(ABBREVIATION, text[: match.start()]):
            continue  # "vs.", "e.g.", "spp." inside a title
        if match.group(1) == "." and re.search(r"\b[a-z]+\s[A-Z]$", text[: match.start()]) and \
                re.match(r"[a-z]", text[match.end():]):
            continue  # a genus abbreviated before a species: "E. coli", "S. aureus"
        if match.group(1) == "." and re.fullmatch(r"\d{1,2}", text[: match.start()].strip()):
            continue
        return match
    return None


def _split_title(rest: str) -> tuple[str, str]:
    """Title and what follows it: the title ends at the first sentence break (a "?" is kept). A title
    that asks a question and then goes on ("Mindless statistics? A critique. Journal, 33(5), ...") runs
    to the next break when what follows that one is the journal or publisher and not the first part."""
    match = _sentence_break(rest)
    if not match:
        return strip_trailing(rest), ""
    title = rest[: match.start() + (1 if match.group(1) in "?!" else 0)]
    tail = rest[match.end():].strip()
    if match.group(1) in "?!":
        following = _sentence_break(tail)
        if following:
            piece = tail[: following.start() + (1 if following.group(1) in "?!" else 0)]
            second = tail[following.end():].strip()
            if second and len(piece.split()) >= 2 and _looks_like_title(piece) and not WEB_TAIL.match(tail) \
                    and not VANCOUVER_TAIL.match(second):
                title, tail = f"{title} {piece}", second
    return title.strip(), tail


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
    if not match or YEAR_RE.fullmatch(match.group("volume")) and "year" not in match.groupdict():
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


def _other_tail(tail: str, fields: Fields) -> None:
    """What follows the title when it is not "Journal, vol(issue), pages": chapter, book, preprint, site."""
    tail = strip_trailing(WEB_TAIL.sub("", tail))
    if _chapter(tail, fields):
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
        issue = re.search(r"\bno\.\s*(?P<issue>[^,]+)", after, re.I)
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


def _looks_like_title(text: str) -> bool:
    """A no-author APA entry starts with its title: sentence case ("Sleep and sleep disorders"), where an
    organisation's name is in title case ("National Sleep Foundation")."""
    small = {"and", "for", "of", "the", "in", "on", "with", "from", "to", "a", "an", "at", "by", "or"}
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return len(words) >= 2 and any(w[0].islower() and w.lower() not in small and len(w) > 3 for w in words[1:])


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


def _strip_identifiers(text: str, fields: Fields) -> str:
    fields.doi = find_doi(text)
    if pmid := PMID_RE.search(text):
        fields.pmid = pmid.group(1)
    if pmcid := PMCID_RE.search(text):
        fields.pmcid = pmcid.group(1)
    urls = [u.rstrip(".,;)") for u in URL_RE.findall(text) if "doi.org/" not in u.lower()]
    fields.url = urls[0] if urls else ""
    text = re.sub(r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)?\b10\.\d{4,9}/[^\s\"<>]+", " ", text, flags=re.I)
    text = URL_RE.sub(" ", text)
    if not fields.url and (bare := BARE_URL_RE.search(text)):  # MLA prints addresses without a scheme
        fields.url = bare.group(0).rstrip(".,;)")
    text = BARE_URL_RE.sub(" ", text)
    if DESIGNATOR.search(text) and THESIS_WORDS.search(" ".join(DESIGNATOR.findall(text))):
        fields.type_guess = "thesis"
    text = DESIGNATOR.sub("", PORTAL_LINKS.sub("", text))
    tail = PORTAL_TAIL.search(text)
    if tail and re.search(r"pubmed|cross ?ref|google scholar", tail.group(0), re.I):
        text = text[: tail.start()]
    text = PMID_RE.sub(" ", PMCID_RE.sub(" ", text))
    text = re.sub(r"\bISBN(?:-1[03])?:?\s*[\dXx][\d\- Xx]{8,16}[\dXx]\b\.?", " ", text)  # a book's number, not a field
    text = re.sub(rf"\b(doi|{AVAILABLE}):?\s*(?=\s|$)", " ", text, flags=re.I)
    text = re.sub(r"\(\s*(accessed|viewed|cited)\b[^)]*\)", " ", text, flags=re.I)
    text = re.sub(r"\bEpub(?: ahead of print)?:?\s+(?:1[5-9]|20)\d\d(?:\s+[A-Z][a-z]{2,8})?(?:\s+\d{1,2})?\.?", " ", text)
    # what removing identifiers leaves: ". ; ." runs (apart by spaces; "M. C., P." is left alone)
    text = re.sub(r"\s*[.;,](?:\s+[.;,])+", lambda m: "." if "." in m.group(0) else m.group(0).strip()[0], text)
    return collapse_space(text).strip(" ,;")


def _guess_type(fields: Fields) -> None:
    if PREPRINT_WORDS.search(f"{fields.container} {fields.doi[:8] if fields.doi.startswith('10.1101') else ''}") \
            or fields.doi.startswith(("10.1101/", "10.48550/")):
        fields.type_guess = "preprint"
    elif not fields.type_guess:
        if fields.volume:
            fields.type_guess = "journal-article"
        elif fields.url and not fields.doi and not PLACE.match(fields.container):
            fields.type_guess = "web-page"
        elif len(fields.authors) == 1 and not fields.authors[0].initials and REPORT_WORDS.search(fields.authors[0].family):
            fields.type_guess = "report"
        elif fields.container:
            fields.type_guess = "book"
    if fields.type_guess == "web-page" and (fields.volume or fields.issue or E_LOCATOR.fullmatch(fields.pages)):
        fields.type_guess = "journal-article"  # a volume, an issue or an e-locator is a journal's, never a site's
    group_author = len(fields.authors) == 1 and not fields.authors[0].initials
    # an organisation's book is a report; its web page stays a web page (a fact sheet at an
    # address) unless its title says report: the type decides whether Crossref's silence counts
    if fields.type_guess in ("book", "web-page") and not fields.volume and (
            fields.container and group_author and REPORT_WORDS.search(fields.authors[0].family)
            and fields.type_guess == "book"
            or re.search(r"\b(report|working paper|white paper|technical|monograph)\b", fields.title, re.I)
            or re.search(r"guidance|guideline|report|/publications?/", fields.url, re.I)):
        fields.type_guess = "report"


def _status(text: str, fields: Fields) -> tuple[ParseStatus, str]:
    notes = list(fields.notes)
    run_together = len(re.findall(r"\((?:1[5-9]|20)\d\d[a-z]?\)\.", text)) >= 2 or \
        len(re.findall(r"\b(?:1[5-9]|20)\d\d;\s*\d+", text)) >= 2 or len(re.findall(r"\b10\.\d{4,9}/", text)) >= 2
    if run_together:
        notes.append("two references run together? (two years/volumes or DOIs in one entry)")
    # web pages often name no author and no date: their absence is normal, not a parse failure
    optional = ("authors", "year") if fields.type_guess == "web-page" else ()
    missing = [name for name, value in (("authors", fields.authors), ("year", fields.year), ("title", fields.title),
                                        ("container or URL", fields.container or fields.url))
               if not value and name not in optional]
    if not fields.title and not fields.year:
        if fields.url and len(text.split()) <= 2:
            notes.insert(0, "bare URL only: no author, year or title")
            return ParseStatus.PARTIAL, "; ".join(notes)
        notes.insert(0, "looks like prose, not a reference (no year, no title)" if text else "empty entry")
        return ParseStatus.FAILED, "; ".join(notes)
    if missing:
        notes.insert(0, "no " + ", no ".join(missing) + " found")
    if missing or run_together:
        return ParseStatus.PARTIAL, "; ".join(notes)
    return ParseStatus.PARSED, "; ".join(notes)


def _use_links(links: Iterable[str], fields: Fields) -> None:
    """An HTML entry's links: its DOI or web address when the text printed none."""
    for link in links:
        if not fields.doi and (doi := find_doi(link)) and "doi.org/" in link.lower():
            fields.doi = doi
            fields.notes.append("DOI taken from the entry's link")
        elif not fields.url and not fields.doi and "doi.org/" not in link.lower():
            fields.url = link
            fields.notes.append("URL taken from the entry's link")


def _linked_title(body: str, fields: Fields) -> None:
    """A short linked entry with no date and no quotes ("Persona, Mozilla"): the link's title, then the site."""
    if fields.title or fields.year is not None or not fields.url or not 1 <= len(body.split()) <= 12 \
            or _sentence_break(body):
        return
    title, _, site = body.rpartition(", ")
    fields.title, fields.container = (strip_trailing(title), strip_trailing(site)) if title else (strip_trailing(body), "")
    fields.type_guess = "web-page"


def parse_reference(raw: str, article: str = "", ref_id: str = "", source_line: int = 0,
                    links: tuple[str, ...] = ()) -> Reference:
    """One entry's text -> a Reference; never raises, deterministic. `links` are the web addresses the
    entry linked to in HTML (used when the text prints no DOI or URL). The rules read the entry first;
    the learned labeller (crf_parse) then reads it with the rules' fields as hints and decides."""
    from pipeline.references.crf_parse import refine  # imported here: crf_parse builds on this module

    return refine(parse_by_rules(raw, article, ref_id, source_line, links))


def parse_by_rules(raw: str, article: str = "", ref_id: str = "", source_line: int = 0,
                   links: tuple[str, ...] = ()) -> Reference:
    """The rule parser alone (the styles listed at the top of this module)."""
    fields = Fields()
    text = collapse_space(repair_artifacts(unicodedata.normalize("NFC", raw or "")))
    text = BULLET_RE.sub("", text)
    number = ""
    if match := NUMBER_RE.match(text):
        number = match.group(1) or match.group(2)
        text = text[match.end():]
    body = _strip_identifiers(text, fields)
    _use_links(links, fields)
    if body:
        try:
            quoted = _find_quoted(body)
            apa = APA_HEAD.match(body)
            if not apa:
                bare = APA_HEAD_BARE.match(body)
                apa = bare if bare and looks_like_apa_authors(bare.group("authors")) else None
            if not apa:
                bare = CHICAGO_HEAD.match(body)
                names = _authors(bare.group("authors"))[0] if bare else ()
                # persons with initials, or an organisation (title case, not a sentence-case title)
                apa = bare if names and (all(a.initials for a in names) or len(names) == 1 and not
                                         _looks_like_title(bare.group("authors"))) else None
            if not quoted and _parse_names_first(body, fields):
                pass
            elif quoted and (not apa or quoted.start() < apa.start("rest") + 3):
                _parse_quoted(body, quoted, fields)
            elif apa and apa.group("authors"):
                _parse_apa(apa, fields)
            elif not _parse_vancouver(body, fields):
                # no known style: with a year, guess the longest sentence is the title;
                # without one, this is prose and stays failed with that reason
                fields.year = _first_year(body)
                if fields.year is not None:
                    fields.title = strip_trailing(max(re.split(r"\.\s+", body), key=len))
        except (re.error, ValueError, IndexError) as error:  # never lose an entry to a parser bug
            fields.notes.append(f"parser error: {error}")
    if links:
        _linked_title(body, fields)
    if fields.year is None and fields.url and not fields.undated:
        fields.year = _first_year(text)
    if fields.year is None and body and not fields.undated:
        fields.year = _first_year(body)
    _guess_type(fields)
    status, note = _status(body if body else text, fields)
    return Reference(
        article=article, ref_id=ref_id, source_line=source_line, raw=raw or "", authors=fields.authors,
        authors_truncated=fields.truncated, year=fields.year, title=fields.title, container=fields.container,
        volume=fields.volume, issue=fields.issue, pages=fields.pages, doi=fields.doi, pmid=fields.pmid,
        pmcid=fields.pmcid, url=fields.url, type_guess=fields.type_guess, parse_status=status, parse_note=note,
        number=number,
    )


def parse_references(blocks: Iterable[Block]) -> list[Reference]:
    """The `reference` blocks of one or more documents -> References "R1".."Rn" per article."""
    references: list[Reference] = []
    counters: dict[str, int] = {}
    for block in blocks:
        if block.kind != BlockKind.REFERENCE:
            continue
        counters[block.article] = counters.get(block.article, 0) + 1
        references.append(parse_reference(block.original_text or block.text, article=block.article,
                                          ref_id=f"R{counters[block.article]}", source_line=block.source_line,
                                          links=block.links))
    return references
