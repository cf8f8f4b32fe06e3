"""The text of a bs4 element as a browser shows it, and which elements hold blocks (for the HTML walker).

Consumes bs4 elements of a page; produces their visible text (word breaks at block edges,
superscript citation numbers as "[n]" markers), their web links, and `Structure`, which answers
"does this element hold a block / a picture?" for the whole tree in one pass. Moved out of
html_page.py unchanged, so that the walker's module holds the walking.
"""
from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from pipeline.repair import collapse_space

BLOCK_TAGS = frozenset("""p div section article main ul ol li table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6
blockquote figure figcaption dl dt dd pre details summary hr center address""".split())
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# what the walker handles as a unit of its own; everything else is inline text
STRUCTURE_TAGS = BLOCK_TAGS | frozenset(HEADING_TAGS) | {"img", "head", "caption"}
PICTURE_TAGS = ("img", "picture", "figure", "svg", "video")


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


def tags_in(tag: Tag, names=None, attr: str | None = None) -> list[Tag]:
    """The elements under `tag` in document order, those named in `names` only (when given), with
    attribute `attr` only (when given): bs4's find_all(names, attr=True) without its filter
    machinery, which cost more than the walk itself on pages of many paragraphs."""
    return [n for n in tag.descendants if isinstance(n, Tag) and (names is None or n.name in names)
            and (attr is None or attr in n.attrs)]


def tag_beside(node, forward: bool) -> Tag | None:
    """The nearest element sibling after (`forward`) or before a node: bs4's find_next_sibling() /
    find_previous_sibling() without arguments."""
    node = node.next_sibling if forward else node.previous_sibling
    while node is not None and not isinstance(node, Tag):
        node = node.next_sibling if forward else node.previous_sibling
    return node


def _web_links(tag: Tag) -> tuple[str, ...]:
    """The absolute web addresses an element links to, in order, without repeats (archive copies last)."""
    links = []
    for anchor in tags_in(tag, ("a",), "href"):
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
        self.tags = tags_in(root)  # kept alive so that the id()s below stay unique
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
