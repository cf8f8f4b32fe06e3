"""An lxml element -> the bs4 soup the HTML walker reads, built straight from the tree.

Consumes one element of an lxml page (the article region main_content found, or the whole page);
produces the BeautifulSoup that re-serialising the element and parsing it again with bs4's lxml
builder produced (inside <html><body> unless it is one of them, its tail text after it), every
element carrying its source line in `LINE_ATTR`. Serialising and re-parsing cost about as much as
the walk itself: bs4 builds each element through its parser callbacks (a Tag constructor, a stack
of open tags, an attribute dict filled key by key). Here each node is made once and linked in
document order, as bs4's parser links them (parent, siblings, previous/next element), with the
same classes and values (whitespace-only strings shortened to one space or newline outside
<pre>/<textarea>, the string classes of <rt>/<rp>/<script>/<style>, comments as Comment, URI and
boolean attributes as libxml2's serialiser writes them). What it does not build (processing
instructions, an element whose text libxml2 reads raw but writes escaped, such as an <iframe> with
text) is serialised and parsed as before (`parsed_soup`).
"""
from __future__ import annotations

import functools
import re

import lxml.etree
import lxml.html
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from pipeline.ingest.html_tree import LINE_ATTR, _stamped_html

# HTML's boolean attributes as libxml2's serialiser knows them (htmlIsBooleanAttr)
_BOOLEAN = frozenset(("checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref",
                      "noresize", "noshade", "nowrap", "readonly", "selected"))
# attributes libxml2's serialiser writes URI-escaped, and the characters it leaves as they are
_URI_ATTRS = frozenset(("href", "src", "action", "name"))
_URI_SAFE = re.compile(r"[A-Za-z0-9\-_.!~*'()@/:=?;#%&,+]*")
# elements whose text libxml2 reads raw but writes escaped: a round trip changes their text ("&" -> "&amp;"),
# so they are not built (a <script>'s, <style>'s or <textarea>'s text reads back the same)
_RAW_TEXT = frozenset(("iframe", "xmp", "noembed", "noframes", "plaintext"))
_SPACES = "\t\n\x0c\r "  # bs4's ASCII_SPACES: a string of only these is shortened


class _Unsupported(Exception):
    """A node this builder does not make; the caller parses the serialised element instead."""


@functools.lru_cache(maxsize=1)
def _template() -> tuple[dict, object, dict, frozenset]:
    """(the attributes every Tag shares, bs4's attribute dict class, string classes by tag name,
    whitespace-keeping tags), read once from a soup bs4 built itself."""
    soup = BeautifulSoup("<p></p>", "lxml", multi_valued_attributes=None)
    builder, made = soup.builder, soup.p
    shared = {k: v for k, v in made.__dict__.items() if k not in (
        "name", "attrs", "contents", "parent", "previous_element", "next_element", "next_sibling",
        "previous_sibling", "can_be_empty_element", "interesting_string_types")}
    return shared, builder.attribute_dict_class, dict(builder.string_containers), \
        frozenset(builder.preserve_whitespace_tags)


@functools.lru_cache(maxsize=512)
def _per_name(name: str) -> tuple[bool, set]:
    """(can_be_empty_element, interesting_string_types) of a tag name, as bs4's builder sets them."""
    builder = BeautifulSoup("", "lxml", multi_valued_attributes=None).builder
    containers = builder.string_containers
    return builder.can_be_empty_element(name), ({containers[name]} if name in containers
                                                else Tag.MAIN_CONTENT_STRING_TYPES)


class _Builder:
    """Makes bs4 nodes and appends them in document order, linked as bs4's parser links them."""

    def __init__(self):
        self.shared, self.attr_dict, self.containers, self.keep_space = _template()
        self.previous = None  # the node made last (bs4's previous_element chain starts at the first tag)

    def link(self, parent, node, fields: dict) -> None:
        siblings = parent.contents
        before = siblings[-1] if siblings else None
        previous = self.previous
        fields["parent"], fields["previous_sibling"], fields["next_sibling"] = parent, before, None
        fields["previous_element"], fields["next_element"] = previous, None
        if before is not None:
            before.next_sibling = node
        if previous is not None:
            previous.next_element = node
        siblings.append(node)
        self.previous = node

    def tag(self, parent, name: str, element=None) -> Tag:
        """A tag named `name` with the attributes of lxml's `element` (none without one)."""
        node = Tag.__new__(Tag)
        fields = node.__dict__
        fields.update(self.shared)
        fields["name"], fields["contents"] = name, []
        fields["attrs"] = self.attr_dict() if element is None else _attrs(self.attr_dict(element.items()), element)
        fields["can_be_empty_element"], fields["interesting_string_types"] = _per_name(name)
        self.link(parent, node, fields)
        return node

    def string(self, parent, text: str, kind: type, keep_space: bool) -> None:
        if not keep_space and not text.strip(_SPACES):
            text = "\n" if "\n" in text else " "
        node = str.__new__(kind, text)  # NavigableString() would link it to nothing first
        fields = node.__dict__
        fields["hidden"] = False
        self.link(parent, node, fields)


