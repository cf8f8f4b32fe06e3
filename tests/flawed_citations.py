"""A generator of flawed citations built from the real Crossref records the stand-in serves.

Consumes the work items of tests/data/crossref/works.json; produces labelled citations
(`Case`: raw text, style, flaw class, expected verdict and the flawed fields in the order
the checker names them). Written apart from the checker: it imports nothing from pipeline/,
so a field it gets wrong cannot hide a checker's mistake.

Source records: journal articles with authors, a container, a year, a volume and pages or an
article number, that are not notices (errata, retractions, comments, replies, corrections).
Every source record gives one citation per flaw class, in APA, Vancouver or MLA (rotating with
the record and the class):

  exact            every field as recorded                       -> verified
  title_word       one content word of the title replaced        -> mismatch [title]
  year             the year moved by 1 or 2                      -> mismatch [year]
  pages            the pages (or article number) shifted         -> mismatch [pages]
  volume           the volume changed                            -> mismatch [volume]
  first_dropped    the first author left out (2+ authors only)   -> mismatch [authors]
  other_people     another record's authors, the venue and locator kept -> mismatch [authors]
  wrong_mix        the real title with another record's authors, year, venue, volume, issue and pages
                                                                 -> misattributed [the fields that differ],
                   or not_found when the title has fewer than 4 words (the checker's rule: "Working Memory" says
                   nothing about who wrote it)
  invented         an invented title and invented authors in the record's real journal -> not_found

The split into a tuning part and an untouched part is fixed before any result was seen, by the
record's DOI alone: `int(sha1(doi.casefold()), 16) % 2 == 1` is untouched (`part(doi)`). Partners
(the other record whose people or locator a flaw borrows) come from the same part.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

WORKS = Path(__file__).parent / "data" / "crossref" / "works.json"
# real Crossref records this project had never seen, from other projects' public fixtures (README there)
UNSEEN = Path(__file__).parent / "data" / "crossref_unseen" / "works.json"
STYLES = ("apa", "vancouver", "mla")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CLASSES = ("exact", "title_word", "year", "pages", "volume", "first_dropped", "other_people", "wrong_mix", "invented")
NOTICE = re.compile(r"^(correction|corrigendum|erratum|errata|retraction|comment on|response to|reply to)", re.I)
SMALL = frozenset("a an and as at by for from in into of on or the to with via under is are its their".split())
SWAPS = ("hepatic", "visceral", "regional", "chronic", "juvenile", "urban", "thermal", "seasonal", "maternal",
         "coastal", "renal", "dietary", "acoustic", "rural")
INVENTED_FAMILIES = ("Okonkwo", "Halvorsen", "Marchetti", "Szabo", "Teixeira", "Lindqvist", "Achterberg", "Nakamura",
                     "Brennan", "Quispe", "Varga", "Castellanos", "Mwangi", "Petrenko", "Delacroix", "Yilmaz")
INVENTED_GIVEN = ("Ana", "Tomas", "Mei", "Olu", "Ingrid", "Rafael", "Priya", "Jonas", "Leila", "Marek")
INVENTED_TOPIC = ("Longitudinal", "Comparative", "Spatial", "Cross-sectional", "Experimental", "Quantitative")
INVENTED_THING = ("nitrate leaching", "commuter cycling", "glacier retreat", "library lending", "tidal wetland loss",
                  "ferry ridership", "vineyard frost damage", "orchard pollination", "river sediment load")
INVENTED_PLACE = ("small island economies", "alpine municipalities", "coastal school districts",
                  "northern river basins", "mid-sized port cities", "upland sheep farms")


@dataclass(frozen=True)
class Case:
    raw: str
    style: str
    flaw: str
    doi: str               # the source record's DOI
    verdict: str
    mismatched: tuple[str, ...]
    untouched: bool


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.casefold().encode("utf-8")).hexdigest(), 16)


def part(doi: str) -> str:
    """'untouched' or 'tuning', from the DOI alone (fixed before any result was seen)."""
    return "untouched" if _hash(doi) % 2 == 1 else "tuning"


def _year(item: dict) -> int:
    return int(item["issued"]["date-parts"][0][0])


def _pages(item: dict) -> str:
    return str(item.get("page") or item.get("article-number") or "")


def eligible(item: dict) -> bool:
    title = (item.get("title") or [""])[0]
    return (item.get("type") == "journal-article" and bool(item.get("author")) and bool(item.get("container-title"))
            and bool(item.get("volume")) and bool(_pages(item)) and not NOTICE.match(title)
            and all(a.get("family") for a in item["author"]))


# -- rendering ------------------------------------------------------------------------------------
def _initials(given: str, dotted: bool) -> str:
    parts = [p for p in re.split(r"[\s.]+", given or "") if p]
    letters = []
    for p in parts:
        letters.append("-".join(q[0].upper() for q in p.split("-") if q) if dotted else p[0].upper())
    if dotted:
        return " ".join(f"{l}." if "-" not in l else ".-".join(l.split("-")) + "." for l in letters)
    return "".join(letters)


def _sentence_case(title: str) -> str:
    """APA's sentence case: lower-case every word but the first, one after a colon, acronyms and names
    written with inner capitals or digits."""
    words, out, start = title.split(" "), [], True
    for w in words:
        keep = start or sum(c.isupper() for c in w) > 1 or any(c.isdigit() for c in w)
        out.append(w if keep else w.lower())
        start = w.endswith(":") or w.endswith("?")
    return " ".join(out)


def _short_pages(pages: str) -> str:
    """NLM's abbreviated end page: 1343-1350 -> 1343-50."""
    m = re.fullmatch(r"(\d+)-(\d+)", pages)
    if not m or len(m.group(1)) != len(m.group(2)):
        return pages
    first, last = m.groups()
    i = 0
    while i < len(first) - 1 and first[i] == last[i]:
        i += 1
    return f"{first}-{last[i:]}"


