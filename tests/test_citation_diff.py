"""The report's cited-over-corrected citation (pipeline/outputs/citation_diff.py and report.py)."""
from __future__ import annotations

from bs4 import BeautifulSoup

from pipeline.models import Author, Check, CrossrefWork, ParseStatus, Reference, Verdict
from pipeline.outputs.citation_diff import marked_words
from pipeline.outputs.corrected import Corrected
from pipeline.outputs.report import render_report


def test_changed_words_are_marked_and_style_punctuation_is_not():
    old, new = marked_words("Shulman, G. I. (2000). Cellular mechanisms. J Clin Invest, 106(2), 171-176.",
                            "Shulman, G. I. (2001). Cellular Mechanisms. J Clin Invest, 106(2), 171–179.")
    old_soup, new_soup = BeautifulSoup(old, "html.parser"), BeautifulSoup(new, "html.parser")
    assert [d.get_text() for d in old_soup.find_all("del")] == ["(2000).", "171-176."]
    assert [i.get_text() for i in new_soup.find_all("ins")] == ["(2001).", "171–179."]


def test_markup_in_either_citation_stays_text():
    old, new = marked_words("<script>alert(1)</script> Kahn", "Kahn <img src=x onerror=alert(1)>")
    assert "<script>" not in old and "&lt;script&gt;" in old and "<img" not in new


def test_report_shows_cited_over_corrected_for_a_flawed_reference():
    reference = Reference(article="a", ref_id="R1", source_line=3, raw="Shulman, G. I. (2000). Cellular mechanisms <b>x</b>.",
                          title="Cellular mechanisms", parse_status=ParseStatus.PARSED)
    work = CrossrefWork(doi="10.1/x", title="Cellular mechanisms", authors=(Author("Shulman", "G.I."),), year=2001)
    check = Check(article="a", ref_id="R1", verdict=Verdict.MISMATCH, mismatched_fields=("year",), work=work)
    fix = Corrected("apa", "Shulman, G. I. (2001). Cellular mechanisms.")
    soup = BeautifulSoup(render_report([], [], [reference], [check], corrected={("a", "R1"): fix}), "html.parser")
    box = soup.find(class_="fix")
    lines = [div.get_text(" ", strip=True) for div in box.find_all("div", recursive=False)]
    assert lines[0].startswith("cited: Shulman") and lines[1].startswith("corrected (apa): Shulman")
    assert [i.get_text() for i in box.find_all("ins")] == ["(2001)."]
    assert box.find("b") is None  # the scraped markup is shown as text


def test_audit_prints_the_corrected_citation_of_every_flawed_reference(tmp_path):
    from pipeline.outputs.audit import summarise
    from pipeline.outputs.csv_tables import REFERENCE_COLUMNS, write_csv

    rows = [{"article": "a", "ref_id": f"R{i}", "source_line": i, "raw": f"Cited {i}", "verdict": "mismatch",
             "mismatched_fields": "pages", "style": "apa", "corrected_citation": f"Fixed, A. (2001). Work {i}. J, 1, {i}."}
            for i in range(1, 9)]
    rows.append({"article": "a", "ref_id": "R9", "raw": "Gone", "verdict": "not_found", "note": "no candidate"})
    write_csv(tmp_path / "references.csv", REFERENCE_COLUMNS, rows)
    text = summarise(tmp_path)
    assert all(f"Work {i}." in text for i in range(1, 9))
    assert "corrected (apa): Fixed, A. (2001). Work 1." in text and "corrected citations of the other 3:" in text


def test_a_page_range_in_another_form_is_not_marked():
    old, new = marked_words("Nature, 444, 840-846.", "Nature 444: 840–46.")
    assert "<del>" not in old and "<ins>" not in new
