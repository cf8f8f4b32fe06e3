"""Explicit in-text citation markers: find them in a sentence and resolve them to list entries.

Consumes a sentence and the article's `Reference`s; produces the ref_ids the sentence's
markers name (exactly, never by guessing) and the markers that named nothing listed.

Two families of marker:
- numeric: "[1]", "[1-3]", "[1,4]", "[3–4,7]", superscript digits ("glucose¹²", "⁶"), and
  the "[n]" that ingest writes for an HTML <sup>n</sup>. A number resolves by the entry's
  own list number (`Reference.number`) when the list is numbered, else by its position.
- author-year: "(Kahn et al., 2006)", "(Pedersen & Febbraio 2012; Shulman 2000)",
  "Kahn and Hull (2006)", "Kahn et al. (2006)", "(Spiegel et al., 2004a, 2004b)", and every author
  named: "Ferraro, Taylor, Gambaro and Curhan (2013)", "(Ferraro, Taylor, Gambaro, & Curhan, 2013)";
  an organisation by name or acronym: "(World Health Organization [WHO], 2021)", "(WHO, 2021)".
  The first author's family name and the year must both agree with an entry; a second
  name ("Kahn and Hull") must be the entry's second author; "a"/"b" pick among entries with
  the same first author and year in list order (how author-year lists order them), and
  "2012a, b" / "2012a/b" name both. A bare year after a citation ("(Lee et al. 2003; 2005)")
  belongs to the same authors.
Not markers: a bracket that a statistic or formula owns ("F[2,14] = 3.1", "t[12]", "χ2[3]",
"[0, 1]"); "[4]–[7]" is the range 4 to 7, as PLoS prints it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from pipeline.models import Reference

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

_NUM_LIST = r"\d{1,3}(?:\s*[-–—]\s*\d{1,3})?(?:\s*,\s*\d{1,3}(?:\s*[-–—]\s*\d{1,3})?)*"
NUMERIC_RE = re.compile(r"\[\s*(" + _NUM_LIST + r")\s*\]")
SUPERSCRIPT_RE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[⁻,][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")

# A family name: capitalised word(s), particles and hyphens allowed ("van der Berg", "D'Elia").
_NAME = r"(?:(?i:van|von|de|der|den|la|le|du|da|di|dos)\s+)*[A-ZÀ-ÞĀ-Ž][\w'’\-]*"
_YEAR = r"(?:1[6-9]|20)\d{2}[a-z]?"
# "Ferraro, Taylor, Gambaro and Curhan (2013)", "(Ferraro, Taylor, Gambaro, & Curhan, 2013)": names between
# the first and the last are kept in `middle`
_AUTHORS = (r"(?P<first>" + _NAME + r")(?P<middle>(?:,\s+" + _NAME + r")+(?=,?\s+(?:and|&)\s))?"
            r"(?:\s+et\s+al\.?|,?\s+(?:and|&)\s+(?P<second>" + _NAME + r")"
            r"|\s+and\s+colleagues|\s+and\s+co-workers)?")
# One citation inside parentheses: "Kahn et al., 2006" / "Pedersen & Febbraio 2012, 2013b" / "Lehninger
# 1975, p 21" (a page locator after the year).
_PAREN_CITE = re.compile(r"(?:e\.g\.,?\s*|see\s+(?:also\s+)?|cf\.\s*)?" + _AUTHORS +
                         r",?\s+(?P<years>" + _YEAR + r"(?:\s*,\s*" + _YEAR + r")*)"
                         r"(?:,?\s+(?:p|pp|page|pages|ch|chap|chapter)\.?\s*\d+(?:\s*[-–]\s*\d+)?)?\s*$")
PAREN_RE = re.compile(r"\(([^()]{4,400})\)")
NARRATIVE_RE = re.compile(r"(?<![\w(])" + _AUTHORS + r"\s+\((?P<years>" + _YEAR +
                          r"(?:\s*,\s*" + _YEAR + r")*)\)")
YEAR_RE = re.compile(_YEAR)
BARE_YEARS = re.compile(r"^(?P<years>" + _YEAR + r"(?:\s*,\s*" + _YEAR + r")*)$")
# "2004a, b" / "2004a/b" / "2004a,b": the letters after the first share its year
_SUFFIX_RUN = re.compile(r"\b((?:1[6-9]|20)\d{2})([a-z])((?:\s*[,/]\s*[a-z](?![\w.]))+)")
# a statistic's or a formula's bracket: "F[2,14]", "t[12]", "χ2[3]", "df[4]" directly before it, or "=" after
_STATISTIC_BEFORE = re.compile(r"(?<![\w.])(?:[FtzrnNUHWQ]|χ2|χ²|df|R2|R²|OR|RR|HR|CI|[A-Za-z]_?\d?)$")
_STATISTIC_AFTER = re.compile(r"^\s*[=<>≤≥]")
# "[4]–[7]" (PLoS): the numbers between two bracketed markers joined by a dash are cited too
_BRACKET_RANGE = re.compile(r"\[\s*(\d{1,3})\s*\]\s*[-–—]\s*\[\s*(\d{1,3})\s*\]")
# an organisation as author: "(World Health Organization [WHO], 2021)", "(WHO, 2021)",
# "(National Institute on Deafness and Other Communication Disorders [NIDCD], 2022)"
_ORG_CITE = re.compile(r"^(?P<org>[A-Z][\w'’&.\- ]{1,150}?)(?:\s*[\[(](?P<abbr>[A-Z][A-Za-z]{1,11})[\])])?,?\s+"
                       r"(?P<years>" + _YEAR + r"(?:\s*,\s*" + _YEAR + r")*)\s*$")
_SMALL_WORDS = frozenset("of on and for the in to at".split())


def _acronym(name: str) -> str:
    """ "World Health Organization" -> "WHO"; "National Institute on Deafness and Other ..." -> "NIDOCD"
    and, without small words, "NIDCD"."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’\-]*", name) if w.lower() not in _SMALL_WORDS).upper()