def render(style: str, authors: list[dict], year: int, title: str, container: str, short: str, volume: str,
           issue: str, pages: str, doi: str = "", variant: bool = False) -> str:
    """One citation. `variant` writes the other common shape of each style: APA with en dashes, a "doi:"
    DOI and no issue; Vancouver with three names then "et al.", a month and the full page range; MLA with en
    dashes and "et al." after the first of two names."""
    title = title.rstrip(".")
    end = "" if title.endswith("?") else "."
    dash = (lambda text: text.replace("-", "–")) if variant else (lambda text: text)
    if style == "apa":
        names = [f"{a['family']}, {_initials(a.get('given', ''), True)}".rstrip(", ") for a in authors]
        people = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
        locator = f"{volume}({issue})" if issue and not variant else volume
        text = f"{people} ({year}). {_sentence_case(title)}{end} {container}, {locator}, {dash(pages)}."
        return text + ((f" doi:{doi}" if variant else f" https://doi.org/{doi}") if doi else "")
    if style == "vancouver":
        names = [f"{a['family']} {_initials(a.get('given', ''), False)}".strip() for a in authors]
        cut = 3 if variant else 6
        people = ", ".join(names[:cut]) + ((", et al." if variant else ", et al") if len(names) > cut else "")
        locator = f"{volume}({issue})" if issue else volume
        journal = (short or container).replace(".", "")  # NLM abbreviations carry no periods
        when = f"{year} {MONTHS[len(title) % 12]}" if variant else str(year)
        return f"{people.rstrip('.')}. {title}{end} {journal}. {when};{locator}:{pages if variant else _short_pages(pages)}."
    first = authors[0]
    lead = f"{first['family']}, {first.get('given', '')}".rstrip(", ")
    if len(authors) == 2 and not variant:
        second = authors[1]
        lead += f", and {second.get('given', '')} {second['family']}".replace("  ", " ")
    elif len(authors) >= 2:
        lead += ", et al"
    lead = lead if lead.endswith(".") else lead + "."
    number = f", no. {issue}" if issue else ""
    pp = "pp." if "-" in pages else "p."
    return f"{lead} “{title}{end}” {container}, vol. {volume}{number}, {year}, {pp} {dash(pages)}."


# -- flaws ----------------------------------------------------------------------------------------
def _replace_word(title: str, seed: int) -> str:
    words = title.split(" ")
    spots = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Za-z]{4,}", w) and w.lower() not in SMALL]
    i = spots[seed % len(spots)]
    lower = {w.lower().strip(",:;") for w in words}
    swap = next(s for k in range(len(SWAPS)) if (s := SWAPS[(seed + k) % len(SWAPS)]) not in lower)
    words[i] = swap.capitalize() if words[i][0].isupper() else swap
    return " ".join(words)


def _shift_pages(pages: str, seed: int) -> str:
    delta = 3 + seed % 17
    numbers = re.findall(r"\d+", pages)
    if not numbers:
        return pages + "1"
    shifted = re.sub(r"\d+", lambda m: str(int(m.group()) + delta).zfill(len(m.group())), pages)
    return shifted


def _other_volume(volume: str, seed: int) -> str:
    if volume.isdigit():
        return str(int(volume) + (1 + seed % 3) * (1 if int(volume) > 4 or seed % 2 else 1))
    return volume + "1"


