"""The HTML report: self-contained, escaped, scripts forbidden; verdicts, side-by-side fields,
retractions, doi.org links, the chart and the collapsed removed blocks."""
import base64
import hashlib
import re
from html.parser import HTMLParser

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import (Author, Block, BlockKind, Check, Claim, CrossrefWork, FieldComparison, Link,
                             LinkMethod, Reference, Support, Verdict)
from pipeline.outputs.report import render_report

EVIL = "<script>document.title='PWNED'</script><img src=x onerror=\"alert(1)\">\"'&"
ARTICLE = "art<b onmouseover=alert(1)>"


def _records(evil=EVIL, article=ARTICLE):
    blocks = [
        Block(article, "B0001", 0, 1, BlockKind.BODY, True, "", "S", "H " + evil, "Exercise helps. " + evil, ""),
        Block(article, "B0002", 1, 3, BlockKind.CAPTION, False, "image alt text " + evil, "S", "H",
              "A picture of " + evil, ""),
    ]
    claims = [
        Claim(article, "C1", "B0001", 1, "S", "H", "Exercise improves insulin sensitivity " + evil, 0.9, True,
              ("causal_verb",), ("token 1: hole " + evil,)),
        Claim(article, "C2", "B0001", 1, "S", "H", "Not a claim " + evil, 0.1, False),
        Claim(article, "C3", "B0001", 1, "S", "H", "often begins when " + evil, 0.2, False,
              scrape_damage=("start: lowercase",)),
    ]
    references = [
        Reference(article, "R1", 10, "Kelley (2000). Title " + evil, (Author("Kelley", "D"),), year=2000,
                  title="Title " + evil, doi='10.1/x"><script>alert(1)</script>'),
        Reference(article, "R2", 11, "Shulman (2000). Retracted work.", year=2000, title="Retracted work",
                  doi="10.1172/JCI10583"),
        Reference(article, "R3", 12, "Nobody (2020). Made up " + evil, year=2020, title="Made up"),
    ]
    checks = [
        Check(article, "R1", Verdict.MISMATCH, ("year", "pages"), 0.8,
              CrossrefWork("10.1/real", title="Title " + evil, year=2001, pages="1-9"),
              (FieldComparison("title", "Title " + evil, "Title " + evil, True, 1.0),
               FieldComparison("year", "2000", "2001 " + evil, False, 0.5),
               FieldComparison("pages", "163-168", "1-9", False, 0.0))),
        Check(article, "R2", Verdict.VERIFIED, (), 1.0, CrossrefWork("10.1172/JCI10583", title="Retracted work"),
              retracted=True, update_notice="retraction 10.1172/retract " + evil),
        Check(article, "R3", Verdict.NOT_FOUND, note="nearest candidate " + evil),
    ]
    links = [Link(article, "C1", ("R1", "R2"), (0.8, 0.6), LinkMethod.INFERRED, Support.SUPPORTED, "mismatch"),
             Link(article, "C2")]
    return blocks, claims, references, checks, links


def _page(**kwargs):
    blocks, claims, references, checks, links = _records()
    html = render_report(blocks, claims, references, checks, kwargs.get("links", links),
                         failed={"bad " + EVIL + ".txt": "binary " + EVIL})
    return html, BeautifulSoup(html, "html.parser")


def test_no_markup_from_scraped_text_survives():
    html, soup = _page()
    assert not soup.find_all(["script", "img", "iframe", "object", "embed", "link", "form", "base"])
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (tag.name, name)
            if name in ("href", "src", "xlink:href", "action"):
                assert name == "href" and (value.startswith("https://doi.org/") or value.startswith("#a-")), value
    # every payload is shown as text (escaped), never dropped
    text = soup.get_text()
    assert text.count("<script>document.title='PWNED'</script>") >= 8
    assert "art<b onmouseover=alert(1)>" in text and "A picture of <script>" in text
    # attribute values in the source are quoted; no raw '<script' anywhere in the source
    assert "<script" not in html.lower()
    assert _unquoted_attributes(html) == []


class _StartTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(self.get_starttag_text())

    handle_startendtag = handle_starttag