def _resolve_organisation(org: str, abbr: str | None, year_text: str, references: Sequence[Reference]) -> tuple[str, ...]:
    """Group-author entries of that year whose name is the one written or its acronym."""
    year = int(year_text[:4])
    wanted = {fold(org)} | ({abbr.upper()} if abbr else set())
    found = []
    for ref in references:
        if ref.year != year or len(ref.authors) != 1 or ref.authors[0].initials:
            continue
        name = ref.authors[0].family
        # "United Nations" names "United Nations, Department of Economic and Social Affairs": the first part
        if fold(name) in wanted or fold(name.split(",")[0]) in wanted or _acronym(name) in wanted \
                or org.upper() == _acronym(name):
            found.append(ref.ref_id)
    return tuple(found)


@dataclass(frozen=True)
class Marker:
    """One marker as written, and the ref_ids it resolved to (empty when it named nothing listed)."""

    text: str
    kind: str  # "numeric" | "author-year"
    ref_ids: tuple[str, ...]


def fold(name: str) -> str:
    """A family name for comparison: accents dropped, case folded, apostrophes and spaces dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s'’\-.]", "", plain.casefold())


def _expand_numbers(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if low <= high and high - low < 50:  # "[1-300]" is not a citation range
                numbers.extend(range(low, high + 1))
                continue
        if part.isdigit():
            numbers.append(int(part))
    return numbers


def _number_index(references: Sequence[Reference]) -> dict[int, str]:
    """List number -> ref_id: the entries' own numbers when the list is numbered, else position."""
    own = {}
    for ref in references:
        digits = re.sub(r"\D", "", ref.number or "")
        if digits:
            own[int(digits)] = ref.ref_id
    if own:
        return own
    return {position: ref.ref_id for position, ref in enumerate(references, start=1)}


