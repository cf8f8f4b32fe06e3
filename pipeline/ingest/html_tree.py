"""The parsed page and what its elements say of themselves: source lines stamped from lxml,
class and id marks, nearness to a picture, hidden or layout elements, a table's own rows and
cells, link-only elements and citation-shaped text; the HTML walker (html_page) reads them."""
from __future__ import annotations

import re

import lxml.etree
import lxml.html
from bs4 import Tag

from pipeline.ingest.html_text import HEADING_TAGS, PICTURE_TAGS, Structure, tag_beside, tags_in
from pipeline.ingest.blocks import NAME_LEAD, REFERENCE_HEADING
from pipeline.models import Block
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


# every element an lxml.html HtmlElement (what trafilatura takes), chosen in C: lxml.html's own lookup
# (a <form> is a FormElement...) is a Python call for each element proxy, ours and trafilatura's
# walks over the page made hundreds of thousands of them
_ONE_CLASS = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity)


def _page_tree(html: str) -> tuple[object | None, bool]:
    """(the page's lxml tree, too deep?).

    No tree when the page is empty ("Document is empty": only whitespace or comments) or when
    libxml2 gave up on the nesting depth (it stops at 2048 levels even with huge_tree, dropping
    everything deeper; the second value says so): the caller then uses a parser without a limit.
    """
    parser = lxml.html.HTMLParser(huge_tree=True, recover=True)
    parser.set_element_class_lookup(_ONE_CLASS)
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
    """An element's class, id and role words, as one string; kept on the element (the walker and the
    boilerplate pass ask twice per element; its attributes do not change)."""
    marks = tag.__dict__.get("_pipeline_marks")
    if marks is None:
        attrs = tag.attrs
        classes = attrs.get("class") or ""  # one string: the soup is built without splitting multi-valued attributes
        marks = " ".join([classes if isinstance(classes, str) else " ".join(classes), attrs.get("id") or "",
                          attrs.get("role") or ""])
        tag.__dict__["_pipeline_marks"] = marks
    return marks


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
    return any(structure.is_or_holds_picture(s) for s in (tag_beside(tag, False), tag_beside(tag, True)))


def _label_row(texts: tuple[str, ...], row_count: int) -> bool:
    """A first row of short labels heads its columns even when the page wrote it in <td>
    cells: naming them beats "Column 1" in every row after it."""
    return row_count >= 3 and len(texts) >= 2 and all(
        t and len(t.split()) <= 6 and not re.search(r"\d", t) for t in texts)


def _hidden(tag: Tag) -> bool:
    style = (tag.get("style") or "").replace(" ", "").lower()
    return (tag.has_attr("hidden") or (tag.get("aria-hidden") or "").lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


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
    previous = tag_beside(nodes[0], False)
    return _line(previous) if isinstance(previous, Tag) else _line(container)


def _renumber(block: Block, index: int) -> Block:
    if block.index == index:  # most blocks are already in source order: a copy costs more than the check
        return block
    # the frozen block copied field by field: dataclasses.replace (a call of __init__ through its
    # signature) cost a tenth of the walk; Block has no __post_init__ to miss
    moved = object.__new__(Block)
    moved.__dict__.update(block.__dict__, index=index, block_id=f"B{index + 1:04d}")
    return moved


def _only_links(tag: Tag, text: str) -> bool:
    """Whether an element's words are all link text: a "More in Health" list item, a teaser
    paragraph, a menu entry. Prose that merely contains links has words of its own."""
    linked = sum(len(collapse_space(a.get_text(" "))) for a in tags_in(tag, ("a",), "href"))
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


def _container_entries(tag: Tag, in_refs: bool, structure: Structure) -> list[tuple[Tag | tuple, bool, Tag | None]]:
    """A container's children to walk: each run of inline text between its block children is a
    paragraph of its own (a tuple of the run's nodes, with the container)."""
    entries: list[tuple[Tag | tuple, bool, Tag | None]] = []
    run: list = []
    for child in tag.children:
        if structure.is_inline(child):
            run.append(child)
            continue
        if run:
            entries.append((tuple(run), in_refs, tag))
            run = []
        if isinstance(child, Tag):
            entries.append((child, in_refs, None))
    if run:
        entries.append((tuple(run), in_refs, tag))
    return entries
