"""The page's main content (its article body), found by trafilatura and used two ways.

Consumes the lxml tree of one page (elements stamped with their source lines); produces
- `BodyText`: the body text trafilatura extracted. Its extractor weighs every container's text
  and link density (readability/justext heritage), so its answer to "is this text the article?"
  holds up on templates we have never seen. `coverage(text)` says how much of a block is body;
- `find_region`: the smallest element holding nearly all of that body, widened to take in a
  reference list that sits after it (trafilatura drops reference lists; we keep them), so that
  only the region is handed to our block walker (bs4 over the whole page cost more than
  trafilatura itself);
- `outside_pieces`: the text beside the region, one piece per sibling subtree, listed in
  blocks.csv as removed with the reason.
Our own classification (captions, pull-quotes, tables, references, markers) runs inside the
region; this module never decides a block's kind.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import lxml.etree

WORD = re.compile(r"\w+")
CODE_TAGS = frozenset(("script", "style", "template", "svg", "canvas", "iframe", "object", "embed", "noscript"))
REGION_SHARE = 0.95  # the region holds this share of the page's words that are body text
MIN_NODE_WORDS = 4   # shorter text nodes ("Home", "By", "and") match anywhere: they do not place the region
BODY_SHARE = 0.5     # a block or container is body when this share of its trigrams is in trafilatura's text
CHROME_TAGS = frozenset(("header", "nav", "footer", "aside"))


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@dataclass
class BodyText:
    """The article body as trafilatura extracted it; false when it found none."""

    text: str
    vocabulary: frozenset = field(init=False, repr=False)
    trigrams_in_order: list = field(init=False, repr=False)
    trigrams: frozenset = field(init=False, repr=False)

    def __post_init__(self):
        tokens = words(self.text)
        self.vocabulary = frozenset(tokens)
        self.trigrams_in_order = list(zip(tokens, tokens[1:], tokens[2:]))
        self.trigrams = frozenset(self.trigrams_in_order)

    def __bool__(self) -> bool:
        return bool(self.vocabulary)

    def coverage(self, text: str, tokens: list[str] | None = None) -> float:
        """The share of `text` (or of its `tokens`, when the caller has them) that is in the body: of
        its word trigrams, or of its words when it has fewer than three (a heading such as "Methods")."""
        tokens = words(text) if tokens is None else tokens
        if len(tokens) < 3:
            return sum(t in self.vocabulary for t in tokens) / len(tokens) if tokens else 0.0
        hits = sum(map(self.trigrams.__contains__, zip(tokens, tokens[1:], tokens[2:])))  # map: the test in C
        return hits / (len(tokens) - 2)


@functools.lru_cache(maxsize=2)
def _extractor(fast: bool):
    """trafilatura's options, built once: building them cost as much per page as a third of our walk."""
    from trafilatura.settings import Extractor

    return Extractor(output_format="python", fast=fast, recall=fast, comments=False)


def extract_body(root, fast: bool = True) -> BodyText:
    """trafilatura's body text for a parsed page (it works on its own copy; ours stays intact).

    Settings chosen on the tuning part of the extraction bench (bench/RESULTS.md): fast (no
    readability/justext comparison) with favour-recall scored best and ran fastest; `fast=False`
    is trafilatura's default cascade, the second opinion. Reader comments are not the article."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(root, options=_extractor(fast))
    except Exception:  # noqa: BLE001 - a failing region finder must not fail the page: the caller falls back
        document = None
    return BodyText(getattr(document, "text", None) or "")


# code text sits right under its element (a script's text node); the parent step is checked, not every ancestor:
# that cost libxml2 a climb to the root for each text node of the page
_NOT_CODE = " or ".join(f"parent::{tag}" for tag in sorted(CODE_TAGS))
# text nodes outside code, in document order (XPath runs in C: a Python walk over every node cost more)
# plain strings (smart_strings=False): lxml's default result strings each keep their parent element, which
# costs an object per text node where only the text is read
_VISIBLE_TEXT = lxml.etree.XPath(f".//text()[not({_NOT_CODE})]", smart_strings=False)
# the text nodes long enough to hold MIN_NODE_WORDS words, with the element they belong to
_LONG_TEXT = lxml.etree.XPath(f"//text()[string-length(normalize-space(.)) >= {3 * MIN_NODE_WORDS}][not({_NOT_CODE})]")


def visible_text(element) -> str:
    """An element's text without scripts, styles and other code, words spaced at element edges."""
    if isinstance(element.tag, str) and element.tag in CODE_TAGS:
        return ""
    return " ".join(" ".join(_VISIBLE_TEXT(element)).split())


