"""issue 16: the article body is found on pages of any template (trafilatura finds it; our
classification stays on top), never lost to one class word or one wrapping element, and an
article that keeps no text says why. Real HTML through lxml, trafilatura and bs4."""
from __future__ import annotations

import pytest

from pipeline.ingest.main_content import BodyText, keeps_container
from pipeline.ingest.stage import ingest_html
from pipeline.models import BlockKind

PROSE = [
    "Researchers followed 4,200 adults for twelve years and recorded how often each of them walked briskly.",
    "Those who walked at least thirty minutes a day had fewer heart attacks than those who rarely walked.",
    "The effect held after the team accounted for smoking, income, body weight and blood pressure at entry.",
    "Walking pace mattered as well: a brisk pace was linked to a larger drop in risk than a slow stroll.",
    "The authors caution that an observational study cannot prove that walking itself lowers the risk.",
    "Still, they say the findings add to a large body of evidence that regular movement protects the heart.",
]
MENU = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(12))
SIDEBAR = "".join(f'<li><a href="/story{i}">Another story about topic number {i}</a></li>' for i in range(8))


def _page(article: str, before: str = "", after: str = "") -> str:
    return f"""<html><head><title>Walking and the heart | Daily Health</title></head><body>
<nav><ul>{MENU}</ul></nav>{before}
{article}
<aside class="sidebar"><h3>Most read</h3><ul>{SIDEBAR}</ul></aside>{after}
<footer><p>© 2024 Daily Health. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def _paragraphs() -> str:
    return "".join(f"<p>{p}</p>" for p in PROSE)


def _kept(html: str) -> str:
    document = ingest_html(html, "page")
    return " ".join(b.text for b in document.blocks if b.kept)


@pytest.mark.parametrize("wrapper", [
    '<div class="layout-sidebar-left"><h1>Walking and the heart</h1>{}</div>',   # a layout class with "sidebar"
    '<div class="post modal-content ad-slot">{}</div>',                          # "modal", "ad"
    '<div class="comments-enabled share-bar menu-open readmore">{}</div>',       # "comment", "share", "menu"...
    '<header class="article-head"><h1>Walking and the heart</h1>{}</header>',   # the article inside <header>
    '<form id="aspnetForm" action="/page"><div>{}</div></form>',                # an ASP.NET page: all in a <form>
    '<noscript><div class="post">{}</div></noscript>',                           # forum software: text in <noscript>
])
def test_a_wrapper_named_or_tagged_as_boilerplate_does_not_lose_the_article(wrapper):
    kept = _kept(_page(wrapper.format(_paragraphs())))
    for sentence in PROSE:
        assert sentence in kept
    assert "Another story about topic number" not in kept and "Section 3" not in kept


def test_a_related_post_card_in_an_article_element_is_not_taken_for_the_body():
    card = '<article class="card"><h2><a href="/other">Ten tips for sleeping well</a></h2>' \
           '<p><a href="/other">Read the full story about sleep</a></p></article>'
    html = _page(f'<div class="story-body"><h1>Walking and the heart</h1>{_paragraphs()}</div>', after=card)
    kept = _kept(html)
    assert all(sentence in kept for sentence in PROSE)
    assert "Ten tips for sleeping well" not in kept


def test_breadcrumbs_sponsored_and_sign_up_lines_beside_the_body_are_removed_with_a_reason():
    crumbs = '<div class="crumbs"><a href="/">Home</a> › <a href="/health">Health</a> › Heart</div>'
    promo = ('<div class="promo"><p>SPONSORED</p><p>Sign up for text alerts: reply YES to get our health tips '
             'by SMS. Message and data rates may apply.</p></div>')
    html = _page(f'<main>{crumbs}<h1>Walking and the heart</h1>{_paragraphs()}{promo}</main>')
    blocks = ingest_html(html, "page").blocks
    kept = " ".join(b.text for b in blocks if b.kept)
    assert all(sentence in kept for sentence in PROSE)
    for junk in ("SPONSORED", "reply YES", "Home › Health"):
        assert junk not in kept
        assert any(junk in b.text and b.reason for b in blocks if not b.kept), junk


def test_captions_pull_quotes_and_markers_stay_ours_inside_the_body():
    body = (f'<article><h1>Walking and the heart</h1><p>{PROSE[0]} [1]</p>'
            '<figure><img src="a.jpg" alt="Two women walking briskly along a river path at sunrise">'
            '<figcaption>Brisk walkers on a river path in Lyon, France.</figcaption></figure>'
            + "".join(f"<p>{p}</p>" for p in PROSE[1:]) +
            '<h2>References</h2><ol><li>Smith J, Lee K. Walking pace and heart attack. Heart. 2019;105:1-8.</li></ol>'
            '</article>')
    blocks = ingest_html(_page(body), "page").blocks
    kinds = {b.kind for b in blocks}
    assert BlockKind.CAPTION in kinds and BlockKind.REFERENCE in kinds
    assert any("[1]" in b.text for b in blocks if b.kept and b.kind == BlockKind.BODY)


def test_an_article_that_keeps_no_text_says_why_in_blocks_and_warnings():
    html = "<html><body><nav><a href='/a'>Home</a> <a href='/b'>News</a></nav><script>var x = 1;</script></body></html>"
    document = ingest_html(html, "empty")
    assert not any(b.kept for b in document.blocks)
    why = [b for b in document.blocks if b.reason.startswith("no article text kept: ")]
    assert len(why) == 1 and "removed" in why[0].reason
    assert any(w.startswith("no article text was kept: ") for w in document.warnings)


def test_without_a_body_from_trafilatura_a_container_is_judged_by_its_text_and_links():
    prose = " ".join(PROSE) * 2
    menu = " ".join(f"Section {i}" for i in range(40))
    assert keeps_container(prose, linked_chars=0, body=BodyText(""))
    assert not keeps_container(menu, linked_chars=len(menu), body=BodyText(""))
    assert not keeps_container("Share this story on social media", linked_chars=0, body=BodyText(""))
    # with a body, a small box named "disclaimer" stays removed even though the extractor kept its words
    body = BodyText(prose + " This page is not medical advice.")
    assert not keeps_container("This page is not medical advice.", linked_chars=0, body=body)
    assert keeps_container(prose, linked_chars=0, body=body)
