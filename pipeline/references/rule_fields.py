"""The fields the rule parser fills in as it reads an entry, and the helpers for authors, years and titles."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.models import Author
from pipeline.references.fields import (
    YEAR_RE, looks_like_apa_authors, looks_like_initials_first_authors,
    looks_like_inverted_first_authors, looks_like_vancouver_authors, parse_apa_authors, parse_full_name_authors,
    parse_initials_first_authors, parse_inverted_first_authors, parse_vancouver_authors, strip_trailing,
)
from pipeline.references.patterns import ABBREVIATION, SENTENCE_BREAK, VANCOUVER_TAIL, WEB_TAIL

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
    number that opens some titles ("2. Classification and diagnosis ...") and breaks inside square brackets."""
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
        if text.count("[", 0, match.start()) > text.count("]", 0, match.start()):
            continue  # inside square brackets: a notice's title cites its paper "[Food Chem. Toxicol. 50 ...]"
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


def _looks_like_title(text: str) -> bool:
    """A no-author APA entry starts with its title: sentence case ("Sleep and sleep disorders"), where an
    organisation's name is in title case ("National Sleep Foundation")."""
    small = {"and", "for", "of", "the", "in", "on", "with", "from", "to", "a", "an", "at", "by", "or"}
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return len(words) >= 2 and any(w[0].islower() and w.lower() not in small and len(w) > 3 for w in words[1:])