def _invented(item: dict, seed: int, titles: list[str]) -> tuple[list[dict], str]:
    for k in range(20):
        s = seed + 7 * k
        title = (f"{INVENTED_TOPIC[s % len(INVENTED_TOPIC)]} patterns of "
                 f"{INVENTED_THING[(s // 7) % len(INVENTED_THING)]} in {INVENTED_PLACE[(s // 11) % len(INVENTED_PLACE)]}")
        if all(SequenceMatcher(None, title.lower(), t.lower()).ratio() < 0.6 for t in titles):
            break
    people = [{"family": INVENTED_FAMILIES[(seed // (3 + j)) % len(INVENTED_FAMILIES)],
               "given": INVENTED_GIVEN[(seed // (5 + j)) % len(INVENTED_GIVEN)]} for j in range(1 + seed % 3)]
    unique = list({p["family"]: p for p in people}.values())
    return unique, title


def _families(item: dict) -> set[str]:
    return {a["family"].casefold() for a in item["author"]}


def _partner(item: dict, pool: list[dict], seed: int, fresh_venue: bool) -> dict:
    """Another record of the same part with none of the item's authors (and, for a wrong-paper mix,
    another venue and year)."""
    order = sorted(pool, key=lambda other: _hash(other["DOI"] + str(seed)))
    for other in order:
        if other is item or _families(other) & _families(item):
            continue
        if fresh_venue and (other["container-title"][0] == item["container-title"][0] or _year(other) == _year(item)):
            continue
        return other
    raise ValueError(f"no partner for {item['DOI']}")


def _fields(item: dict) -> dict:
    return dict(authors=item["author"], year=_year(item), title=item["title"][0], container=item["container-title"][0],
                short=(item.get("short-container-title") or [""])[0], volume=str(item["volume"]),
                issue=str(item.get("issue") or ""), pages=_pages(item))


def _mix_differs(item: dict, other: dict) -> tuple[str, ...]:
    a, b = _fields(item), _fields(other)
    differs = ["authors"]
    differs += ["year"] if a["year"] != b["year"] else []
    differs += ["container"] if a["container"].casefold() != b["container"].casefold() else []
    differs += ["volume"] if a["volume"] != b["volume"] else []
    differs += ["issue"] if a["issue"] and b["issue"] and a["issue"] != b["issue"] else []
    differs += ["pages"] if a["pages"] != b["pages"] else []
    return tuple(differs)


def _case(item: dict, flaw: str, pool: list[dict], titles: list[str], draw: int = 0) -> Case | None:
    salt = f"#{draw}" if draw else ""
    seed = _hash(item["DOI"] + flaw + salt)
    style = STYLES[(_hash(item["DOI"] + salt) + CLASSES.index(flaw)) % len(STYLES)]
    fields = _fields(item)
    verdict, mismatched = "mismatch", ()
    doi = item["DOI"] if style == "apa" and seed % 3 == 0 and flaw not in ("other_people", "wrong_mix", "invented") else ""
    if flaw == "exact":
        verdict = "verified"
    elif flaw == "title_word":
        fields["title"], mismatched = _replace_word(fields["title"], seed), ("title",)
    elif flaw == "year":
        fields["year"], mismatched = fields["year"] + (1 if seed % 2 else -1) * (1 + seed % 5 // 4), ("year",)
    elif flaw == "pages":
        fields["pages"], mismatched = _shift_pages(fields["pages"], seed), ("pages",)
    elif flaw == "volume":
        fields["volume"], mismatched = _other_volume(fields["volume"], seed), ("volume",)
    elif flaw == "first_dropped":
        if len(item["author"]) < 2:
            return None
        fields["authors"], mismatched = item["author"][1:], ("authors",)
    elif flaw == "other_people":
        fields["authors"], mismatched = _partner(item, pool, seed, False)["author"][:3], ("authors",)
    elif flaw == "wrong_mix":
        other = _partner(item, pool, seed, True)
        fields = dict(_fields(other), title=fields["title"])
        verdict, mismatched = "misattributed", _mix_differs(item, other)
        if draw >= 2 and style == "apa":  # the variant APA shape states no issue
            mismatched = tuple(f for f in mismatched if f != "issue")
        if len(re.findall(r"\w+", fields["title"])) < 4:
            verdict, mismatched = "not_found", ()
    elif flaw == "invented":
        fields["authors"], fields["title"] = _invented(item, seed, titles)
        fields["pages"] = f"{100 + seed % 700}-{110 + seed % 700}"
        verdict = "not_found"
    raw = render(style, doi=doi, variant=draw >= 2, **fields)
    return Case(raw, style, flaw, item["DOI"], verdict, mismatched, part(item["DOI"]) == "untouched")


def cases(which: str | None = None, path: Path = WORKS, draw: int = 0) -> list[Case]:
    """Every generated citation, or those of one part ('tuning' or 'untouched'). `draw` > 0 draws other
    styles, words, shifts and partners from the same records (draw 1 was read once, after the tuning); from
    draw 2 on, each style's other common shape (`render`'s variant)."""
    items = json.loads(path.read_text(encoding="utf-8"))
    titles = [(i.get("title") or [""])[0] for i in items]
    sources = [i for i in items if eligible(i)]
    out = []
    for name in ("tuning", "untouched"):
        pool = [i for i in sources if part(i["DOI"]) == name]
        if which not in (None, name):
            continue
        for item in pool:
            out.extend(c for flaw in CLASSES if (c := _case(item, flaw, pool, titles, draw)) is not None)
    return out


if __name__ == "__main__":
    for case in cases():
        print(("U " if case.untouched else "T ") + f"{case.flaw:13} {case.verdict:13} {','.join(case.mismatched):30} "
              f"{case.raw}")