def _year_suffix(ref: Reference) -> str:
    """The "a"/"b" a list writes after the year ("(2004a)"), when the raw entry shows one."""
    if ref.year is None:
        return ""
    found = re.search(rf"{ref.year}([a-z])\b", ref.raw or "")
    return found.group(1) if found else ""


def _resolve_author_year(first: str, second: str | None, year_text: str,
                         references: Sequence[Reference], middle: str | None = None) -> tuple[str, ...]:
    year, suffix = int(year_text[:4]), year_text[4:]
    first_key = fold(first)
    candidates = []
    for ref in references:
        if ref.year != year or not ref.authors:
            continue
        family = fold(ref.authors[0].family)
        # "Van Cauter" may be written "Cauter" or "VanCauter"; folding drops spaces and case
        if family != first_key and not (len(first_key) >= 4 and family.endswith(first_key)):
            continue
        if second and middle:  # every name written must be one of the entry's authors, in order
            named = [fold(n) for n in re.findall(_NAME, middle)] + [fold(second)]
            if [fold(a.family) for a in ref.authors[1:len(named) + 1]] != named:
                continue
        elif second:
            if len(ref.authors) < 2 or fold(ref.authors[1].family) != fold(second):
                continue
        candidates.append(ref)
    if not candidates:
        candidates = _near_misses(first_key, second, year, references)
    if not suffix:
        # several entries fit "(Spiegel et al., 2004)" when the text omits the a/b: name them all
        return tuple(ref.ref_id for ref in candidates)
    written = [ref for ref in candidates if _year_suffix(ref) == suffix]
    if written:
        return (written[0].ref_id,)
    position = ord(suffix) - ord("a")
    return (candidates[position].ref_id,) if 0 <= position < len(candidates) else ()


def is_statistic(text: str, match: re.Match) -> bool:
    """Whether the bracket `match` found in `text` belongs to a statistic or formula, not a citation:
    a symbol written against it ("F[2,14]", "t[12]", "x[1-3]"), "=" after it ("[2,14] = 3.1"), or
    a 0 inside ("[0, 1]": lists start at 1)."""
    if _STATISTIC_BEFORE.search(text[:match.start()]) or _STATISTIC_AFTER.match(text[match.end():]):
        return True
    return bool(re.search(r"(?<!\d)0(?!\d)", match.group(0)))


def numeric_markers(sentence: str) -> list[tuple[re.Match, list[int]]]:
    """The citation brackets of `sentence` with the numbers each cites; "[4]–[7]" is one marker
    citing 4 to 7. Statistics' and formulas' brackets are left out."""
    found = []
    ranges = {m.start(): m for m in _BRACKET_RANGE.finditer(sentence)}
    skip_until = -1
    for match in NUMERIC_RE.finditer(sentence):
        if match.start() < skip_until or is_statistic(sentence, match):
            continue
        joined = ranges.get(match.start())
        if joined is not None:
            low, high = int(joined.group(1)), int(joined.group(2))
            if low < high and high - low < 50:
                found.append((joined, list(range(low, high + 1))))
                skip_until = joined.end()
                continue
        found.append((match, _expand_numbers(match.group(1))))
    return found