def _body_words(root, body: BodyText) -> dict:
    """element -> how many words of its own text nodes (text and children's tails) are body text."""
    hits: dict = {}
    for text in _LONG_TEXT(root):
        tokens = words(text)
        owner = text.getparent()
        if text.is_tail and owner is not None:
            owner = owner.getparent()
        if owner is not None and len(tokens) >= MIN_NODE_WORDS and body.coverage(text, tokens) >= 0.6:
            hits[owner] = hits.get(owner, 0) + len(tokens)
    return hits


def find_region(root, body: BodyText):
    """The deepest element whose subtree holds REGION_SHARE of the page's body words; None when
    no text of the page matches the body."""
    hits = _body_words(root, body)
    if not hits:
        return None
    total = sum(hits.values())
    subtree: dict = {}
    for element, count in hits.items():
        node = element
        while node is not None:
            subtree[node] = subtree.get(node, 0) + count
            node = node.getparent()
    node = root
    while True:
        child = next((c for c in node if subtree.get(c, 0) >= REGION_SHARE * total), None)
        if child is None:
            return node
        node = child


def _beside(node) -> str:
    """The visible text of a node's siblings and of loose text beside it in its parent."""
    parent = node.getparent()
    parts = [parent.text or ""]
    for sibling in parent:
        if sibling is not node and isinstance(sibling.tag, str) and sibling.tag not in CODE_TAGS:
            parts.append(visible_text(sibling))
        parts.append(sibling.tail or "")
    return " ".join(parts)


def settle_region(region, body: BodyText):
    """The region, climbed while what stands beside it is mostly body text: find_region places
    it by the long text nodes only, and a table of short cells, a list of short items or a
    heading next to it belong to the article as much as its paragraphs do."""
    node = region
    while node.tag not in ("body", "html") and node.getparent() is not None:
        text = _beside(node)
        if words(text) and body.coverage(text) < 0.6:
            break
        node = node.getparent()
    return node


# what may be a reference list or its heading, in a subtree; `is_reference` then reads their class
# words or text
CANDIDATES = lxml.etree.XPath(
    "descendant-or-self::*[(self::ol or self::ul or self::div or self::section) and (@class or @id)]"
    " | descendant-or-self::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::dt"
    " or self::summary or self::strong or self::b][string-length(normalize-space(.)) < 80]")
WIDEN_LEVELS = 3  # a reference list further out than the region's great-grandparent is not the article's


def widen_for_references(region, is_reference: Callable) -> object:
    """The region, widened to the common ancestor of itself and a reference list (or its heading)
    that follows it within WIDEN_LEVELS levels up and outside page chrome (header, nav, footer, aside)."""
    node, widened = region, region
    for _ in range(WIDEN_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str) and sibling.tag not in CHROME_TAGS and any(
                    is_reference(e) and not any(a.tag in CHROME_TAGS for a in e.iterancestors())
                    for e in CANDIDATES(sibling)):
                widened = parent
                break
        node = parent
    return widened


PICTURE_TEXT = lxml.etree.XPath("descendant-or-self::img[normalize-space(@alt)] | descendant-or-self::figcaption")
_ALL_TEXT = lxml.etree.XPath(".//text()", smart_strings=False)  # once the code elements are out: no test per text node
_TEXT_BUT_CAPTIONS = lxml.etree.XPath(f".//text()[not({_NOT_CODE} or ancestor::figcaption)]", smart_strings=False)


