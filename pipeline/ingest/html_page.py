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

from pipeline.messages import say
from pipeline.ingest import captions
from pipeline.ingest.blocks import NAME_LEAD, REFERENCE_HEADING, parses_as_reference, BlockBuilder, boilerplate_reason, mark_back_matter, table_row_text
from pipeline.models import Block, BlockKind
from pipeline.ingest.pullquotes import mark_pull_quotes
from pipeline.repair import collapse_space

LINE_ATTR = "data-pipeline-line"
REMOVED_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "nav", "header", "footer",
                "aside", "form", "button", "select", "textarea", "input", "object", "embed")
BOILERPLATE_MARK = re.compile(
    r"(^|[\s_-])(cookie|consent|gdpr|newsletter|subscribe|share|sharing|social|breadcrumbs?|menu|navbar|"
    r"sidebar|related|comments?|advert|ads?|promo|popup|modal|skip-link|site-header|site-footer|donat\w*|"
    r"navbox|toc|mw-jump-link|printfooter|catlinks|mw-editsection|hatnote|sitesub|contentsub|jump-to-nav|"
    r"tools?|byline|entry-meta|post-meta|article-meta|disclaimers?|author-bio|author-box|about-author|"
    r"kicker|page-actions|more-stories|read-more|teaser)($|[\s_-])",
    re.I)
# an element the page itself marks as a pull-quote (WordPress wp-block-pullquote, class="pull-quote"): removed
# as one even when its wording strays too far from the paragraph it repeats for the overlap test
PULL_QUOTE_MARK = re.compile(r"(^|[\s_-])(pull-?quotes?|pullquotes?)($|[\s_-])", re.I)
# an element the page itself marks as a picture's caption (MediaWiki thumbcaption, WordPress wp-caption-text)
CAPTION_CLASS = re.compile(r"(^|[\s_-])(thumbcaption|wp-caption-text|caption|figure-caption|image-caption|photo-credit)"
                           r"($|[\s_-])", re.I)
REFERENCE_MARK = re.compile(r"(^|[\s_-])(references?|reflist|refs|citations?|bibliography|footnotes|"
                            r"reference-list|ref-list|sources?-list|works-cited)($|[\s_-])", re.I)
BLOCK_TAGS = frozenset("""p div section article main ul ol li table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6
blockquote figure figcaption dl dt dd pre details summary hr center address""".split())
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# what the walker handles as a unit of its own; everything else is inline text
STRUCTURE_TAGS = BLOCK_TAGS | frozenset(HEADING_TAGS) | {"img", "head", "caption"}


