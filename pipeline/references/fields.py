"""Field-level helpers of the reference parser: identifiers, authors, pages, years.

Each function consumes a piece of one reference entry and produces normalised field
values; none of them raises on odd input. Normal forms: authors as `Author(family,
initials)` with initials written "S.E." (no spaces; hyphenated given names keep the
hyphen: "I.-M."), pages with a plain hyphen and abbreviated ranges expanded ("840-6" ->
"840-846"), DOIs bare (no "doi:" or resolver prefix, no trailing punctuation).
"""
from __future__ import annotations

import re
from urllib.parse import unquote

from pipeline.models import Author

DOI_RE = re.compile(r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID_RE = re.compile(r"\bPMID:?\s*(\d{5,9})\b", re.I)
PMCID_RE = re.compile(r"\bPMCID:?\s*(PMC\d+)\b", re.I)
URL_RE = re.compile(r"https?://[^\s<>\"]+", re.I)
YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d)[a-z]?\b")
DASHES = re.compile(r"\s*[‐‑‒–—―−]\s*")
# Latin-1 and Latin Extended-A letters ("Śliwińska", "Łukasz", "Dvořák", "Erdős"); extended letters
# listed one by one, since that block alternates upper and lower case
_EXTENDED = [chr(c) for c in range(0x100, 0x180)]
UPPER = "A-ZÀ-ÖØ-Þ" + "".join(c for c in _EXTENDED if c.isupper())
LOWER = "a-zß-öø-ÿ" + "".join(c for c in _EXTENDED if c.islower())
PARTICLES = {"van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "la", "le", "ter", "ten", "dos", "das",
             "bin", "ibn", "al", "el", "st.", "mac"}


def strip_trailing(text: str) -> str:
    return text.strip().rstrip(".,;:").strip()


# zero-width characters and the soft hyphen: invisible in a page, but they make another DOI
ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
DOI_PREFIX = re.compile(r"^(?:doi\s*:\s*|(?:https?://)?(?:dx\.|www\.)?doi\.org/)", re.I)


def _trim(doi: str) -> str:
    # a DOI may contain parentheses ("S0140-6736(14)60460-8"); drop only unbalanced closers and punctuation
    while doi and (doi[-1] in ".,;:]" or (doi[-1] == ")" and doi.count("(") < doi.count(")"))):
        doi = doi[:-1]
    return doi


def normalise_doi(doi: str) -> str:
    """A DOI in its bare form, however it was written: zero-width characters removed,
    percent-encoding decoded (twice at most: a link encoded twice), a "doi:" or resolver
    prefix and trailing punctuation removed. Empty stays empty."""
    doi = ZERO_WIDTH.sub("", doi or "").strip()
    for _ in range(2):
        if PERCENT.search(doi):
            doi = unquote(doi)
    return _trim(DOI_PREFIX.sub("", ZERO_WIDTH.sub("", doi).strip()).strip())


def find_doi(text: str) -> str:
    """The first DOI of an entry, normalised (see normalise_doi)."""
    text = ZERO_WIDTH.sub("", text)
    match = DOI_RE.search(text) or (PERCENT.search(text) and DOI_RE.search(unquote(unquote(text))))
    return normalise_doi(match.group(1)) if match else ""


def expand_pages(pages: str) -> str:
    """Normalise dashes and expand abbreviated ranges: "840–6" -> "840-846", "e472–e487" kept."""
    pages = DASHES.sub("-", pages.strip()).strip(" .,;")
    pages = re.sub(r"^(pp?\.|pages?)\s*", "", pages, flags=re.I)
    match = re.fullmatch(r"([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)", pages)
    if match:
        prefix1, first, prefix2, last = match.groups()
        if not prefix2 and len(last) < len(first):  # "840-6" -> "840-846", "S25-33" -> "S25-S33"
            candidate = first[: len(first) - len(last)] + last
            if int(candidate) >= int(first):
                last = candidate
        if prefix1 and not prefix2:
            prefix2 = prefix1
        return f"{prefix1}{first}-{prefix2}{last}"
    return pages


def initials_of(given: str) -> str:
    """"S. E." / "SE" / "John Paul" / "I.-M." -> "S.E." / "J.P." / "I.-M."."""
    given = given.strip()
    if not given:
        return ""
    if re.fullmatch(rf"[{UPPER}]{{1,4}}", given):  # Vancouver "SE"
        return "".join(f"{c}." for c in given)
    parts = re.findall(rf"(-?)([{UPPER}])[{LOWER}'’]*\.?", given)
    return "".join(f"{hyphen}{letter}." for hyphen, letter in parts)


