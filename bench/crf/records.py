"""Bibliographic records for rendering: pools of real field values, recombined into CSL-JSON journal articles.

Consumes the training sources only (AnyStyle's training sequences, the project's Crossref fixtures
tests/data/crossref/works.json); produces CSL-JSON items of type
article-journal whose authors, title and journal are drawn from different real records (as the GIANT
dataset renders Crossref records, with more combinations than records), with the shapes real lists have:
abbreviated journal names, no issue, e-locators and article numbers, long author lists, DOIs. Each item
carries `expect` (the fields the labeller must find) and `held_out` (its title's hash falls in the fifth
kept for the untouched reading, bench/crf/SPLIT.md).
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from anystyle_data import gold_fields

from pipeline.references.crf_labeller import clean_container, clean_title
from pipeline.references.crf_parse import names

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
# ISO 4-like word abbreviations, for journal names as reference lists print them ("J Appl Physiol")
ABBREVIATIONS = {"journal": "J", "international": "Int", "american": "Am", "european": "Eur", "british": "Br",
                 "research": "Res", "review": "Rev", "reviews": "Rev", "science": "Sci", "sciences": "Sci",
                 "medicine": "Med", "medical": "Med", "clinical": "Clin", "physics": "Phys", "physical": "Phys",
                 "chemistry": "Chem", "chemical": "Chem", "biology": "Biol", "biological": "Biol", "applied": "Appl",
                 "society": "Soc", "psychology": "Psychol", "annals": "Ann", "proceedings": "Proc",
                 "national": "Natl", "academy": "Acad", "letters": "Lett", "environmental": "Environ",
                 "engineering": "Eng", "nutrition": "Nutr", "public": "Public", "health": "Health",
                 "transactions": "Trans", "quarterly": "Q", "experimental": "Exp", "molecular": "Mol",
                 "education": "Educ", "economic": "Econ", "economics": "Econ", "social": "Soc",
                 "management": "Manag", "communications": "Commun", "computer": "Comput", "studies": "Stud",
                 "development": "Dev", "psychiatry": "Psychiatry", "neuroscience": "Neurosci", "ecology": "Ecol",
                 "geophysical": "Geophys", "mathematical": "Math", "mathematics": "Math", "statistical": "Stat",
                 "statistics": "Stat", "technology": "Technol", "materials": "Mater", "behavior": "Behav",
                 "behavioral": "Behav", "cognitive": "Cogn", "nursing": "Nurs", "pediatrics": "Pediatr",
                 "surgery": "Surg", "cardiology": "Cardiol", "epidemiology": "Epidemiol", "association": "Assoc"}
NAME = re.compile(r"[^\W\d_][\w'’ -]*[^\W\d_]")
SMALL = {"of", "the", "and", "for", "in", "on", "&", "de", "der", "und"}


def abbreviate(journal: str, dots: bool) -> str:
    """"Journal of Applied Physiology" -> "J Appl Physiol" (or "J. Appl. Physiol.")."""
    words = []
    for word in journal.replace(":", " ").split():
        if word.casefold() in SMALL:
            continue
        short = ABBREVIATIONS.get(word.casefold().strip(".,"))
        if short is None and len(word) > 7 and word[0].isupper():
            short = word[:5].rstrip("aeiou") or word[:5]
        words.append(short + ("." if dots and short != word and not short.endswith(".") else "") if short else word)
    return " ".join(words)


def _pools_from_anystyle(sequences) -> tuple[list, list, list]:
    people, titles, journals = [], [], []
    for pieces in sequences:
        first = dict(pieces)
        authors, _ = names(first.get("author", ""))
        people.extend((a.family, " ".join(f"{c}." for c in re.findall(r"[A-Z]", a.initials))) for a in authors
                      if a.initials and 1 < len(a.family) and len(a.family.split()) <= 3 and NAME.fullmatch(a.family))
        gold = gold_fields(pieces)
        if gold["title"]:
            titles.append(clean_title(gold["title"]))
        if gold["journal"]:
            journals.append(clean_container(gold["journal"]))
    return people, titles, journals


def _pools_from_crossref() -> tuple[list, list, list]:
    people, titles, journals = [], [], []
    for work in json.loads((DATA / "crossref" / "works.json").read_text(encoding="utf-8")):
        people.extend((a["family"], a.get("given", "")) for a in work.get("author", []) if a.get("family"))
        title, journal = work.get("title"), work.get("container-title")
        titles.extend([title] if isinstance(title, str) else title or [])
        journals.extend([journal] if isinstance(journal, str) else journal or [])
    return people, titles, journals


def held_out(title: str) -> bool:
    return int(hashlib.sha1(title.casefold().encode()).hexdigest(), 16) % 5 == 0


def _pages(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return f"e{rng.randint(100, 99999)}"
    if roll < 0.18:
        return str(rng.randint(100000, 9999999))
    first = rng.randint(1, 3000)
    return f"{first}-{first + rng.randint(1, 40)}"


def items(sequences, count: int, seed: int = 15):
    """`count` recombined CSL-JSON items (see the module docstring)."""
    rng = random.Random(seed)
    people, titles, journals = (a + b for a, b in zip(_pools_from_anystyle(sequences), _pools_from_crossref()))
    titles = sorted({t for t in titles if 3 <= len(t.split()) <= 40 and not re.search(r"\d{4}", t)})
    journals = sorted({j for j in journals if 1 <= len(j.split()) <= 12 and not re.search(r"\d", j)})
    for n in range(count):
        title, journal = rng.choice(titles), rng.choice(journals)
        roll = rng.random()
        if roll < 0.3 and len(journal.split()) > 1:
            journal = abbreviate(journal, dots=roll < 0.12)
        authors = [rng.choice(people) for _ in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12]))]
        year = rng.randint(1950, 2025)
        item = {"id": f"r{n}", "type": "article-journal", "title": title, "container-title": journal,
                "author": [{"family": family, "given": given} for family, given in authors],
                "volume": str(rng.randint(1, 400) if rng.random() < 0.9 else year),
                "page": _pages(rng), "issued": {"date-parts": [[year] + ([rng.randint(1, 12)] if roll > 0.7 else [])]}}
        if rng.random() < 0.65:
            item["issue"] = str(rng.randint(1, 12))
        if rng.random() < 0.4:
            item["DOI"] = f"10.{rng.randint(1000, 9999)}/{rng.choice(['j', 's', 'abc'])}.{rng.randint(10000, 999999)}"
        expect = {"authors": [f"{family} {''.join(re.findall(r'[A-Z]', given))}" for family, given in authors],
                  "title": title, "container": journal, "volume": item["volume"], "issue": item.get("issue", ""),
                  "pages": item["page"], "year": year, "type": "journal-article"}
        yield item, expect, held_out(title)
