"""Journal references of the training part re-written in other citation styles, labels known by construction.

Consumes AnyStyle training sequences that are journal articles (their gold pieces); produces
(text, tokens, labels) for the CRF in Vancouver, AMA, APA, Harvard, Nature, ACS, IEEE, MLA, Chicago and
the short physics form, so that the labeller sees every style with the same metadata. Only training
sequences are used (bench/crf/SPLIT.md).
"""
from __future__ import annotations

import random
import re

from anystyle_data import gold_fields

from pipeline.references.crf_features import tokenize
from pipeline.references.crf_labeller import clean_container, clean_title, pages_text
from pipeline.references.crf_parse import names


def _initials(author, dots=True, space=True) -> str:
    letters = re.findall(r"[A-Z]", author.initials)
    if not dots:
        return "".join(letters)
    return (" " if space else "").join(f"{c}." for c in letters)


def _names(authors, style: str) -> str:
    fam = [a.family for a in authors]
    if style == "vancouver":
        return ", ".join(f"{a.family} {_initials(a, dots=False)}".strip() for a in authors) + "."
    if style == "apa":
        parts = [f"{a.family}, {_initials(a)}" for a in authors]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", & " + parts[-1]
    if style == "nature":
        parts = [f"{a.family}, {_initials(a)}" for a in authors]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " & " + parts[-1]
    if style == "acs":
        return "; ".join(f"{a.family}, {_initials(a)}" for a in authors)
    if style in ("ieee", "aps"):
        parts = [f"{_initials(a)} {a.family}".strip() for a in authors]
        return parts[0] + "," if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1] + ","
    if style == "physics":
        return ", ".join(f"{a.family} {_initials(a, space=False)}".strip() for a in authors) + ","
    if style == "harvard":
        parts = [f"{a.family}, {_initials(a, space=False)}" for a in authors]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    if style == "mla":
        first = f"{authors[0].family}, {_initials(authors[0])}"
        return first + ("," if len(authors) == 1 else ", et al.")
    return ", ".join(fam)


GROUPS = ("American Heart Association", "World Health Organization", "GBD 2019 Diseases and Injuries Collaborators",
          "National Sleep Foundation", "Diabetes Prevention Program Research Group", "Cochrane Review Group",
          "Open Science Collaboration", "American Academy of Pediatrics Committee on Nutrition",
          "European Society of Cardiology", "The Look AHEAD Research Group")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _vary(gold: dict, rng: random.Random) -> dict:
    """Shapes the training part has few of: e-locators and article numbers, the year as the volume
    (journals without volumes), a month and day after the year, page ranges abbreviated."""
    gold = dict(gold)
    roll = rng.random()
    if roll < 0.12:
        gold["pages"] = f"e{rng.randint(100, 99999)}"
    elif roll < 0.22:
        gold["pages"] = str(rng.randint(1000000, 9999999))
        if rng.random() < 0.5:
            gold["volume"], gold["issue"] = gold["year"], ""
    elif roll < 0.35 and re.fullmatch(r"(\d+)-(\d+)", gold["pages"]):
        first, last = gold["pages"].split("-")
        if len(first) == len(last) and len(first) > 1:
            keep = next((k for k in range(len(first)) if first[k] != last[k]), len(first) - 1)
            gold["pages"] = f"{first}-{last[keep:]}"
    gold["date_extra"] = rng.choice(["", "", "", f" {rng.choice(MONTHS)}", f" {rng.choice(MONTHS)} {rng.randint(1, 28)}"])
    return gold