def _close(a: str, b: str) -> bool:
    """Two folded names of 5 letters or more one letter apart (added, dropped or changed):
    "Feldmann" / "Feldman", "Ravens" / "Raven" (a misspelt citation of a listed entry)."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _near_misses(first_key: str, second: str | None, year: int, references: Sequence[Reference]) -> list:
    """When no entry fits exactly: the one entry of that year whose first author is misspelt by a
    letter, or whose two authors the text gives in the other order ("Deaton and Case" for "Case
    A, Deaton A"). Nothing when more than one entry would fit."""
    found = []
    for ref in references:
        if ref.year != year or not ref.authors:
            continue
        families = [fold(a.family) for a in ref.authors]
        swapped = second is not None and len(families) >= 2 and families[:2] == [fold(second), first_key]
        if swapped or (_close(families[0], first_key)
                       and (second is None or len(families) >= 2 and families[1] == fold(second))):
            found.append(ref)
    return found if len(found) == 1 else []


def find_markers(sentence: str, references: Sequence[Reference]) -> list[Marker]:
    """Every explicit marker in `sentence`, each with the ref_ids it names in `references`."""
    markers: list[Marker] = []
    index = _number_index(references)
    for match, numbers in numeric_markers(sentence):
        markers.append(Marker(match.group(0), "numeric",
                              tuple(index[n] for n in numbers if n in index)
                              if all(n in index for n in numbers) else ()))
    for match in SUPERSCRIPT_RE.finditer(sentence):
        before = sentence[max(0, match.start() - 1):match.start()]
        if before and before.isdigit():  # "10⁶" is a power, not a citation
            continue
        numbers = _expand_numbers(match.group(0).translate(SUPERSCRIPT))
        markers.append(Marker(match.group(0), "numeric",
                              tuple(index[n] for n in numbers) if numbers and all(n in index for n in numbers)
                              else ()))
    sentence = _SUFFIX_RUN.sub(_spell_suffixes, sentence)
    for match in PAREN_RE.finditer(sentence):
        markers += _parenthetical(match.group(1), references)
    for match in NARRATIVE_RE.finditer(sentence):
        for year_text in YEAR_RE.findall(match.group("years")):
            markers.append(Marker(match.group(0), "author-year",
                                  _resolve_author_year(match.group("first"), match.group("second"),
                                                       year_text, references, match.group("middle"))))
    return markers


def _spell_suffixes(match: re.Match) -> str:
    letters = [match.group(2)] + re.findall(r"[a-z]", match.group(3))
    return ", ".join(match.group(1) + letter for letter in letters)


def _parenthetical(inside: str, references: Sequence[Reference]) -> list[Marker]:
    """The author-year markers of one parenthesis, split at ";". A part that is only a year
    ("(Lee et al. 2003; 2005)") is read with the authors of the citation before it."""
    markers, previous = [], None
    for part in inside.split(";"):
        part = part.strip()
        cite, org = _PAREN_CITE.search(part), _ORG_CITE.match(part)
        bare = BARE_YEARS.match(part) if previous is not None and not cite and not org else None
        if bare:
            cite = previous
        if cite is not None:
            previous = cite
        years = bare.group("years") if bare else cite.group("years") if cite else org.group("years") if org else ""
        for year_text in YEAR_RE.findall(years):
            resolved = _resolve_author_year(cite.group("first"), cite.group("second"), year_text, references,
                                            cite.group("middle")) if cite else ()
            if not resolved and org:  # "(WHO, 2021)" reads as a name too: the organisation is tried next
                resolved = _resolve_organisation(org.group("org").strip(), org.group("abbr"), year_text, references)
            if cite or resolved:  # an organisation only counts as a marker when it names an entry
                markers.append(Marker(f"({part})", "author-year", resolved))
    return markers


def strip_markers(sentence: str) -> str:
    """The sentence without its markers (what the content ranking reads; also builds the
    inferred-link test sets from marked text). Narrative names stay: "Kahn and Hull showed"."""
    text = _BRACKET_RANGE.sub(lambda m: "" if not is_statistic(sentence, m) else m.group(0), sentence)
    text = NUMERIC_RE.sub(lambda m: m.group(0) if is_statistic(text, m) else "", text)
    text = SUPERSCRIPT_RE.sub(lambda m: m.group(0) if m.start() and sentence[m.start() - 1].isdigit() else "",
                              text)

    def drop_paren(match: re.Match) -> str:
        parts = [p for p in match.group(1).split(";") if not _PAREN_CITE.search(p.strip())
                 and not BARE_YEARS.match(p.strip())]
        return f"({';'.join(parts).strip()})" if parts else ""

    text = PAREN_RE.sub(drop_paren, text)
    text = re.sub(r"\s+\((" + _YEAR + r"(?:\s*,\s*" + _YEAR + r")*)\)", "", text)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()
