"""A reference string -> Reference, fields from the CRF labeller and identifiers from the rules (dev)."""
from __future__ import annotations

import re
import unicodedata

from crf_labeller import clean_container, clean_title, label, pages_text, volume_issue

from pipeline.models import ParseStatus, Reference
from pipeline.reference_fields import YEAR_RE, expand_pages
from pipeline.references import BULLET_RE, NUMBER_RE, Fields, _authors, _strip_identifiers
from pipeline.repair import collapse_space, repair_artifacts

CORE = ("author", "date", "title", "journal", "volume", "pages")


def crf_fields(body: str, fields: Fields) -> dict[str, float]:
    """Fill `fields` from the labeller's reading of `body`; return the confidence of each field found."""
    got = label(body)
    text = got.text
    if "author" in text:
        fields.authors, fields.truncated = _authors(text["author"])
    elif "editor" in text and "title" in text and body.find(text["editor"]) < body.find(text["title"]):
        fields.authors, fields.truncated = _authors(re.sub(r"\(?\b(?:eds?|editors?|hrsg)\b\.?\)?", "", text["editor"]))
    if (year := YEAR_RE.search(text.get("date", ""))) is not None:
        fields.year = int(year.group(1))
    fields.title = clean_title(text.get("title", ""))
    fields.container = clean_container(text.get("journal") or text.get("container") or "")
    fields.volume, fields.issue = volume_issue(text.get("volume", ""), text.get("issue", ""))
    fields.pages = expand_pages(pages_text(text.get("pages", "")))
    if "journal" in text:
        fields.type_guess = "journal-article"
    return got.confidence


def clean_text(raw: str) -> str:
    return BULLET_RE.sub("", collapse_space(repair_artifacts(unicodedata.normalize("NFC", raw or ""))))


def parse(raw: str) -> Reference:
    fields = Fields()
    text = clean_text(raw)
    number = ""
    if match := NUMBER_RE.match(text):
        number = match.group(1) or match.group(2)
    _strip_identifiers(text, fields)
    confidence = crf_fields(text, fields) if text else {}
    unsure = [name for name in CORE if name in confidence and confidence[name] < 0.9]
    status = ParseStatus.PARSED if not unsure and fields.title and fields.authors else ParseStatus.PARTIAL
    return Reference(article="", ref_id="", source_line=0, raw=raw, authors=fields.authors,
                     authors_truncated=fields.truncated, year=fields.year, title=fields.title,
                     container=fields.container, volume=fields.volume, issue=fields.issue, pages=fields.pages,
                     doi=fields.doi, pmid=fields.pmid, pmcid=fields.pmcid, url=fields.url,
                     type_guess=fields.type_guess, parse_status=status,
                     parse_note="unsure: " + ", ".join(unsure) if unsure else "", number=number)
