"""matching.py, pure: citations as a correct parse gives them, judged against the fixture world's works
(ranked by the stand-in's search index, without HTTP), so the matcher is tested apart from the parser.

The held-out cases here are the ones whose end-to-end result in test_crossref.py is held back by
the reference parser (authors in MLA with full given names, a surname particle in Vancouver, an
APA chapter's editor, a letter e-locator as the page, an LNCS volume): with the fields a correct
parse gives, the matcher reaches the labelled verdict and the exact mismatched fields.
"""
from __future__ import annotations

import json
import re

import pytest

from pipeline.crossref.stage import bibliographic_query
from pipeline.crossref.works import work_from_item
from pipeline.crossref.matching import judge
from pipeline.crossref.titles import title_similarity
from pipeline.crossref.validation import container_agrees
from pipeline.models import Author, CrossrefWork, Reference, Verdict
from tests.crossref_server import FIXTURES, Index

ITEMS = json.loads(FIXTURES.read_text(encoding="utf-8"))
INDEX = Index(ITEMS)
BY_DOI = {i["DOI"].casefold(): i for i in ITEMS}


def _ref(authors: str, year: int, title: str, container: str, volume: str = "", issue: str = "", pages: str = "",
         doi: str = "") -> Reference:
    people = tuple(Author(*name.rsplit(" ", 1)) if re.search(r" [A-Z]{1,3}$", name) else Author(name)
                   for name in authors.split("; "))  # "Myers N" -> Myers, N; a group author stays whole
    return Reference(article="a", ref_id="R1", source_line=1, raw="", authors=people, year=year, title=title,
                     container=container, volume=volume, issue=issue, pages=pages, doi=doi)


def _judge(reference: Reference):
    candidates = [work_from_item(item) for _, item in INDEX.search(bibliographic_query(reference), 5)]
    cited = work_from_item(BY_DOI[reference.doi.casefold()]) if reference.doi.casefold() in BY_DOI else None
    return judge(reference, candidates, cited, bool(reference.doi) and cited is None)


CORRECTLY_PARSED = [
    (_ref("Open Science Collaboration", 2015, "Estimating the reproducibility of psychological science", "Science",
          "349", "6251", "aac4716", "10.1126/science.aac4716"), Verdict.VERIFIED, ()),
    (_ref("Gilbert DT; King G; Pettigrew S; Wilson TD", 2016,
          "Comment on ‘Estimating the Reproducibility of Psychological Science.’", "Science", "351", "6277", "1037"),
     Verdict.VERIFIED, ()),
    (_ref("Baddeley AD; Hitch G", 1974, "Working memory", "The psychology of learning and motivation", "8", "",
          "47-89"), Verdict.VERIFIED, ()),
    (_ref("Myers N; Mittermeier RA; Mittermeier CG; da Fonseca GA; Kent J", 2001,
          "Biodiversity hotspots for conservation priorities", "Nature", "403", "6772", "835-838"),
     Verdict.MISMATCH, ("year", "pages")),
    (_ref("Kahneman D; Tversky A", 1979, "Prospect Theory: An Analysis of Decision under Risk", "Econometrica", "47",
          "2", "263-291"), Verdict.VERIFIED, ()),
    (_ref("He K; Zhang X; Ren S; Sun J", 2016, "Identity mappings in deep residual networks",
          "Computer Vision – ECCV 2016", "9908", "", "630-646"), Verdict.MISMATCH, ("pages",)),
]


@pytest.mark.parametrize("reference, verdict, mismatched", CORRECTLY_PARSED, ids=[r.title[:30] for r, *_ in CORRECTLY_PARSED])
def test_heldout_cases_the_parser_holds_back_are_judged_right_from_a_correct_parse(reference, verdict, mismatched):
    check = _judge(reference)
    assert (check.verdict, check.mismatched_fields) == (verdict, mismatched), check.note