def _clean_family(family: str) -> str:
    family = re.sub(r"^(and|&)\s+", "", family.strip(), flags=re.I).strip(" ,;")
    return family


_PARTICLES_RE = "|".join(re.escape(p) for p in sorted(PARTICLES, key=len, reverse=True))
# a capitalised particle opens a family name too ("Van Cauter, E.", "Von Hippel, P.")
_CAP_PARTICLES_RE = "|".join(re.escape(p.capitalize()) for p in sorted(PARTICLES, key=len, reverse=True)
                             if p.isalpha() and len(p) > 2)
APA_AUTHOR = re.compile(
    rf"((?:(?:{_PARTICLES_RE}|{_CAP_PARTICLES_RE}|[{UPPER}][{LOWER}]?)\s+)*[{UPPER}][\w'’\-{LOWER}{UPPER}]*"
    # a second family word without a particle ("Fallab Stubi, C.-L.", "García Márquez, G.")
    rf"(?:\s[{UPPER}][{LOWER}][\w'’\-{LOWER}]+)?)"
    rf",\s*((?:[{UPPER}]\.?\s?-?\s?){{1,4}})(?=[\s,&]|$)")


def parse_apa_authors(text: str) -> tuple[tuple[Author, ...], bool]:
    """"Kahn, S. E. Hull, R. L. & Utzschneider, K. M." (commas between authors optional)."""
    truncated = bool(re.search(r"\bet\s+al\b", text))
    text = re.sub(r",?\s*\bet\s+al\.?", "", text)
    authors = []
    for family, given in APA_AUTHOR.findall(text):
        family = _clean_family(family)
        if family.lower() in ("and",):
            continue
        authors.append(Author(family, initials_of(given)))
    return tuple(authors), truncated


def parse_vancouver_authors(text: str) -> tuple[tuple[Author, ...], bool]:
    """"Kahn SE, Hull RL, Utzschneider KM" or "Kahn SE, et al"."""
    text = NAME_SUFFIX.sub(r"\1", text)
    truncated = bool(re.search(r"\bet\s+al\b", text))
    text = re.sub(r",?\s*\bet\s+al\.?", "", text)
    authors = []
    for part in re.split(r",\s*|\s+and\s+|\s*&\s*", text):
        part = part.strip(" .")
        if not part:
            continue
        match = re.fullmatch(rf"(.+?)\s+([{UPPER}](?:-?[{UPPER}]){{0,3}})", part)
        if match:
            authors.append(Author(match.group(1), initials_of(match.group(2))))
        else:
            authors.append(Author(part, ""))
    return tuple(authors), truncated


def parse_full_name_authors(text: str) -> tuple[tuple[Author, ...], bool]:
    """"Harris, Gardiner" / "Smith, John; Doe, Jane" (Wikipedia cite style)."""
    truncated = bool(re.search(r"\bet\s+al\b", text))
    text = re.sub(r",?\s*\bet\s+al\.?", "", text)
    authors = []
    for part in re.split(r";\s*|\s+and\s+|\s*&\s*", text):
        if "," in part:
            family, given = part.split(",", 1)
            authors.append(Author(family.strip(), initials_of(given)))
        elif part.strip():
            authors.append(Author(part.strip(), ""))
    return tuple(authors), truncated


_PARTICLE_PREFIX = rf"(?:(?:{_PARTICLES_RE})\s+)*"


# a generational suffix after a Vancouver name ("Henderson CR Jr", "King ML III"): not part of the initials
# only after initials: in "Grigorieva IV" the "IV" is Irina V.'s initials
NAME_SUFFIX = re.compile(rf"(\s[{UPPER}]{{1,3}})\s+(?:Jr|Sr|II|III|IV)\.?(?=\s*(?:,|$))")


def looks_like_vancouver_authors(text: str) -> bool:
    text = NAME_SUFFIX.sub(r"\1", text)
    parts = [p.strip(" .") for p in re.split(r",\s*", re.sub(r",?\s*\bet\s+al\.?", "", text)) if p.strip(" .")]
    return bool(parts) and all(
        re.fullmatch(rf"{_PARTICLE_PREFIX}[{UPPER}][\w'’\-\s{LOWER}{UPPER}]*\s[{UPPER}](?:-?[{UPPER}]){{0,3}}", p)
        for p in parts)