def _pieces(element) -> Iterator[tuple[int, str, str, str]]:
    """(line, text, tag, kind) of one subtree outside the region: each code element in it ("code",
    its first 200 characters), each image's alt text ("alt") and figure caption ("caption") with
    their own kind, as inside the region, and the rest of its text as one piece ("outside")."""
    for code in element.iter(*CODE_TAGS):
        yield code.sourceline or 1, _code_text(code), code.tag, "code"
    if element.tag in CODE_TAGS:
        return
    # listed: the code goes, so that the rest's text is read in C (the page outside the region is most of it)
    lxml.etree.strip_elements(element, *CODE_TAGS, with_tail=False)
    has_caption = False
    for picture in PICTURE_TEXT(element):
        if picture.tag == "img":
            yield picture.sourceline or 1, " ".join(picture.get("alt").split()), "img", "alt"
        else:
            has_caption = True
            yield picture.sourceline or 1, visible_text(picture), "figcaption", "caption"
    # the ancestor test that leaves captions out is costly (a climb per text node): only where there is one
    text = " ".join(" ".join((_TEXT_BUT_CAPTIONS if has_caption else _ALL_TEXT)(element)).split())
    if text:
        yield element.sourceline or 1, text, element.tag, "outside"


LISTED_ATTR = "data-pipeline-listed"  # an emptied <svg> left in the region: a picture for the walker, listed already
STRIPPED_CODE = ("script", "style", "template", "iframe", "canvas", "button", "select", "textarea", "input",
                 "object", "embed")


def _code_text(element) -> str:
    """What blocks.csv shows of a code element: a script's or style's first 200 characters (cut before
    the split: scripts run to megabytes), the whole text of the others (a <noscript>, a <button>)."""
    if element.tag in ("script", "style"):
        return " ".join((element.text or "")[:400].split())[:200]
    return " ".join(" ".join(element.itertext()).split())


def take_out_code(region) -> list[tuple[int, str, str]]:
    """(line, text, tag) of each code element inside the region, taken out of the tree before the
    walker's parse (bs4 builds every element it is given; scripts and inline SVG icons are many).
    An <svg> stays, emptied and marked, since a picture beside a paragraph makes it a caption
    candidate."""
    pieces = []
    for element in region.iter(*STRIPPED_CODE, "svg"):
        pieces.append((element.sourceline or 1, _code_text(element), element.tag))
    lxml.etree.strip_elements(region, *STRIPPED_CODE, with_tail=False)
    for svg in region.iter("svg"):
        svg[:] = []
        svg.text = None
        svg.set(LISTED_ATTR, "1")
    return pieces


def outside_pieces(region) -> Iterator[tuple[int, str, str, str]]:
    """Code elements outside the region are taken out of the tree once listed (the caller parses
    the page afresh if it needs them again).

    (source line, text, tag name, kind) of what the page holds outside its main content: every
    sibling subtree along the path from the region up to <body> and loose text beside them (kind
    "outside"), each script, style or other code element in them (its first 200 characters, kind
    "code"), and the pictures' alt texts and captions among them ("alt", "caption")."""
    node = region
    while node.getparent() is not None and node.tag != "body":
        parent = node.getparent()
        if parent.text and parent.text.strip():
            yield parent.sourceline or 1, " ".join(parent.text.split()), parent.tag, "outside"
        for sibling in parent:
            if sibling is not node and isinstance(sibling.tag, str) and sibling.tag != "head":
                yield from _pieces(sibling)
            if sibling.tail and sibling.tail.strip():
                yield sibling.sourceline or 1, " ".join(sibling.tail.split()), parent.tag, "outside"
        node = parent


def keeps_container(text: str, linked_chars: int, body: BodyText) -> bool:
    """Whether a container that its name or tag marks as boilerplate (a class word such as
    "sidebar" or "modal", a <header>, <form> or <noscript>) holds the article all the same.

    With trafilatura's body: when most of its text is body, under half of it sits in links, and
    it is a sizeable part of the article (50+ words, or half the body): a small box named
    "disclaimer" or "related" stays removed even where the extractor kept its words. Without a body (the extractor found none):
    when it is long, unlinked prose: 80+ words of which under a quarter sit in links (menus,
    related-post lists and share bars are short or mostly links)."""
    n_words = len(text.split())
    if body:
        sizeable = n_words >= 50 or n_words >= 0.5 * len(body.text.split())
        return sizeable and linked_chars < 0.5 * len(text) and body.coverage(text) >= BODY_SHARE
    return n_words >= 80 and linked_chars < 0.25 * len(text)
