"""The rule parser's last steps: identifiers taken out, the type guessed, the parse status and its reason."""
from __future__ import annotations

import re

from pipeline.models import ParseStatus
from pipeline.references.fields import (
    PMCID_RE, PMID_RE, URL_RE, find_doi,
)
from pipeline.references.patterns import (
    AVAILABLE, BARE_URL_RE, DESIGNATOR, E_LOCATOR, PLACE, PORTAL_LINKS, PORTAL_TAIL, PREPRINT_WORDS, REPORT_WORDS,
    THESIS_WORDS)
from pipeline.references.rule_fields import Fields
from pipeline.repair import collapse_space

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
