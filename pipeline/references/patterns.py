"""The patterns the rule parser reads reference entries with: heads, tails, designators, words."""
from __future__ import annotations

import re

from pipeline.references.fields import (
    APA_AUTHOR, INITIALS_FIRST,
)

NUMBER_RE = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+")
BULLET_RE = re.compile(r"^\s*[•●▪◦‣∙·*\-–—]\s*")
QUOTED = re.compile(r"[“\"](?P<title>[^“”\"]{3,}?)[,.]?[”\"]|(?<![\w])'(?P<title2>[^']{3,}?)'(?=[,.]\s)")
APA_HEAD = re.compile(r"^(?P<authors>.*?)\s*\((?P<year>(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.|in press|forthcoming)(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$")
# "Niculescu, A.B. 2024. Title. Container." (year without parentheses after APA-style names)
APA_HEAD_BARE = re.compile(r"^(?P<authors>.+?[A-Z]\.)\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?\.\s+(?P<rest>.*)$")
# Chicago author-date: "Hardin, Garrett. 1968. Title." (names written out, year as its own sentence)
# or with initials: "Hastie, T., R. Tibshirani, and J. Friedman. 2009." (a dot only after a lone capital)
CHICAGO_HEAD = re.compile(r"^(?P<authors>(?:[^.]|(?<![\w.])[A-Z]\.)+?(?:\s[A-Z])?)\.\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?\.\s+"
                          r"(?P<rest>.*)$")
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
INITIALS_LEAD = re.compile(rf"^(?:{INITIALS_FIRST}(?:\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+)?)+(?:\s*et\s+al\.)?,?")
# a place of publication before the publisher: "London:", "New York, NY:", "New York, NY, USA:", "Cambridge, MA:", "Bethesda (MD):"
PLACE = re.compile(r"^[A-Z][\w .'’-]{1,40}?(?:(?:,\s*[A-Z][\w.]{1,20}){1,2}|\s*\([A-Z]{2,}\))?:\s+")
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
# a meeting's name: a paper cited in its proceedings often has pages and no volume
PROCEEDINGS_WORDS = re.compile(r"\b(?:proc\.|proceedings|conference|conf\.|symposium|workshop|congress|colloquium)", re.I)
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
