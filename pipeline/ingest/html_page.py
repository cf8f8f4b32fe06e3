"""Raw HTML pages -> labelled blocks (beautifulsoup4 with lxml).

Consumes the decoded HTML of one page; produces its blocks in document order and
warnings. trafilatura finds the article body first (main_content.py: the region of the page
that holds it, and its text); the walker below classifies the blocks of that region, and
body_filter.py removes the kept blocks the body does not hold. Text beside the region is
listed as removed. Without a body from trafilatura the whole page is walked, its own
<main>/<article> and containers weighed by text and link density. Removed parts stay
visible as blocks with a reason: scripts, styles, nav,
header, footer, aside, forms, hidden elements and boilerplate containers (cookie
banners, share bars, menus) become `boilerplate` unless their text is the article's;
figure captions and image alt text
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
from pipeline.ingest.main_content import (LISTED_ATTR, BodyText, extract_body, find_region, keeps_container,
                                          outside_pieces, settle_region, take_out_code, visible_text,
                                          widen_for_references)
from pipeline.ingest.body_filter import TEXT_KINDS, judge_blocks, why_empty
from pipeline.ingest.html_text import (BLOCK_TAGS, HEADING_TAGS, PICTURE_TAGS, WORD_BREAK_TAGS, Structure, _join_text,
                                       _text, _text_nodes, _web_links)
from pipeline.ingest.blocks import NAME_LEAD, REFERENCE_HEADING, parses_as_reference, BlockBuilder, boilerplate_reason, mark_back_matter, table_row_text
from pipeline.models import Block, BlockKind
from pipeline.ingest.pullquotes import mark_pull_quotes
from pipeline.repair import collapse_space

LINE_ATTR = "data-pipeline-line"
CODE_TAGS = ("script", "style", "template", "iframe", "svg", "canvas", "button", "select", "textarea", "input",
             "object", "embed")  # never prose: removed whatever their text
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


def _page_tree(html: str) -> tuple[object | None, bool]:
    """(the page's lxml tree, too deep?).

    No tree when the page is empty ("Document is empty": only whitespace or comments) or when
    libxml2 gave up on the nesting depth (it stops at 2048 levels even with huge_tree, dropping
    everything deeper; the second value says so): the caller then uses a parser without a limit.
    """
    parser = lxml.html.HTMLParser(huge_tree=True, recover=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except lxml.etree.ParserError:
        return None, False
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return None, True
    return root, False


def _stamped_html(part) -> str:
    """An lxml element re-serialised with every element's source line in an attribute (bs4's lxml
    tree builder knows no lines); only the part handed to bs4 is stamped."""
    for element in part.iter():
        if isinstance(element.tag, str) and element.sourceline:
            element.set(LINE_ATTR, str(element.sourceline))
    return lxml.etree.tostring(part, encoding="unicode", method="html")


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
    classes = tag.get("class") or ""  # one string: the soup is built without splitting multi-valued attributes
    return " ".join([classes if isinstance(classes, str) else " ".join(classes), tag.get("id") or "",
                     tag.get("role") or ""])


CAPTION_MAX_WORDS = 60
TEXT_ONLY_CLEAR = 0.2  # a text-only caption probability under this is not a caption, parsed or not
CAPTION_MARK = re.compile(r"caption|credit|figure|photo|image|img|thumb", re.I)


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




class HtmlIngest:
    def __init__(self, article: str, soup: BeautifulSoup, parse=None, body: BodyText | None = None,
                 page=None, region=None):
        """`body`: trafilatura's article text (empty when it found none); `page`: the lxml tree of
        the whole page; `region`: its element that `soup` holds (None: `soup` is the whole page)."""
        self.builder = BlockBuilder(article)
        self.soup = soup
        self.parse = parse
        self.body = body if body is not None else BodyText("")
        self.page, self.region = page, region
        self.filter_by_body = True  # off only for the extraction bench's "region" design
        self.code: list = []  # code elements taken out of the region before the parse (main_content.take_out_code)
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
            marks = _marks(tag)
            if tag.has_attr(LISTED_ATTR):  # an emptied <svg>, listed with the code taken out of the region
                tag.decompose()
                continue
            if PULL_QUOTE_MARK.search(marks):
                continue  # an <aside class="pull-quote"> is the article's own words, shown as a pull-quote
            if tag.name in REMOVED_TAGS:
                inside_article = tag.name in ("header", "footer") and tag.find_parent(["article", "main"]) \
                    and tag.find(HEADING_TAGS)
                if inside_article:
                    continue
                reason = f"<{tag.name}> element"
            elif _hidden(tag):
                reason = "hidden element"
            elif BOILERPLATE_MARK.search(marks) and not REFERENCE_MARK.search(marks) \
                    and tag.name not in ("body", "html", "main", "article"):
                reason = f"boilerplate container ({collapse_space(marks)[:40]})"
            if not reason:
                continue
            text = _text(tag) if tag.name not in ("script", "style") else collapse_space(tag.get_text(" "))[:200]
            if tag.name not in CODE_TAGS and self.holds_article(tag, text):
                continue  # its name says boilerplate, its text says article: its parts are judged one by one
            removed.append((_line(tag), f"site boilerplate: {reason}", text or f"<{tag.name}>"))
            tag.decompose()
        return removed

    def holds_article(self, tag: Tag, text: str) -> bool:
        """A container named or tagged as boilerplate that holds article text all the same (a
        `layout-sidebar-left` wrapper, an ASP.NET page's <form>, a forum's <noscript>): its text
        and link density decide, not its name (main_content.keeps_container)."""
        linked = sum(len(collapse_space(a.get_text(" "))) for a in tag.find_all("a", href=True))
        return keeps_container(text, linked, self.body)

    def content_root(self) -> Tag:
        """Without trafilatura's region: the page's <main>/<article>/#content, the largest of its
        kind, unless it holds under a fifth of the page's text (a related-post card, not the body)."""
        body = self.soup.body or self.soup
        total = len(body.get_text())
        for selector in ("main", "[role=main]", "article", "#content", "#main-content", ".entry-content"):
            found = body.select(selector)
            if found:
                best = max(found, key=lambda t: len(t.get_text()))
                if len(best.get_text()) >= 0.2 * total:
                    return best
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
        # an unmarked paragraph of prose length beside a picture is prose: of 487 near-image paragraphs (bench
        # tuning pages, corpus and test pages) none over 40 words was a caption; marked captions (<figcaption>,
        # a caption class) are emitted before this point whatever their length
        if tag.name not in ("li",) and len(text.split()) <= CAPTION_MAX_WORDS and \
                (_near_image(tag, self.structure) if near_image is None else near_image):
            verdict = captions.score_caption(text)
            # the spaCy parse (the slowest step of the HTML ingest) only where the text-only weights leave
            # room for a caption: below 0.2 no verdict changed with the parse on 414 near-image paragraphs
            # (bench tuning pages, corpus and test pages); 89% of the parses are saved
            if verdict.score >= TEXT_ONLY_CLEAR and self.parse:
                verdict = captions.score_caption(text, parsed=self.parse(text))
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

    def emit_beside_region(self) -> None:
        """Text beside trafilatura's region, one block per sibling subtree, and the code taken out of the
        region: kept in blocks.csv as removed."""
        for line, text, tag in self.code:
            self.builder.add(BlockKind.BOILERPLATE, text or f"<{tag}>", line, kept=False,
                             reason=f"site boilerplate: <{tag}> element")
        for line, text, tag, kind in outside_pieces(self.region):
            if kind in ("alt", "caption"):
                self.builder.add(BlockKind.CAPTION, text, line, kept=False,
                                 reason="image alt text" if kind == "alt" else "figure caption")
                continue
            reason = (f"site boilerplate: <{tag}> element" if kind == "code" else
                      f"outside the page's main content (beside the <{self.region.tag}> holding the article body)")
            if text or kind == "code":
                self.builder.add(BlockKind.BOILERPLATE, text or f"<{tag}>", line, kept=False, reason=reason)

    def emit_titles(self) -> None:
        if self.page is not None:
            titles = [(visible_text(t), t.sourceline or 1) for t in self.page.iterfind("head/title")]
        else:
            head = self.soup.head
            titles = [(_text(t), _line(t)) for t in (head.find_all("title") if head is not None else ())]
        for text, line in titles:
            if text:
                self.builder.add(BlockKind.HEADING, text, line, kept=False, sets_heading=False,
                                 reason="page <title>: metadata, the article's own heading is in the body")

    def run(self) -> list[Block]:
        top = self.soup.body or self.soup
        root = top if self.region is not None else self.content_root()
        removed = self.remove_boilerplate(top)
        for line, reason, text in removed:
            self.builder.add(BlockKind.BOILERPLATE, text, line, kept=False, reason=reason)
        self.emit_titles()
        start = root if root.parent is not None or root is self.soup else self.soup
        self.structure = Structure(start)
        self.walk(start)
        if self.region is not None:
            self.emit_beside_region()
        elif start is not top and start is not self.soup:
            self.emit_outside(start, top)
        blocks = sorted(self.builder.blocks, key=lambda b: (b.source_line, b.index))
        quotes = {i for i, b in enumerate(blocks) if id(b) in self.blockquotes}
        renumbered = [_renumber(b, i) for i, b in enumerate(blocks)]
        blocks = mark_back_matter(mark_pull_quotes(renumbered, candidates={renumbered[i].block_id for i in quotes}))
        if self.body and self.filter_by_body:
            blocks = judge_blocks(blocks, self.body, lambda: extract_body(self.page, fast=False))
        why = why_empty(blocks, bool(self.body))
        if why:  # never an empty article without saying so: in blocks.csv, and in the run log via the warning
            line = blocks[0].source_line if blocks else 1
            blocks = blocks + [self.builder.add(BlockKind.BOILERPLATE, "(no article text kept)", line, kept=False,
                                                reason=f"no article text kept: {why}")]
            blocks = [_renumber(b, i) for i, b in enumerate(blocks)]
            self.warnings.append(say("no_text_kept_why", why=why))
        return blocks


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
    if block.index == index:  # most blocks are already in source order: a copy costs more than the check
        return block
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