def _stamp_lines(html: str) -> str | None:
    """The page re-serialised with every element's source line in an attribute.

    None when libxml2 gave up on the nesting depth (it stops at 2048 levels even with
    huge_tree, dropping everything deeper): the caller then uses a parser without a limit.
    """
    parser = lxml.html.HTMLParser(huge_tree=True, recover=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except lxml.etree.ParserError:  # "Document is empty": only whitespace or comments, nothing to stamp
        return html
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.sourceline:
            element.set(LINE_ATTR, str(element.sourceline))
    return lxml.etree.tostring(root, encoding="unicode", method="html")


def _line(tag: Tag) -> int:
    """The stamped source line of an element, or of its nearest stamped ancestor.

    Every element the page itself has is stamped; only the few the parser adds around it
    are not, so the climb is bounded: an unstamped tree (see ingest_html_blocks) nested
    thousands deep would otherwise cost a climb to the root for every block.
    """
    node = tag
    for _ in range(64):
        if node is None:
            break
        value = node.get(LINE_ATTR) if isinstance(node, Tag) else None
        if value:
            return int(value)
        node = node.parent
    return 1


def _marks(tag: Tag) -> str:
    classes = tag.get("class") or []
    return " ".join([*classes, tag.get("id") or "", tag.get("role") or ""])


CAPTION_MARK = re.compile(r"caption|credit|figure|photo|image|img|thumb", re.I)
PICTURE_TAGS = ("img", "picture", "figure", "svg", "video")


def _near_image(tag: Tag, structure: "Structure") -> bool:
    """Could this paragraph be an image's caption? Only text beside a picture, inside one, or
    marked as a caption can be: in a page, unlike a text dump, alt text lives in attributes,
    so a paragraph far from any picture is body text whatever it describes. (Whether an
    element holds a picture comes from `structure`: searching a sibling that holds the
    rest of a deeply nested page, for every paragraph, would be quadratic.)"""
    if CAPTION_MARK.search(_marks(tag)) or structure.holds_picture(tag):
        return True
    if tag.parent is not None and (tag.parent.name in PICTURE_TAGS or CAPTION_MARK.search(_marks(tag.parent))):
        return True
    return any(structure.is_or_holds_picture(s) for s in (tag.find_previous_sibling(), tag.find_next_sibling()))


def _label_row(texts: tuple[str, ...], row_count: int) -> bool:
    """A first row of short labels heads its columns even when the page wrote it in <td>
    cells: naming them beats "Column 1" in every row after it."""
    return row_count >= 3 and len(texts) >= 2 and all(
        t and len(t.split()) <= 6 and not re.search(r"\d", t) for t in texts)


def _hidden(tag: Tag) -> bool:
    style = (tag.get("style") or "").replace(" ", "").lower()
    return (tag.has_attr("hidden") or (tag.get("aria-hidden") or "").lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


# elements whose edges separate words when a browser renders them, though the source may hold
# no whitespace there ("line<br>line", "<td>a</td><td>b</td>"); inline elements do not
# ("<b>Semaglutide</b>: 15%", "Wiki (<a>timeline</a>)"), so no space is added at their edges
WORD_BREAK_TAGS = BLOCK_TAGS | frozenset(HEADING_TAGS) | {"br", "img", "li", "hr"}
PUNCTUATION_END = re.compile(r"\w[.,;:!?]$")
BREAK = NavigableString(" ")  # a sentinel in a list of text nodes: a word break, not text


def _text_nodes(tag: Tag, stop: tuple[str, ...] = ()) -> tuple[list[NavigableString], list[Tag]]:
    """The text nodes under `tag` in document order, with `BREAK` where an element that
    separates words (a <br>, a cell, a nested block) opens or closes, not entering elements
    named in `stop` (returned apart, in order). An explicit stack: pages nest thousands of
    levels deep."""
    strings: list[NavigableString] = []
    stopped: list[Tag] = []
    stack = list(reversed(tag.contents))
    while stack:
        node = stack.pop()
        if node is BREAK:
            strings.append(BREAK)
        elif isinstance(node, NavigableString):
            if type(node) is NavigableString:  # comments, CDATA and doctypes are not text
                strings.append(node)
        elif isinstance(node, Tag):
            if node.name in stop:
                stopped.append(node)
                strings.append(BREAK)
                continue
            breaks = node.name in WORD_BREAK_TAGS
            if breaks:
                strings.append(BREAK)
                stack.append(BREAK)
            stack.extend(reversed(node.contents))
    return strings, stopped


SUP_MARKER = re.compile(r"\s*\[?\s*(\d+(?:\s*[,–-]\s*\d+)*)\s*\]?\s*")


def _superscript_of(node) -> Tag | None:
    """The <sup> a text node stands in, directly or through a link (Wikipedia: <sup><a>[3]</a></sup>)."""
    parent = node.parent
    if parent is None:
        return None
    if parent.name == "sup":
        return parent
    return parent.parent if parent.parent is not None and parent.parent.name == "sup" else None


def _join_text(strings: list[NavigableString]) -> str:
    """Text nodes joined as a browser shows them: the source's own whitespace, plus a space
    at each word break. The text of one <sup> that is only citation numbers becomes one
    bracketed marker: "<sup>1</sup>" -> "[1]", "<sup><a>1</a>,<a>3</a></sup>" -> "[1,3]",
    "<sup><a>9</a>-<a>11</a></sup>" -> "[9-11]"."""
    parts: list[str] = []
    i = 0
    while i < len(strings):
        node = strings[i]
        i += 1
        if node is BREAK:
            parts.append(" ")
            continue
        text = str(node)
        sup = _superscript_of(node)
        if sup is not None:
            group = [node]
            while i < len(strings) and strings[i] is not BREAK and _superscript_of(strings[i]) is sup:
                group.append(strings[i])
                i += 1
            text = "".join(str(n) for n in group)
            marker = SUP_MARKER.fullmatch(text)
            if marker:  # spaced: the tokenizer reads "free.[3] One" as one word and misses the sentence end
                text = f" [{marker.group(1)}] "
        if parts and PUNCTUATION_END.search(parts[-1]) and text[:1].isupper():
            parts.append(" ")  # "meditation.<i>Frontiers</i>": pages drop the space at a tag's edge
        parts.append(text)
    return collapse_space("".join(parts))


def _web_links(tag: Tag) -> tuple[str, ...]:
    """The absolute web addresses an element links to, in order, without repeats (archive copies last)."""
    links = []
    for anchor in tag.find_all("a", href=True):
        href = anchor["href"].strip()
        if re.match(r"https?://", href, re.I) and href not in links:
            links.append(href)
    return tuple(sorted(links, key=lambda h: "archive.org/" in h or "webcitation.org/" in h))


def _text(tag: Tag, skip_nested_lists: bool = False) -> str:
    """The visible text of an element, inline markers kept ("[3]" for a bare superscript number)."""
    return _join_text(_text_nodes(tag, ("ul", "ol") if skip_nested_lists else ())[0])


class Structure:
    """Which elements hold block-level elements, computed once for the whole tree.

    Asking each element in turn ("does any descendant of this one ...?") costs the square
    of the nesting depth: minutes for a page nested 10,000 levels deep. One pass from the
    last element to the first gives every answer in linear time, because an element's
    descendants all come after it in document order.
    """

    def __init__(self, root: Tag):
        self.tags = list(root.find_all(True))  # kept alive so that the id()s below stay unique
        self.block_inside = self._holding(BLOCK_TAGS)  # ids of elements with a BLOCK_TAGS descendant
        self.layout_inside = self._holding(frozenset(("table", *HEADING_TAGS)))
        self.structure_inside = self._holding(STRUCTURE_TAGS)
        self.picture_inside = self._holding(frozenset(PICTURE_TAGS))

    def _holding(self, names: frozenset[str]) -> set[int]:
        """The ids of the elements that have a descendant named in `names`."""
        holding: set[int] = set()
        for tag in reversed(self.tags):
            if tag.parent is not None and (tag.name in names or id(tag) in holding):
                holding.add(id(tag.parent))
        return holding

    def has_block_child(self, tag: Tag) -> bool:
        return id(tag) in self.block_inside

    def holds_picture(self, tag: Tag) -> bool:
        return id(tag) in self.picture_inside

    def is_or_holds_picture(self, node) -> bool:
        return isinstance(node, Tag) and (node.name in PICTURE_TAGS or id(node) in self.picture_inside)

    def is_layout(self, cell: Tag) -> bool:
        """A table cell that holds a heading or another table: the table lays out a page, not
        data (a data cell may hold a paragraph or a list). Walked as a container, a layout
        table's text is read once, not once for each table around it."""
        return id(cell) in self.layout_inside

    def is_inline(self, node) -> bool:
        """Text, or an element that neither is nor holds anything the walker treats as a block."""
        if isinstance(node, NavigableString):
            return type(node) is NavigableString  # comments, CDATA and doctypes are not text
        return node.name not in STRUCTURE_TAGS and id(node) not in self.structure_inside


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
            # read the flag from __dict__: bs4 answers a missing attribute with a subtree search,
            # which made this loop quadratic in the nesting depth
            if tag.__dict__.get("_decomposed") or tag.parent is None:
                continue
            reason = ""
            if PULL_QUOTE_MARK.search(_marks(tag)):
                continue  # an <aside class="pull-quote"> is the article's own words, shown as a pull-quote
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
            self.builder.add(BlockKind.SECTION, text.rstrip(":"), _line(tag), original=text)
            self.in_references = True
            return
        if self.in_references and level <= 3:
            self.in_references = False
        reason = boilerplate_reason(text)
        if reason:  # "Table of Contents", "Related articles" set as headings
            self.builder.add(BlockKind.BOILERPLATE, text, _line(tag), kept=False, reason=reason)
            return
        kind = BlockKind.SECTION if level <= 2 else BlockKind.HEADING
        self.builder.add(kind, text, _line(tag))

    def emit_text(self, tag: Tag, text: str, in_reference_container: bool, line: int | None = None,
                  near_image: bool | None = None) -> None:
        """`line` and `near_image` for a run of inline text, which `tag` (its container) does not describe."""
        add = self.builder.add
        source_line = _line(tag) if line is None else line
        reason = boilerplate_reason(text)
        if reason:
            add(BlockKind.BOILERPLATE, text, source_line, kept=False, reason=reason)
            return
        bold_only = tag.name == "p" and tag.find(["strong", "b"]) is not None and \
            collapse_space(" ".join(t.get_text(" ") for t in tag.find_all(["strong", "b"]))) == text
        if (bold_only or tag.name in ("dt", "summary")) and REFERENCE_HEADING.match(text):
            add(BlockKind.SECTION, text.rstrip(":"), source_line, original=text)
            self.in_references = True
            return
        if in_reference_container or (self.in_references and tag.name in ("li", "p", "div", "dd")):
            # every item of a list under a references heading is an entry; loose paragraphs must look like one
            if in_reference_container or tag.name == "li" or _citation_like(text) or parses_as_reference(text):
                add(BlockKind.REFERENCE, re.sub(r"^\^\s*(\w\s+)*", "", text), source_line, links=_web_links(tag))
                return
        if line is None and tag.name in ("li", "p", "dd", "div") and _only_links(tag, text):
            add(BlockKind.BOILERPLATE, text, source_line, kept=False,
                reason="site boilerplate: nothing but a link (a menu item, a teaser for another page)")
            return
        verdict = None
        if tag.name not in ("li",) and (_near_image(tag, self.structure) if near_image is None else near_image):
            verdict = captions.score_caption(text, parsed=self.parse(text) if self.parse and len(text.split()) <= 90
                                             else None)
        if verdict is not None and verdict.is_caption:
            add(BlockKind.CAPTION, text, source_line, kept=False, reason=verdict.reason)
            return
        if tag.name == "li":
            add(BlockKind.LIST_ITEM, text, source_line)
        elif tag.name == "blockquote":
            self.blockquotes.add(id(add(BlockKind.BODY, text, source_line)))
        else:
            add(BlockKind.BODY, text, source_line)

    def emit_table(self, table: Tag, rows: list[Tag]) -> None:
        for caption in (c for c in table.children if isinstance(c, Tag) and c.name == "caption"):
            text = _text(caption)
            if text:  # a table's own title, such as "Table 1. Sleep and blood pressure"
                self.builder.add(BlockKind.HEADING, text, _line(caption))
        headers: tuple[str, ...] = ()
        for row in rows:
            cells = _cells(row)
            texts = tuple(_text(c) for c in cells)
            if not any(texts):
                continue
            if not headers and len(cells) >= 2 and cells[0].name == "th" and \
                    all(c.name == "td" for c in cells[1:]):
                # a key/value row (an infobox): its own first cell names the rest
                self.builder.add(BlockKind.TABLE_ROW, table_row_text(texts[:1], ("; ".join(texts[1:]),)),
                                 _line(row), headers=texts[:1], cells=("; ".join(texts[1:]),), original=" ".join(texts))
                continue
            if not headers and (all(c.name == "th" for c in cells) or
                                (all(c.name == "td" for c in cells) and _label_row(texts, len(rows)))):
                headers = texts
                self.builder.add(BlockKind.HEADING, "Columns: " + " | ".join(texts), _line(row), kept=False,
                                 reason="table header (its names are written into each row)", sets_heading=False)
                continue
            self.builder.add(BlockKind.TABLE_ROW, table_row_text(headers, texts), _line(row),
                             headers=headers, cells=texts, original=" ".join(texts))

    def walk(self, root: Tag) -> None:
        # an explicit stack instead of recursion: pages can nest thousands of levels deep.
        # An entry is an element, or a run of inline nodes inside a container (a tuple).
        stack: list[tuple[Tag | tuple, bool, Tag | None]] = [(root, False, None)]
        while stack:
            tag, in_refs, container = stack.pop()
            if isinstance(tag, tuple):
                self.emit_run(tag, container, in_refs)
                continue
            if not isinstance(tag, Tag):
                continue
            in_refs = in_refs or bool(REFERENCE_MARK.search(_marks(tag)) and tag.name in ("ol", "ul", "div", "section"))
            name = tag.name
            if name == "head":  # metadata; its <title> is emitted by run()
                continue
            if name == "img":
                self.emit_caption(tag, collapse_space(tag.get("alt") or ""), "image alt text")
                continue
            if name == "figcaption":
                self.emit_caption(tag, _text(tag), "figure caption")
                continue
            if name in ("div", "p", "span") and CAPTION_CLASS.search(_marks(tag)):
                self.emit_caption(tag, _text(tag), f"marked as a caption ({_marks(tag).strip()[:40]})")
                continue
            if name not in ("body", "main", "article", "section") and PULL_QUOTE_MARK.search(_marks(tag)):
                text = _text(tag)
                if text:
                    self.builder.add(BlockKind.PULL_QUOTE, text, _line(tag), kept=False,
                                     reason=f"marked as a pull-quote ({collapse_space(_marks(tag))[:40]})")
                continue
            if name in HEADING_TAGS:
                text = _text(tag)
                if text:
                    self.emit_heading(tag, text)
                continue
            if name == "table":
                rows = _own_rows(tag)
                if not any(self.structure.is_layout(cell) for row in rows for cell in _cells(row)):
                    self.emit_table(tag, rows)
                    continue
                # a layout table: walked as a container below, its cells' paragraphs are the page's
            if name == "li":
                strings, nested = _text_nodes(tag, stop=("ul", "ol"))
                text = _join_text(strings)
                if text:
                    self.emit_text(tag, text, in_refs)
                stack.extend((c, in_refs, None) for c in reversed(nested))
                continue
            leaf = not self.structure.has_block_child(tag)
            if name in BLOCK_TAGS and leaf or name in ("p", "blockquote", "dt", "dd", "pre"):
                if name == "blockquote" or leaf:
                    text = _text(tag)
                    if text:
                        self.emit_text(tag, text, in_refs)
                    for img in tag.find_all("img"):
                        self.emit_caption(img, collapse_space(img.get("alt") or ""), "image alt text")
                    continue
            # a container: each run of inline text between its block children is a paragraph of its own
            entries: list[tuple[Tag | tuple, bool, Tag | None]] = []
            run: list = []
            for child in tag.children:
                if self.structure.is_inline(child):
                    run.append(child)
                    continue
                if run:
                    entries.append((tuple(run), in_refs, tag))
                    run = []
                if isinstance(child, Tag):
                    entries.append((child, in_refs, None))
            if run:
                entries.append((tuple(run), in_refs, tag))
            stack.extend(reversed(entries))

    def emit_run(self, nodes: tuple, container: Tag, in_refs: bool) -> None:
        """A run of inline text inside a container; a lone stray character is kept as removed."""
        text = collapse_space("".join(_text(n) if isinstance(n, Tag) and n.name not in WORD_BREAK_TAGS
                                      else f" {_text(n)} " if isinstance(n, Tag) else str(n) for n in nodes))
        if not text:
            return
        line = _run_line(nodes, container)
        if len(text) <= 1:
            self.builder.add(BlockKind.BOILERPLATE, text, line, kept=False, reason="stray character between elements")
            return
        near_image = _run_near_image(nodes, container, self.structure)
        self.emit_text(container, text, in_refs, line=line, near_image=near_image)

    def emit_outside(self, root: Tag, top: Tag) -> None:
        """Text beside the main content (outside <main>/<article>): kept in blocks.csv as removed."""
        node = root
        while node is not top and node.parent is not None:
            for sibling in node.parent.children:
                if sibling is node:
                    continue
                if isinstance(sibling, Tag):
                    text, line = _text(sibling), _line(sibling)
                elif type(sibling) is NavigableString:
                    text, line = collapse_space(str(sibling)), _line(node.parent)
                else:
                    continue
                if text:
                    self.builder.add(BlockKind.BOILERPLATE, text, line, kept=False,
                                     reason=f"outside the page's main content (<{root.name}>)")
            node = node.parent

    def emit_titles(self) -> None:
        head = self.soup.head
        for title in head.find_all("title") if head is not None else ():
            text = _text(title)
            if text:
                self.builder.add(BlockKind.HEADING, text, _line(title), kept=False, sets_heading=False,
                                 reason="page <title>: metadata, the article's own heading is in the body")

    def run(self) -> list[Block]:
        top = self.soup.body or self.soup
        root = self.content_root()
        removed = self.remove_boilerplate(top)
        for line, reason, text in removed:
            self.builder.add(BlockKind.BOILERPLATE, text, line, kept=False, reason=reason)
        self.emit_titles()
        start = root if root.parent is not None or root is self.soup else self.soup
        self.structure = Structure(start)
        self.walk(start)
        if start is not top and start is not self.soup:
            self.emit_outside(start, top)
        blocks = sorted(self.builder.blocks, key=lambda b: (b.source_line, b.index))
        quotes = {i for i, b in enumerate(blocks) if id(b) in self.blockquotes}
        renumbered = [_renumber(b, i) for i, b in enumerate(blocks)]
        return mark_back_matter(mark_pull_quotes(renumbered, candidates={renumbered[i].block_id for i in quotes}))


def _own_rows(table: Tag) -> list[Tag]:
    """The rows of this table, not of tables nested in its cells."""
    rows = []
    for child in table.children:
        if isinstance(child, Tag) and child.name == "tr":
            rows.append(child)
        elif isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.children if isinstance(c, Tag) and c.name == "tr")
    return rows


def _cells(row: Tag) -> list[Tag]:
    return [c for c in row.children if isinstance(c, Tag) and c.name in ("td", "th")]


def _run_near_image(nodes: tuple, container: Tag, structure: Structure) -> bool:
    """_near_image for a run of inline nodes: a picture in it or right beside it, or a container
    marked as a caption (the container's other children do not count)."""
    if CAPTION_MARK.search(_marks(container)) or container.name in PICTURE_TAGS:
        return True
    return any(structure.is_or_holds_picture(n) for n in (nodes[0].previous_sibling, *nodes, nodes[-1].next_sibling))


def _run_line(nodes: tuple, container: Tag) -> int:
    """The source line of a run of inline nodes: its first element's, else the element before it."""
    for node in nodes:
        if isinstance(node, Tag) and node.get(LINE_ATTR):
            return int(node[LINE_ATTR])
    previous = nodes[0].find_previous_sibling()
    return _line(previous) if isinstance(previous, Tag) else _line(container)


def _renumber(block: Block, index: int) -> Block:
    from dataclasses import replace

    return replace(block, index=index, block_id=f"B{index + 1:04d}")


def _only_links(tag: Tag, text: str) -> bool:
    """Whether an element's words are all link text: a "More in Health" list item, a teaser
    paragraph, a menu entry. Prose that merely contains links has words of its own."""
    linked = sum(len(collapse_space(a.get_text(" "))) for a in tag.find_all("a", href=True))
    return linked > 0 and linked >= 0.9 * len(text)


def _citation_like(text: str) -> bool:
    text = re.sub(r"^\s*\[?\d{1,3}[.)\]]\s+", "", text)  # "2. World Health Organization. ..." numbered by hand
    return bool(re.search(r"\b(1[89]\d\d|20\d\d)\b", text)) and (
        bool(re.search(rf"^{NAME_LEAD},?\s+[A-Z]", text)) or "doi" in text.lower() or '"' in text
        or "“" in text or "http" in text)


def ingest_html_blocks(html: str, article: str, parse=None) -> tuple[list[Block], list[str]]:
    warnings = []
    stamped = _stamp_lines(html)
    if stamped is not None:
        soup = BeautifulSoup(stamped, "lxml")
    else:
        # Python's own parser keeps every level (bs4 builds the tree without recursion), but
        # knows no source lines
        soup = BeautifulSoup(html, "html.parser")
        warnings.append(say("html_too_deep"))
    ingest = HtmlIngest(article, soup, parse=parse)
    blocks = ingest.run()
    return blocks, warnings + ingest.warnings