def test_titles_stating_different_numbers_are_different_works():
    assert title_similarity("Cancer statistics, 2017", "Cancer statistics, 2020") < 0.9
    assert title_similarity("Cancer statistics, 2020", "Cancer statistics, 2020") == 1.0
    # a title cut at its colon may drop a number: only numbers on both sides that differ count
    assert title_similarity("Effect of potentially modifiable risk factors in 52 countries",
                            "Effect of potentially modifiable risk factors in 52 countries: the 2004 study") >= 0.9
    check = _judge(_ref("Siegel RL; Miller KD; Jemal A", 2017, "Cancer statistics, 2017", "CA Cancer J Clin", "67", "1",
                        "7-30"))
    assert check.verdict == Verdict.NOT_FOUND and "Cancer statistics, 20" in check.note


@pytest.mark.parametrize("cited", ["Bjoernstad", "Bjørnstad", "Bjornstad"])
def test_family_names_agree_folded_or_transliterated(cited):
    check = _judge(_ref(f"{cited} ON; Grenfell BT", 2001, "Noisy clockwork: time series analysis of population "
                        "fluctuations in animals", "Science", "293", "5530", "638-643"))
    assert (check.verdict, check.mismatched_fields) == (Verdict.VERIFIED, ())


def test_a_transliteration_is_not_any_other_name():
    check = _judge(_ref("Bjerknes ON; Grenfell BT", 2001, "Noisy clockwork: time series analysis of population "
                        "fluctuations in animals", "Science", "293", "5530", "638-643"))
    assert check.mismatched_fields == ("authors",)


def test_book_and_proceedings_containers():
    book = CrossrefWork(doi="x", type="book", container="Springer Series in Statistics", publisher="Springer New York")
    assert container_agrees("Springer", book) and container_agrees("Springer Series in Statistics", book)
    assert not container_agrees("Academic Press", book)
    article = CrossrefWork(doi="y", type="journal-article", container="Nature", publisher="Springer Science and Business")
    assert not container_agrees("Springer", article)  # an article's venue is its journal, never its publisher
    paper = CrossrefWork(doi="z", type="proceedings-article",
                         container="2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)")
    assert container_agrees("Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition", paper)
    assert container_agrees("In: 2016 IEEE Conference on Computer Vision and Pattern Recognition", paper)
    assert not container_agrees("IEEE International Conference on Computer Vision", paper)
    chapter = CrossrefWork(doi="w", type="book-chapter", container="Lecture Notes in Computer Science",
                           container_titles=("Lecture Notes in Computer Science", "Computer Vision – ECCV 2016"))
    assert container_agrees("Computer Vision – ECCV 2016", chapter)
    assert container_agrees("Lecture Notes in Computer Science", chapter)


def test_a_web_page_crossref_does_not_find_is_unchecked_not_possibly_fabricated():
    from pipeline.references.stage import parse_reference

    page = parse_reference("World Health Organization. (2023, May 1). Anaemia. "
                           "https://www.who.int/news-room/fact-sheets/detail/anaemia")
    assert page.type_guess == "web-page"
    check = judge(page, [])
    assert check.verdict == Verdict.UNCHECKED and "Crossref does not index" in check.note and "who.int" in check.note
    report = parse_reference("World Health Organization. Global report on hearing. Geneva: World Health Organization; 2021.")
    assert report.type_guess == "report" and judge(report, []).verdict == Verdict.UNCHECKED
    book = parse_reference("Kaplan NM. Clinical hypertension. 11th ed. Philadelphia: Wolters Kluwer; 2015.")
    assert book.type_guess == "book" and judge(book, []).verdict == Verdict.NOT_FOUND
    assert "not in Crossref" in judge(book, []).note
    paper = parse_reference("Nobody, A. (2020). A study that was never written. Journal of Nothing, 3(2), 1-9.")
    assert judge(paper, []).verdict == Verdict.NOT_FOUND