def render(authors, gold: dict, style: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """(label, text, separator after) pieces of one reference in `style`."""
    a, t, j = _names(authors, style), gold["title"], gold["journal"]
    if rng.random() < 0.06:
        a = rng.choice(GROUPS) + ("." if style in ("vancouver", "nature", "apa", "chicago") else ",")
    y, v, i, p = gold["year"], gold["volume"], gold["issue"], gold["pages"]
    iss = f"({i})" if i else ""
    if style == "vancouver":
        return [("author", a, " "), ("title", t + ".", " "), ("journal", j + ".", " "),
                ("date", y + gold.get("date_extra", "") + ";", ""),
                ("volume", v if iss else v + ":", ""), ("issue", iss + ":" if iss else "", ""), ("pages", p + ".", "")]
    if style == "apa":
        return [("author", a, " "), ("date", f"({y}).", " "), ("title", t + ".", " "), ("journal", j + ",", " "),
                ("volume", v, ""), ("issue", iss + ",", " "), ("pages", p + ".", "")]
    if style == "harvard":
        return [("author", a, " "), ("date", f"({y})", " "), ("title", f"'{t}',", " "), ("journal", j + ",", " "),
                ("volume", v, ""), ("issue", iss + ",", " "), ("pages", f"pp. {p}.", "")]
    if style == "nature":
        return [("author", a, " "), ("title", t + ".", " "), ("journal", j, " "), ("volume", v + ",", " "),
                ("pages", p, " "), ("date", f"({y}).", "")]
    if style == "acs":
        return [("author", a, " "), ("title", t + ".", " "), ("journal", j, " "), ("date", y + ",", " "),
                ("volume", v + ("" if iss else ","), " "), ("issue", iss + "," if iss else "", " " if iss else ""),
                ("pages", p + ".", "")]
    if style == "ieee":
        return [("author", a, " "), ("title", f"“{t},”", " "), ("journal", j + ",", " "),
                ("volume", f"vol. {v},", " "), ("issue", f"no. {i}," if i else "", " " if i else ""),
                ("pages", f"pp. {p},", " "), ("date", y + ".", "")]
    if style == "mla":
        return [("author", a, " "), ("title", f"“{t}.”", " "), ("journal", j + ",", " "), ("volume", f"vol. {v},", " "),
                ("issue", f"no. {i}," if i else "", " " if i else ""), ("date", y + ",", " "), ("pages", f"pp. {p}.", "")]
    if style == "chicago":
        return [("author", a.rstrip(",") + ".", " "), ("date", y + ".", " "), ("title", f"“{t}.”", " "),
                ("journal", j, " "), ("volume", v, " "), ("issue", iss + ":" if iss else ":", " "), ("pages", p + ".", "")]
    if style == "aps":  # physics without a title: "J. M. Maldacena, Adv. Theor. Math. Phys. 2, 231 (1998)."
        return [("author", a, " "), ("journal", j, " "), ("volume", v + ",", " "), ("pages", p.split("-")[0], " "),
                ("date", f"({y}).", "")]
    # the short physics form: no title
    return [("author", a, " "), ("date", y + ",", " "), ("journal", j + ",", " "), ("volume", v + ",", " "),
            ("pages", p.split("-")[0], "")]


STYLES = ("vancouver", "apa", "harvard", "nature", "acs", "ieee", "mla", "chicago", "physics", "aps")


def _assemble(pieces, number: str):
    text, spans = "", []
    if number:
        spans.append((0, len(number), "number"))
        text = number + " "
    for label, piece, sep in pieces:
        if not piece:
            continue
        start = len(text)
        text += piece
        spans.append((start, len(text), label))
        text += sep
    text = text.strip()
    tokens = tokenize(text)
    labels = [next((name for s, e, name in spans if s <= tok.start < e), "other") for tok in tokens]
    return text, tokens, labels


def synthetic_pairs(sequences, per_entry: int = 2, seed: int = 15):
    rng = random.Random(seed)
    out = []
    for pieces in sequences:
        if not any(label == "journal" for label, _ in pieces):
            continue
        gold = gold_fields(pieces)
        first = dict(pieces)
        authors, _ = names(first.get("author", ""))
        if not authors or not gold["volume"] or not gold["year"] or any(
                len(x.family.split()) > 3 or len(x.family) < 2 or not x.initials for x in authors):
            continue
        page_text = pages_text(first.get("pages", ""))
        gold = {**gold, "title": clean_title(gold["title"]), "journal": clean_container(gold["journal"]),
                "pages": page_text.replace("--", "–")}
        if not gold["pages"] or not gold["journal"]:
            continue
        for style in rng.sample(STYLES, per_entry):
            if style not in ("physics", "aps") and not gold["title"]:
                continue
            number = rng.choice(["", "", f"[{rng.randint(1, 80)}]", f"{rng.randint(1, 80)}."])
            out.append(_assemble(render(authors, _vary(gold, rng), style, rng), number))
    return out
