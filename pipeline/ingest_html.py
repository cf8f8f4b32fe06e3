"""Raw HTML pages -> labelled blocks (beautifulsoup4 with lxml).

Consumes the decoded HTML of one page; produces its blocks in document order and
warnings. Removed parts stay visible as blocks with a reason: scripts, styles, nav,
header, footer, aside, forms, hidden elements and boilerplate containers (cookie
banners, share bars, menus) become `boilerplate`; figure captions and image alt text
become `caption`. Headings, paragraphs, list items, table rows (naming their column
headers) and blockquotes are kept; a blockquote that repeats body text becomes a
pull-quote. The reference list is the list after a References/Sources/Citations... heading
(or a bold paragraph saying so), or any list inside an element marked as references.

Source lines: lxml's own parser knows each element's line, bs4's lxml tree builder does
not, so each element is stamped with its line before the tree is handed to bs4.
"""
from __future__ import annotations

import re

import lxml.etree
import lxml.html
from bs4 import BeautifulSoup, NavigableString, Tag

from pipeline import captions
from pipeline.blocks import REFERENCE_HEADING, BlockBuilder, boilerplate_reason, table_row_text
from pipeline.models import Block, BlockKind
from pipeline.pullquotes import mark_pull_quotes
from pipeline.repair import collapse_space

LINE_ATTR = "data-pipeline-line"
REMOVED_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "nav", "header", "footer",
                "aside", "form", "button", "select", "textarea", "input", "object", "embed")
BOILERPLATE_MARK = re.compile(
    r"(^|[\s_-])(cookie|consent|gdpr|newsletter|subscribe|share|sharing|social|breadcrumbs?|menu|navbar|"
    r"sidebar|related|comments?|advert|ads?|promo|popup|modal|skip-link|site-header|site-footer|donat\w*|"
    r"navbox|toc|mw-jump-link|printfooter|catlinks|mw-editsection)($|[\s_-])", re.I)
REFERENCE_MARK = re.compile(r"(^|[\s_-])(references?|reflist|refs|citations?|bibliography|footnotes|"
                            r"reference-list|ref-list)($|[\s_-])", re.I)
BLOCK_TAGS = frozenset("""p div section article main ul ol li table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6
blockquote figure figcaption dl dt dd pre details summary hr center address""".split())
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _stamp_lines(html: str) -> str:
    """The page re-serialised with every element's source line in an attribute."""
    parser = lxml.html.HTMLParser(huge_tree=True, recover=True)
    root = lxml.html.document_fromstring(html, parser=parser)
    for element in root.iter():
        if isinstance(element.tag, str) and element.sourceline:
            element.set(LINE_ATTR, str(element.sourceline))
    return lxml.etree.tostring(root, encoding="unicode", method="html")


def _line(tag: Tag) -> int:
    node = tag
    while node is not None:
        value = node.get(LINE_ATTR) if isinstance(node, Tag) else None
        if value:
            return int(value)
        node = node.parent
    return 1


def _marks(tag: Tag) -> str:
    classes = tag.get("class") or []
    return " ".join([*classes, tag.get("id") or "", tag.get("role") or ""])