def _unquoted_attributes(html):
    """Attribute values in the page's source that are not in quotes."""
    parser = _StartTags()
    parser.feed(html)
    attribute = re.compile(r"""\s([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
    return [(tag, value) for tag in parser.tags for _, value in attribute.findall(tag) if value[0] not in "\"'"]


def test_content_security_policy_forbids_scripts_and_allows_only_the_own_style():
    html, soup = _page()
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    policy = meta["content"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy and "unsafe-inline" not in policy
    style = soup.find_all("style")
    assert len(style) == 1
    digest = base64.b64encode(hashlib.sha256(style[0].string.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert not soup.find_all(style=True), "inline style attributes would be blocked by the policy"
    assert "http://" not in html and "//cdn" not in html  # nothing to fetch: works offline


def test_doi_links_are_percent_encoded_and_only_point_at_doi_org():
    _, soup = _page()
    hrefs = [a["href"] for a in soup.find_all("a") if not a["href"].startswith("#")]
    assert "https://doi.org/10.1/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E" in hrefs
    assert "https://doi.org/10.1/real" in hrefs  # Crossref's DOI beside a different cited one
    assert "https://doi.org/10.1172/JCI10583" in hrefs
    assert hrefs.count("https://doi.org/10.1172/JCI10583") == 1  # same DOI cited and found: shown once


def test_verdicts_side_by_side_fields_retraction_and_removed_blocks():
    _, soup = _page()
    section = soup.find("section")
    rows = {tr.find("td").get_text(): tr for tr in section.find_all("table")[0].find("tbody").find_all(
        "tr", recursive=False)}
    assert set(rows) == {"R1", "R2", "R3"}
    assert rows["R1"].find(class_="badge").get_text() == "mismatch"
    diff = rows["R1"].find("table", class_="diff")
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in diff.find("tbody").find_all("tr")]
    assert cells == [["year", "2000", "2001 " + EVIL], ["pages", "163-168", "1-9"]]  # mismatches, visible
    assert rows["R1"].find("details").find("td").get_text() == "title"  # agreeing fields collapsed
    assert rows["R2"].find(class_="retracted").get_text() == "RETRACTED"
    assert "retraction 10.1172/retract" in rows["R2"].get_text()
    assert rows["R3"].find(class_="badge").get_text() == "not_found" and "nearest candidate" in rows["R3"].get_text()
    removed = section.find_all("details", recursive=False)
    assert len(removed) == 1 and "open" not in removed[0].attrs
    assert removed[0].find("summary").get_text() == "Removed blocks (1)"
    assert "image alt text" in removed[0].get_text()


def test_claims_with_links_support_and_best_reference():
    _, soup = _page()
    claims_table = next(t for t in soup.find("section").find_all("table") if t.find("th", string="claim"))
    body_rows = claims_table.find("tbody").find_all("tr", recursive=False)
    assert len(body_rows) == 2  # the check-worthy sentence and the damaged non-claim, not the plain one
    assert "not scored as a claim" in body_rows[1].get_text() and body_rows[1].find(class_="damage")
    assert [td.get_text() for td in body_rows[1].find_all("td")[2:]] == ["", "", ""]  # no support asked
    text = body_rows[0].get_text(" ")
    assert "supported" in text and "R1" in text and "R2" in text and "0.80" in text
    targets = [a["href"][1:] for a in body_rows[0].find_all("a")]
    assert targets == ["a-art-b-onmouseover-alert-1----R1", "a-art-b-onmouseover-alert-1----R2"]
    assert all(soup.find(id=target) is not None for target in targets)  # each link lands on its reference
    assert body_rows[0].find(class_="damage") is not None
    assert body_rows[0].find(class_="badge").get_text() == "mismatch"


def test_without_links_the_report_says_so_instead_of_calling_claims_unsupported():
    _, soup = _page(links=None)
    section = soup.find("section")
    assert "were not linked" in section.get_text()
    assert not section.find("th", string="support") and "unsupported" not in section.find("p", class_="summary").get_text()


def test_chart_counts_verdicts_per_article():
    blocks, claims, references, checks, links = _records()
    other = [Reference("zeta", "R1", 1, "x"), Reference("zeta", "R2", 2, "y")]  # never checked
    soup = BeautifulSoup(render_report(blocks, claims, references + other, checks, links), "html.parser")
    svg = soup.find("svg")
    titles = sorted(t.get_text() for t in svg.find_all("title"))
    assert titles == ["mismatch: 1", "not_found: 1", "unchecked: 2", "verified: 1"]
    assert [s.get("id") for s in soup.find_all("section")] == ["a-art-b-onmouseover-alert-1--", "a-zeta"]


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "nav", "a", "svg", "text",
                "rect", "section", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "br", "details",
                "summary", "ul", "li", "b"}


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_scraped_text_stays_text(text):
    blocks, claims, references, checks, links = _records(evil=text, article="a" + text)
    soup = BeautifulSoup(render_report(blocks, claims, references, checks, links), "html.parser")
    assert {tag.name for tag in soup.find_all(True)} <= ALLOWED_TAGS
    assert not [name for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
    if "\r" not in text and "\x00" not in text:
        assert "Exercise improves insulin sensitivity " + text in soup.get_text()


def test_chart_fits_a_long_reference_list():
    references = [Reference("long", f"R{i}", i, "x") for i in range(1, 301)]
    svg = BeautifulSoup(render_report([], [], references), "html.parser").find("svg")
    assert int(svg["width"]) <= 1000
    assert float(svg.find("rect")["width"]) <= 560


def test_reviews_carried_from_claims_csv_are_shown_escaped_with_their_status():
    blocks, claims, references, checks, links = _records()
    reviews = {"C1": ("disputed", "wrong dose " + EVIL), "C3": ("maybe", "")}
    html = render_report(blocks, claims, references, checks, links, reviews=reviews, orphaned=2)
    soup = BeautifulSoup(html, "html.parser")
    assert "<script>" not in html and "2 review(s) whose claim disappeared" in soup.get_text()
    claims_table = next(t for t in soup.find("section").find_all("table") if t.find("th", string="review"))
    rows = claims_table.find("tbody").find_all("tr", recursive=False)
    assert rows[0].find(class_="review-disputed").get_text() == "disputed"
    assert ("wrong dose " + EVIL) in rows[0].get_text()  # the note as typed, as text
    assert rows[1].find(class_="review-invalid").get_text() == "maybe"  # shown, flagged, not dropped
    assert "2 reviewed (disputed 1, maybe 1)" in soup.find("p", class_="summary").get_text()
    unreviewed = render_report(blocks, claims, references, checks, links)
    assert 'th>review<' not in unreviewed  # no empty column when nobody has reviewed yet