def _reference_anchor(element) -> bool:
    """An lxml element that is (or heads) a reference list: for widening trafilatura's region."""
    if element.tag in ("ol", "ul", "div", "section"):
        return bool(REFERENCE_MARK.search(f"{element.get('class') or ''} {element.get('id') or ''}"))
    if element.tag in HEADING_TAGS or element.tag in ("dt", "summary", "strong", "b"):
        text = element.text_content()
        return len(text) < 80 and bool(REFERENCE_HEADING.match(text))
    return False


DESIGNS = ("trafilatura", "region", "own")


def ingest_html_blocks(html: str, article: str, parse=None, design: str = "trafilatura") -> tuple[list[Block], list[str]]:
    """Blocks and warnings of one page. trafilatura finds the article body (region and text); our
    walker classifies the region's blocks; without a body from it, the whole page is walked.

    `design` is for the extraction bench, which measures the alternatives side by side: "region"
    walks trafilatura's region without removing the blocks its body does not hold; "own" never
    asks trafilatura (the page's own <main>/<article> and containers weighed by text and links)."""
    warnings = []
    root, too_deep = _page_tree(html)
    body, region = BodyText(""), None
    if root is None:
        # Python's own parser keeps every level (bs4 builds the tree without recursion), but
        # knows no source lines
        soup = BeautifulSoup(html, "html.parser" if too_deep else "lxml")
        if too_deep:
            warnings.append(say("html_too_deep"))
    else:
        body = extract_body(root) if design != "own" else BodyText("")
        region = find_region(root, body) if body else None
        if region is not None:
            region = widen_for_references(settle_region(region, body), _reference_anchor)
            code = take_out_code(region)
        part = root if region is None else region
        # class attributes left as one string: splitting them cost a tenth of bs4's tree building
        soup = BeautifulSoup(_stamped_html(part), "lxml", multi_valued_attributes=None)
    ingest = HtmlIngest(article, soup, parse=parse, body=body, page=root, region=region)
    ingest.filter_by_body = design == "trafilatura"
    ingest.code = code if region is not None else []
    blocks = ingest.run()
    if body and not any(b.kept and b.kind in TEXT_KINDS for b in blocks):
        # trafilatura's body held no text we keep (it took a menu, or its own cleaning dropped a wrapper named
        # like boilerplate): the page's own structure decides, by text and link density
        root = _page_tree(html)[0]  # afresh: listing what lay outside the region took its code elements out
        retry = HtmlIngest(article, BeautifulSoup(_stamped_html(root), "lxml", multi_valued_attributes=None),
                           parse=parse, page=root)
        retried = retry.run()
        if any(b.kept and b.kind in TEXT_KINDS for b in retried):
            warnings.append(say("body_from_own_containers"))
            return retried, warnings + retry.warnings
    return blocks, warnings + ingest.warnings