@functools.lru_cache(maxsize=1024)
def _as_serialised(name: str, value: str) -> str:
    """A URI attribute's value after libxml2 wrote it out and read it again (leading blanks gone,
    spaces and other characters percent-escaped): what the walker saw of it before."""
    element = lxml.etree.Element("a")
    element.set(name, value)
    return lxml.html.fragment_fromstring(lxml.etree.tostring(element, method="html", encoding="unicode")).get(name, "")


def _attrs(attrs: dict, element) -> dict:
    """`attrs` (lxml's attributes of `element` in bs4's dict) as a serialise-and-parse round trip
    left them, with the element's source line last."""
    for name in attrs:  # values replaced in place: the dict keeps its size while iterated
        if name in _URI_ATTRS:
            if not _URI_SAFE.fullmatch(attrs[name]) and (name != "name" or element.tag == "a"):
                dict.__setitem__(attrs, name, _as_serialised(name, attrs[name]))
        elif name in _BOOLEAN:  # libxml2 writes these bare ("<hr noshade>"); read again, they are empty
            dict.__setitem__(attrs, name, "")
    if LINE_ATTR in attrs:
        del attrs[LINE_ATTR]  # a stamp of our own goes last, as element.set() placed it
    line = element.sourceline
    if line:
        dict.__setitem__(attrs, LINE_ATTR, str(line))
    return attrs


def _fill(builder: _Builder, body: Tag, region) -> None:
    """The region and its tail text, appended to <body> in document order (an explicit stack:
    pages nest thousands of levels deep; lxml's iterwalk passes comments over)."""
    parents, opened = [body], []
    keeping = [False]  # inside <pre>/<textarea>: whitespace kept as is
    kinds = [NavigableString]  # the string class inside <rt>/<rp>
    string, keep_space, containers = builder.string, builder.keep_space, builder.containers
    stack = [region]
    while stack:
        element = stack.pop()
        if element is None:  # the end of the element opened last
            element = opened.pop()
            del parents[-1], keeping[-1], kinds[-1]
        else:
            name = element.tag
            if name.__class__ is str:
                if name in _RAW_TEXT and element.text:
                    raise _Unsupported(name)
                node = builder.tag(parents[-1], name, element)
                parents.append(node)
                keeping.append(keeping[-1] or name in keep_space)
                kinds.append(containers.get(name, kinds[-1]))
                if element.text:
                    string(node, element.text, kinds[-1], keeping[-1])
                opened.append(element)
                stack.append(None)
                stack.extend(reversed(element))
                continue
            if name is not lxml.etree.Comment:
                raise _Unsupported(name)
            string(parents[-1], element.text or "", Comment, keeping[-1])
        if element.tail:
            string(parents[-1], element.tail, kinds[-1], keeping[-1])


def parsed_soup(element) -> BeautifulSoup:
    """The soup of an element serialised with its lines stamped and parsed again by bs4 (what
    `soup_of` does not build). Class attributes are left as one string: splitting them cost a
    tenth of bs4's tree building."""
    return BeautifulSoup(_stamped_html(element), "lxml", multi_valued_attributes=None)


def soup_of(region) -> BeautifulSoup:
    """The soup of `region` (see the module docstring), built; parsed where the builder stops."""
    if not isinstance(region.tag, str):
        return parsed_soup(region)
    soup = BeautifulSoup("", "lxml", multi_valued_attributes=None)
    builder = _Builder()
    try:
        if region.tag == "html":
            _fill(builder, soup, region)
        else:
            html = builder.tag(soup, "html")
            _fill(builder, html if region.tag in ("body", "head") else builder.tag(html, "body"), region)
    except _Unsupported:
        return parsed_soup(region)
    return soup
