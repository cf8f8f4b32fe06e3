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
not, so each element carries its line in an attribute (html_soup builds the region's soup
straight from lxml's tree, each line written in as it goes).
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from pipeline.messages import say
from pipeline.ingest import captions
from pipeline.ingest.main_content import (LISTED_ATTR, BodyText, extract_body, find_region, keeps_container,
                                          outside_pieces, settle_region, take_out_code, visible_text,
                                          widen_for_references)
from pipeline.ingest.html_tree import (
    BOILERPLATE_MARK, CAPTION_CLASS, CAPTION_MAX_WORDS, CODE_TAGS, LINE_ATTR, PULL_QUOTE_MARK, REFERENCE_MARK,
    REMOVED_TAGS, TEXT_ONLY_CLEAR, _cells, _citation_like, _container_entries, _hidden, _label_row, _line, _marks,
    _near_image, _only_links, _own_rows, _page_tree, _reference_anchor, _renumber, _run_line, _run_near_image)
from pipeline.ingest.html_soup import soup_of
from pipeline.ingest.body_filter import TEXT_KINDS, judge_blocks, why_empty
from pipeline.ingest.html_text import (BLOCK_TAGS, HEADING_TAGS, WORD_BREAK_TAGS, Structure, _join_text,
                                       _text, _text_nodes, _web_links, tags_in)
from pipeline.ingest.blocks import REFERENCE_HEADING, parses_as_reference, BlockBuilder, boilerplate_reason, mark_back_matter, table_row_text
from pipeline.models import Block, BlockKind
from pipeline.ingest.pullquotes import mark_pull_quotes
from pipeline.repair import collapse_space


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
        for tag in tags_in(root):
            # read the flag from __dict__: bs4 answers a missing attribute with a subtree search,
            # which made this loop quadratic in the nesting depth
            if tag.__dict__.get("_decomposed") or tag.parent is None:
                continue
            if len(tag.attrs) <= 1 and (LINE_ATTR in tag.attrs or not tag.attrs) and tag.name not in REMOVED_TAGS:
                continue  # no class, id, role, style or hidden flag (only its line): nothing calls it boilerplate
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
        linked = sum(len(collapse_space(a.get_text(" "))) for a in tags_in(tag, ("a",), "href"))
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
        bolds = tags_in(tag, ("strong", "b")) if tag.name == "p" else ()
        bold_only = bool(bolds) and collapse_space(" ".join(t.get_text(" ") for t in bolds)) == text
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
            if name == "head" or self.emit_marked(tag):  # <head> is metadata; its <title> is emitted by run()
                continue
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
                    for img in tags_in(tag, ("img",)) if self.structure.holds_picture(tag) else ():
                        self.emit_caption(img, collapse_space(img.get("alt") or ""), "image alt text")
                    continue
            stack.extend(reversed(_container_entries(tag, in_refs, self.structure)))

    def emit_marked(self, tag: Tag) -> bool:
        """An element whose tag or marks say what it is: a picture, a caption, a pull-quote, a
        heading, a data table (a layout table is walked as a container). False for the others."""
        name = tag.name
        if name == "img":
            self.emit_caption(tag, collapse_space(tag.get("alt") or ""), "image alt text")
        elif name == "figcaption":
            self.emit_caption(tag, _text(tag), "figure caption")
        elif name in ("div", "p", "span") and CAPTION_CLASS.search(_marks(tag)):
            self.emit_caption(tag, _text(tag), f"marked as a caption ({_marks(tag).strip()[:40]})")
        elif name not in ("body", "main", "article", "section") and PULL_QUOTE_MARK.search(_marks(tag)):
            text = _text(tag)
            if text:
                self.builder.add(BlockKind.PULL_QUOTE, text, _line(tag), kept=False,
                                 reason=f"marked as a pull-quote ({collapse_space(_marks(tag))[:40]})")
        elif name in HEADING_TAGS:
            text = _text(tag)
            if text:
                self.emit_heading(tag, text)
        elif name == "table":
            rows = _own_rows(tag)
            if any(self.structure.is_layout(cell) for row in rows for cell in _cells(row)):
                return False  # a layout table: its cells' paragraphs are the page's
            self.emit_table(tag, rows)
        else:
            return False
        return True

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
        soup = soup_of(root if region is None else region)  # built from lxml's tree, not parsed again
    ingest = HtmlIngest(article, soup, parse=parse, body=body, page=root, region=region)
    ingest.filter_by_body = design == "trafilatura"
    ingest.code = code if region is not None else []
    blocks = ingest.run()
    if body and not any(b.kept and b.kind in TEXT_KINDS for b in blocks):
        # trafilatura's body held no text we keep (it took a menu, or its own cleaning dropped a wrapper named
        # like boilerplate): the page's own structure decides, by text and link density
        root = _page_tree(html)[0]  # afresh: listing what lay outside the region took its code elements out
        retry = HtmlIngest(article, soup_of(root), parse=parse, page=root)
        retried = retry.run()
        if any(b.kept and b.kind in TEXT_KINDS for b in retried):
            warnings.append(say("body_from_own_containers"))
            return retried, warnings + retry.warnings
    return blocks, warnings + ingest.warnings