# "A. B. Author" / "M.-W. Chang" / "G. E. Hinton" (IEEE and many conference styles: initials first)
INITIALS_FIRST = rf"(?:[{UPPER}]\.\s?-?\s?){{1,4}}\s*{_PARTICLE_PREFIX}[{UPPER}][\w'’\-{LOWER}{UPPER}]+"
# a given name: "Thomas", "Jean-Paul", an initial "S." ("Thomas S.", "Mark R.")
# ... "I-Min", an undotted initial "M" as MLA lists often print it ("Ridker, Paul M, et al."), initials written
# together "L.H." ("Frank L.H. Brown")
_GIVEN = rf"[{UPPER}](?:[{LOWER}'’]+(?:-[{UPPER}][{LOWER}]+)?|-[{UPPER}][{LOWER}]+|(?:\.[{UPPER}])*\.|(?=[\s,.]|$))"
# a family name may open with particles, capitalised or not ("van der Berg", "Van den Bosch")
_FAMILY = rf"(?:(?:{_PARTICLES_RE}|{_CAP_PARTICLES_RE})\s+)*[{UPPER}][\w'’\-{LOWER}{UPPER}]*(?:\s[{UPPER}][{LOWER}][\w'’\-{LOWER}]+)?"


def _split_name_list(text: str) -> tuple[list[str], bool]:
    """Names joined by ",", ";", "and", "&"; "et al." removed and reported."""
    truncated = bool(re.search(r"\bet\s+al\b", text))
    text = re.sub(r",?\s*\bet\s+al\b\.?", "", text)
    parts = re.split(r"\s*[,;]\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*", text.strip(" .,;"))
    return [p.strip(" .") if not re.search(r"\b[A-Z]\.$", p.strip()) else p.strip() for p in parts if p.strip(" .")], \
        truncated


def looks_like_initials_first_authors(text: str) -> bool:
    names, _ = _split_name_list(text)
    return bool(names) and all(re.fullmatch(INITIALS_FIRST, n) for n in names)


def parse_initials_first_authors(text: str) -> tuple[tuple[Author, ...], bool]:
    """"K. He, X. Zhang, and J. Sun" / "D. Silver et al." -> He K., Zhang X., Sun J."""
    names, truncated = _split_name_list(text)
    authors = []
    for name in names:
        match = re.fullmatch(rf"((?:[{UPPER}]\.\s?-?\s?){{1,4}})\s*(.+)", name)
        if match:
            authors.append(Author(match.group(2).strip(), initials_of(match.group(1).replace(" ", ""))))
    return tuple(authors), truncated


def looks_like_inverted_first_authors(text: str) -> bool:
    """MLA / Chicago: "Tversky, Amos, and Daniel Kahneman" / "Kuhn, Thomas S." / "Acemoglu, Daron, et al."."""
    body = re.sub(r",?\s*\bet\s+al\b\.?", "", text).strip(" ,")
    match = re.fullmatch(rf"({_FAMILY}),\s*((?:{_GIVEN}\s?){{1,3}})((?:,?\s*(?:and\s+|&\s*)?(?:{_GIVEN}\s)+{_FAMILY})*)\.?",
                         body)
    return bool(match)


def parse_inverted_first_authors(text: str) -> tuple[tuple[Author, ...], bool]:
    truncated = bool(re.search(r"\bet\s+al\b", text))
    body = re.sub(r",?\s*\bet\s+al\b\.?", "", text).strip(" ,")
    family, rest = body.split(",", 1)
    parts = [p for p in re.split(r",\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*", rest) if p.strip(" .")]
    authors = [Author(family.strip(), initials_of(parts[0]))] if parts else [Author(family.strip(), "")]
    for part in parts[1:]:
        words = part.strip().split()
        match = re.fullmatch(rf"((?:{_GIVEN}\s)+)({_FAMILY})", part.strip())
        if match:
            authors.append(Author(match.group(2), initials_of(match.group(1))))
        elif words:
            authors.append(Author(words[-1], initials_of(" ".join(words[:-1]))))
    return tuple(authors), truncated


def looks_like_apa_authors(text: str) -> bool:
    """Only "Family, I. I." names (with commas, "&", "and", "et al." between them)."""
    if not APA_AUTHOR.search(text):
        return False
    leftover = re.sub(r"\bet\s+al\.?|&|\band\b|[,.\s]", "", APA_AUTHOR.sub("", text))
    return len(leftover) <= 2