def _hidden(tag: Tag) -> bool:
    style = (tag.get("style") or "").replace(" ", "").lower()
    return (tag.has_attr("hidden") or (tag.get("aria-hidden") or "").lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _text(tag: Tag, skip_nested_lists: bool = False) -> str:
    """The visible text of an element, inline markers kept ("[3]" for a bare superscript number)."""
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                continue
            parent = node.parent
            if skip_nested_lists and any(p.name in ("ul", "ol") for p in node.parents if p is not tag
                                         and tag in p.parents):
                continue
            text = str(node)
            if parent is not None and parent.name == "sup" and re.fullmatch(r"\s*\d+([,–-]\d+)*\s*", text):
                text = f"[{text.strip()}]"
            parts.append(text)
    return collapse_space(" ".join(parts)).replace(" ,", ",").replace(" .", ".")


def _has_block_child(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name in BLOCK_TAGS for c in tag.descendants)


class HtmlIngest:
    def __init__(self, article: str, soup: BeautifulSoup, parse=None):
        self.builder = BlockBuilder(article)
        self.soup = soup
        self.parse = parse
        self.in_references = False
        self.seen_h1 = False
        self.warnings: list[str] = []
        self.blockquotes: set[int] = set()  # id() of blocks that came from <blockquote>

    # -- removal -------------------------------------------------------------------------
    def remove_boilerplate(self, root: Tag) -> list[tuple[int, str, str]]:
        removed: list[tuple[int, str, str]] = []
        for tag in list(root.find_all(True)):
            if getattr(tag, "decomposed", False) or tag.parent is None:
                continue
            reason = ""
            if tag.name in REMOVED_TAGS:
                inside_article = tag.name in ("header", "footer") and tag.find_parent(["article", "main"]) \
                    and tag.find(HEADING_TAGS)
                if inside_article:
                    continue
                reason = f"<{tag.name}> element"
            elif _hidden(tag):
                reason = "hidden element"
            elif BOILERPLATE_MARK.search(_marks(tag)) and not REFERENCE_MARK.search(_marks(tag)) \
                    and tag.name not in ("body", "html", "main", "article"):
                reason = f"boilerplate container ({collapse_space(_marks(tag))[:40]})"
            if reason:
                text = _text(tag) if tag.name not in ("script", "style") else collapse_space(tag.get_text(" "))[:200]
                removed.append((_line(tag), f"site boilerplate: {reason}", text or f"<{tag.name}>"))
                tag.decompose()
        return removed

    def content_root(self) -> Tag:
        body = self.soup.body or self.soup
        for selector in ("main", "[role=main]", "article", "#content", "#main-content", ".entry-content"):
            found = body.select(selector)
            if found:
                return max(found, key=lambda t: len(t.get_text()))
        return body

    # -- walking -------------------------------------------------------------------------
    def emit_caption(self, tag: Tag, text: str, reason: str) -> None:
        if text:
            self.builder.add(BlockKind.CAPTION, text, _line(tag), kept=False, reason=reason)

    def emit_heading(self, tag: Tag, text: str) -> None:
        level = int(tag.name[1]) if tag.name in HEADING_TAGS else 3
        if REFERENCE_HEADING.match(text):
            self.builder.add(BlockKind.SECTION, text.rstrip(":"), _line(tag))
            self.in_references = True
            return
        if self.in_references and level <= 3:
            self.in_references = False
        kind = BlockKind.SECTION if level <= 2 else BlockKind.HEADING
        self.builder.add(kind, text, _line(tag))

    def emit_text(self, tag: Tag, text: str, in_reference_container: bool) -> None:
        add = self.builder.add
        reason = boilerplate_reason(text)
        if reason:
            add(BlockKind.BOILERPLATE, text, _line(tag), kept=False, reason=reason)
            return
        bold_only = tag.name == "p" and tag.find(["strong", "b"]) is not None and \
            collapse_space(" ".join(t.get_text(" ") for t in tag.find_all(["strong", "b"]))) == text
        if (bold_only or tag.name in ("dt", "summary")) and REFERENCE_HEADING.match(text):
            add(BlockKind.SECTION, text.rstrip(":"), _line(tag))
            self.in_references = True
            return
        if in_reference_container or (self.in_references and tag.name in ("li", "p", "div", "dd")):
            # every item of a list under a references heading is an entry; loose paragraphs must look like one
            if in_reference_container or tag.name == "li" or _citation_like(text):
                add(BlockKind.REFERENCE, re.sub(r"^\^\s*(\w\s+)*", "", text), _line(tag))
                return
        verdict = captions.score_caption(text, noun_phrase=(lambda: self.parse(text)) if self.parse and len(text.split()) <= 90
                                         else None)
        if verdict.is_caption and tag.name not in ("li",):
            add(BlockKind.CAPTION, text, _line(tag), kept=False, reason=verdict.reason)
            return
        if tag.name == "li":
            add(BlockKind.LIST_ITEM, text, _line(tag))
        elif tag.name == "blockquote":
            self.blockquotes.add(id(add(BlockKind.BODY, text, _line(tag))))
        else:
            add(BlockKind.BODY, text, _line(tag))

    def emit_table(self, table: Tag) -> None:
        rows = table.find_all("tr")
        headers: tuple[str, ...] = ()
        for row in rows:
            cells = row.find_all(["td", "th"], recursive=False)
            texts = tuple(_text(c) for c in cells)
            if not any(texts):
                continue
            if not headers and all(c.name == "th" for c in cells):
                headers = texts
                self.builder.add(BlockKind.HEADING, "Columns: " + " | ".join(texts), _line(row), kept=False,
                                 reason="table header (its names are written into each row)", sets_heading=False)
                continue
            self.builder.add(BlockKind.TABLE_ROW, table_row_text(headers, texts), _line(row),
                             headers=headers, cells=texts)

    def walk(self, root: Tag) -> None:
        # an explicit stack instead of recursion: pages can nest thousands of levels deep
        stack: list[tuple[Tag, bool]] = [(root, False)]
        while stack:
            tag, in_refs = stack.pop()
            if not isinstance(tag, Tag):
                continue
            in_refs = in_refs or bool(REFERENCE_MARK.search(_marks(tag)) and tag.name in ("ol", "ul", "div", "section"))
            name = tag.name
            if name == "img":
                self.emit_caption(tag, collapse_space(tag.get("alt") or ""), "image alt text")
                continue
            if name == "figcaption":
                self.emit_caption(tag, _text(tag), "figure caption")
                continue
            if name in HEADING_TAGS:
                text = _text(tag)
                if text:
                    self.emit_heading(tag, text)
                continue
            if name == "table":
                self.emit_table(tag)
                continue
            if name == "li":
                text = _text(tag, skip_nested_lists=True)
                if text:
                    self.emit_text(tag, text, in_refs)
                nested = [c for c in tag.find_all(["ul", "ol"]) if c.find_parent("li") is tag]
                stack.extend((c, in_refs) for c in reversed(nested))
                continue
            if name in BLOCK_TAGS and not _has_block_child(tag) or name in ("p", "blockquote", "dt", "dd", "pre"):
                if name == "blockquote" or not _has_block_child(tag):
                    text = _text(tag)
                    if text:
                        self.emit_text(tag, text, in_refs)
                    for img in tag.find_all("img"):
                        self.emit_caption(img, collapse_space(img.get("alt") or ""), "image alt text")
                    continue
            # a container: loose text directly inside it is a paragraph of its own
            children = list(tag.children)
            loose = collapse_space(" ".join(str(c) for c in children
                                            if isinstance(c, NavigableString) and type(c) is NavigableString))
            stack.extend((c, in_refs) for c in reversed(children) if isinstance(c, Tag))
            if loose and len(loose) > 1 and name in ("div", "section", "article", "main", "td", "center"):
                self.emit_text(tag, loose, in_refs)

    def run(self) -> list[Block]:
        root = self.content_root()
        removed = self.remove_boilerplate(self.soup.body or self.soup)
        for line, reason, text in removed:
            self.builder.add(BlockKind.BOILERPLATE, text, line, kept=False, reason=reason)
        self.walk(root if root.parent is not None or root is self.soup else self.soup)
        blocks = sorted(self.builder.blocks, key=lambda b: (b.source_line, b.index))
        quotes = {i for i, b in enumerate(blocks) if id(b) in self.blockquotes}
        renumbered = [_renumber(b, i) for i, b in enumerate(blocks)]
        return mark_pull_quotes(renumbered, candidates={renumbered[i].block_id for i in quotes})


def _renumber(block: Block, index: int) -> Block:
    from dataclasses import replace

    return replace(block, index=index, block_id=f"B{index + 1:04d}")


def _citation_like(text: str) -> bool:
    return bool(re.search(r"\b(1[89]\d\d|20\d\d)\b", text)) and (
        bool(re.search(r"^[A-ZÀ-Þ][\w'’\-]+,?\s+[A-Z]", text)) or "doi" in text.lower() or '"' in text
        or "“" in text or "http" in text)


def ingest_html_blocks(html: str, article: str, parse=None) -> tuple[list[Block], list[str]]:
    warnings = []
    soup = BeautifulSoup(_stamp_lines(html), "lxml")
    # libxml2's tree parser stops at a nesting depth of a few hundred; bs4's lxml builder
    # does not. When the stamped tree lost text, use bs4's tree and give up source lines.
    plain = BeautifulSoup(html, "lxml")
    if len(plain.get_text()) > len(soup.get_text()) + 20:
        soup = plain
        warnings.append("HTML nested too deeply for source line numbers; every block is given line 1")
    ingest = HtmlIngest(article, soup, parse=parse)
    blocks = ingest.run()
    return blocks, warnings + ingest.warnings
