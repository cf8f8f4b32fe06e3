"""The ingest stage: labelled samples block by block, the caption detector on text written
apart from the samples, a built HTML page, and bad input."""
from __future__ import annotations

import codecs
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline.ingest.captions import score_caption
from pipeline.ingest.stage import IngestError, ingest_html, ingest_path, ingest_text
from pipeline.models import BlockKind
from pipeline.nlp import load_nlp
from tests.conftest import RAW, SHARED_CORPUS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SAMPLES = ["insulin-resistance-lifestyle", "exercise-metabolic-dysregulation"]


@pytest.fixture(scope="module")
def documents():
    return {name: ingest_path(RAW / f"{name}.txt") for name in SAMPLES}


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_blocks_match_the_labels_block_by_block(documents, name):
    labels = json.loads((DATA / f"labels-{name}.json").read_text(encoding="utf-8"))["blocks"]
    got = [[b.source_line, b.kind.value, b.kept] for b in documents[name].blocks]
    assert got == labels


@pytest.mark.parametrize("name, table_rows, pull_quotes", [
    ("insulin-resistance-lifestyle", 9, 3),
    ("exercise-metabolic-dysregulation", 8, 2),
])
def test_sample_bar(documents, name, table_rows, pull_quotes):
    blocks = documents[name].blocks
    kinds = Counter(b.kind for b in blocks)
    assert kinds[BlockKind.REFERENCE] == 10
    assert kinds[BlockKind.TABLE_ROW] == table_rows
    assert kinds[BlockKind.PULL_QUOTE] == pull_quotes
    for block in blocks:
        if block.kind in (BlockKind.CAPTION, BlockKind.GLOSSARY, BlockKind.BOILERPLATE, BlockKind.PULL_QUOTE):
            assert not block.kept and block.reason, block
        if block.kind in (BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.REFERENCE):
            assert block.kept and not block.reason, block
        if block.kind == BlockKind.PULL_QUOTE:
            restated = next(b for b in blocks if b.block_id == block.restates)
            assert restated.kind == BlockKind.BODY
        assert "∞" not in block.text and block.text == block.text.strip()
    # table rows name their columns
    rows = [b for b in blocks if b.kind == BlockKind.TABLE_ROW]
    assert all(b.text.count(":") >= len(b.headers) and len(b.cells) == len(b.headers) for b in rows)


def test_artifact_is_repaired_with_the_original_kept(documents):
    blocks = documents["insulin-resistance-lifestyle"].blocks
    cells = next(b for b in blocks if b.text.startswith("Insulin, a hormone synthesized"))
    assert "unlocking cells — particularly in muscle, liver, and fat tissues — to allow" in cells.text
    assert "∞" in cells.original_text
    item = next(b for b in blocks if b.kind == BlockKind.LIST_ITEM)
    assert item.text.startswith("Macronutrient Balance: Tailoring")


def _rates(path: Path, nlp):
    data = json.loads(path.read_text(encoding="utf-8"))
    tp = sum(score_caption(c, parsed=nlp(c)).is_caption for c in data["captions"])
    fp = sum(score_caption(b, parsed=nlp(b)).is_caption for b in data["bodies"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(data["captions"])
    return precision, recall, len(data["captions"]), len(data["bodies"])


# Every caption set, and whether the detector was tuned on it. A-E were read while the
# old rules were written; F was the untuned set of the rules (measured once: precision
# 0.94, recall 0.68); G was the untuned set of the first learned model (measured once,
# commit 53456d6: precision 0.975, recall 0.929) and is tuning data since (commit 225ec19;
# bench/train_captions.py fits the weights on A-G). H was written and committed alone
# (bd62f9d) before any detector output on it was read, and measured exactly once after
# tuning ended (commit ea0b010): it is the set the bar is judged on and must never be tuned on.
CAPTION_SETS = (
    ("A", "caption_heldout.json", "tuned"),
    ("B", "caption_heldout_b.json", "tuned"),
    ("C", "caption_heldout_c.json", "tuned"),
    ("D", "caption_heldout_d.json", "tuned"),
    ("E", "caption_heldout_e.json", "tuned"),
    ("F", "caption_heldout_f.json", "tuned"),
    ("G", "caption_heldout_g.json", "tuned"),
    ("H", "caption_heldout_h.json", "untuned"),
)


def test_caption_detector_on_text_written_apart_from_the_samples():
    nlp = load_nlp(disable=("ner", "lemmatizer"))
    results = {}
    for label, name, status in CAPTION_SETS:
        results[label] = p, r, nc, nb = _rates(DATA / name, nlp)
        print(f"caption removal, set {label} ({status}): precision {p:.2f} recall {r:.2f} ({nc} captions, {nb} bodies)")
    for label, name, status in CAPTION_SETS:
        if status == "tuned":  # fitted on: a guard against regressions, not a measure of generalisation
            assert results[label][0] >= 0.95 and results[label][1] >= 0.95, label
    precision, recall, _, _ = results["H"]
    # Measured once on H: precision 0.967 (58 captions removed, 2 of 58 bodies with them:
    # "A plate filled half with vegetables is a simple guide ..." and "Picture a runner at
    # the end of a marathon: ..."), recall 1.000 (58 of 58). Both meet the issue's 0.95 bar.
    assert precision >= 0.95
    assert recall >= 0.95


def test_captions_in_context_and_hard_negatives_in_a_text_dump():
    """Alt text two in a row and between prose and a heading is removed; a bulleted list
    line, sentence-case headings, unbulleted list runs and prose about light, dawn and
    runners are kept."""
    mixed = ingest_path(DATA / "mixed-captions.txt").blocks
    assert [b.source_line for b in mixed if b.kind == BlockKind.CAPTION] == [7, 8, 16]
    assert all(b.kept for b in mixed if b.kind != BlockKind.CAPTION)
    hard = ingest_path(DATA / "hard-negatives.txt").blocks
    assert all(b.kept for b in hard) and not any(b.kind == BlockKind.CAPTION for b in hard)


def test_sentence_case_headings_before_body_text_are_not_removed_as_captions(monkeypatch):
    """Short lines before body text stay headings; alt text between paragraphs and before
    a heading is still removed. And the order: a weak caption verdict without picture talk
    on a line where a sentence-case heading stands goes to the heading check first."""
    blocks = ingest_path(DATA / "sentence-case-headings.txt").blocks
    assert [b.source_line for b in blocks if b.kind == BlockKind.CAPTION] == [7, 19]
    assert [b.source_line for b in blocks if b.kind == BlockKind.HEADING] == [1, 3, 11, 15, 21]
    import pipeline.ingest.text_dump as ingest_text
    from pipeline.ingest.captions import CaptionVerdict

    real = ingest_text.captions.score_caption

    def weak_on_headings(text, **context):
        if text in ("Cooking for a family on a budget", "Keeping bones strong after fifty"):
            return CaptionVerdict(0.7, True, ("test",), talks_about_picture=False, may_be_heading=True)
        return real(text, **context)

    monkeypatch.setattr(ingest_text.captions, "score_caption", weak_on_headings)
    kinds = {b.source_line: b.kind for b in ingest_path(DATA / "sentence-case-headings.txt").blocks}
    assert kinds[11] == kinds[21] == BlockKind.HEADING and kinds[7] == kinds[19] == BlockKind.CAPTION


def test_caption_weights_are_fitted_from_the_committed_tuning_data():
    """pipeline/ingest/caption_weights.py is what bench/train_captions.py fits from tests/data."""
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "train_captions.py"), "--check"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_built_html_page():
    document = ingest_path(DATA / "built-page.html")
    by_kind = {}
    for block in document.blocks:
        by_kind.setdefault(block.kind, []).append(block)
    boiler = " ".join(b.text for b in by_kind[BlockKind.BOILERPLATE])
    for removed in ("Skip to main content", "We use cookies", "Home Sleep Heart", "Hidden promotional",
                    "Related articles", "All rights reserved", "document.write"):
        assert removed in boiler
    assert all(not b.kept for b in by_kind[BlockKind.BOILERPLATE])
    captions = [b.text for b in by_kind[BlockKind.CAPTION]]
    assert len(captions) == 3 and any(c.startswith("Figure 1.") for c in captions)
    assert all(not b.kept for b in by_kind[BlockKind.CAPTION])
    assert len(by_kind[BlockKind.PULL_QUOTE]) == 1 and by_kind[BlockKind.PULL_QUOTE][0].restates
    rows = by_kind[BlockKind.TABLE_ROW]
    assert [r.text for r in rows] == ["Sleep duration: Under 6 hours; Relative risk of hypertension: 1.2.",
                                      "Sleep duration: 7 to 8 hours; Relative risk of hypertension: 1.0."]
    assert [b.text[:10] for b in by_kind[BlockKind.REFERENCE]] == ["Cappuccio ", "Gangwisch "]
    assert len(by_kind[BlockKind.LIST_ITEM]) == 2 and len(by_kind[BlockKind.BODY]) == 2
    heading = next(b for b in document.blocks if b.text == "What the Studies Show")
    assert heading.source_line == 27  # the element's line in the file
    assert by_kind[BlockKind.LIST_ITEM][0].heading == "What the Studies Show"


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus (real pages) is absent on this machine")
@pytest.mark.parametrize("name, references", [
    ("12_nccih-meditation-mindfulness.html", 46),
    ("13_harvard-healthy-eating-plate.html", 6),
    ("14_oma-weight-loss-medications.html", 2),
    ("15_apa-psychiatry-scientific-trends.html", 2),
    ("16_wikipedia-mozilla.html", 72),
])
def test_real_pages_find_their_reference_lists(name, references):
    document = ingest_path(SHARED_CORPUS / name)
    kinds = Counter(b.kind for b in document.blocks)
    assert kinds[BlockKind.REFERENCE] == references
    assert kinds[BlockKind.BODY] >= 5


# -- bad input ---------------------------------------------------------------------------

def test_empty_whitespace_and_binary_files_fail_with_the_file_named(tmp_path):
    cases = {"empty.txt": b"", "blank.txt": b"  \n\t\n", "binary.txt": bytes(range(256)) * 10}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(IngestError) as error:
            ingest_path(tmp_path / name)
        assert name in str(error.value)
    assert "empty" in str(_error(tmp_path / "empty.txt"))
    assert "whitespace" in str(_error(tmp_path / "blank.txt"))
    assert "binary" in str(_error(tmp_path / "binary.txt"))


def _error(path):
    with pytest.raises(IngestError) as error:
        ingest_path(path)
    return error.value


def test_encodings(tmp_path):
    text = "Heading Line\n\nLindström and Hämäläinen showed that café owners sleep less. Simões agreed.\n"
    (tmp_path / "bom8.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (tmp_path / "bom16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    for name in ("bom8.txt", "bom16.txt", "legacy.txt"):
        document = ingest_path(tmp_path / name)
        assert any("Lindström and Hämäläinen" in b.text for b in document.blocks), name
        assert document.blocks[0].source_line == 1
    legacy = ingest_path(tmp_path / "legacy.txt")
    assert legacy.encoding == "cp1252" and any("cp1252" in w for w in legacy.warnings)


def test_too_large_file_is_rejected_with_a_clear_message(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Exercise improves insulin sensitivity in adults.\n\n" * 420_000)  # about 21 MB
    error = _error(big)
    assert "big.txt" in str(error) and "MB" in str(error) and "--max-file-mb" in str(error)


def test_no_reference_list_and_script_only_pages_warn_but_succeed():
    document = ingest_text("Title Here\n\nSleep improves memory consolidation in adults.\n", "plain")
    assert any("no reference list" in w for w in document.warnings)
    scripts = "<html><body>" + "<script>var x = 1;</script>" * 50 + "</body></html>"
    page = ingest_html(scripts, "scripts")
    assert any("no article text was kept" in w for w in page.warnings)
    # the 50 scripts, and one row saying why nothing was kept (issue 16: never an empty article silently)
    assert all(not b.kept for b in page.blocks) and len(page.blocks) == 51
    assert page.blocks[-1].reason.startswith("no article text kept: ")


def test_deeply_nested_html_does_not_crash():
    html = "<html><body>" + "<div>" * 3000 + "<p>Deep paragraph about sleep and the heart.</p>" + "</div>" * 3000
    document = ingest_html(html, "deep")
    assert any("Deep paragraph" in b.text for b in document.blocks)


def test_html_paragraph_is_a_caption_only_beside_a_picture():
    """In a page, alt text lives in attributes: a paragraph that merely describes a scene is
    body text unless it sits beside a picture or is marked as a caption."""
    scene = "A smiling woman in a red jacket jogging along a river path at sunrise"
    html = f"""<html><body><article><h1>Running and mood</h1>
    <p>{scene}.</p>
    <p>Regular running lowers resting heart rate and improves mood in adults.</p>
    <div class="wp-caption"><img src="run.jpg" alt=""><p class="wp-caption-text">{scene}</p></div>
    </article></body></html>"""
    blocks = ingest_html(html, "page").blocks
    far = next(b for b in blocks if b.text == scene + ".")
    beside = next(b for b in blocks if b.text == scene)
    assert far.kind == BlockKind.BODY and far.kept
    assert beside.kind == BlockKind.CAPTION and not beside.kept and beside.reason


def test_html_tables_name_their_columns_without_th_headers():
    """A first row of short labels in <td> cells heads the table; an infobox row of <th> key and
    <td> value reads "Key: value"; headings and lines that are site furniture are boilerplate."""
    html = """<html><body><main><h1>Drugs</h1>
    <table><tr><td>Drug name</td><td>Approved for</td></tr>
      <tr><td>Semaglutide</td><td>Adults, Children 12+</td></tr>
      <tr><td>Orlistat</td><td>Adults</td></tr></table>
    <table class="infobox"><tr><th>Founded</th><td>1998</td></tr><tr><th>Founder</th><td>Netscape</td></tr></table>
    <h2>Table of Contents</h2><p>Sponsored Ad</p><p>Orlistat blocks the enzyme that digests dietary fat.</p>
    </main></body></html>"""
    blocks = ingest_html(html, "page").blocks
    rows = [b.text for b in blocks if b.kind == BlockKind.TABLE_ROW]
    assert rows == ["Drug name: Semaglutide; Approved for: Adults, Children 12+.", "Drug name: Orlistat; Approved for: Adults.",
                    "Founded: 1998.", "Founder: Netscape."]
    furniture = [b for b in blocks if b.text in ("Table of Contents", "Sponsored Ad")]
    assert len(furniture) == 2 and all(b.kind == BlockKind.BOILERPLATE and not b.kept for b in furniture)


def test_wiki_furniture_and_marked_captions():
    html = """<html><body><div id="content"><h1>Mozilla</h1>
    <div id="siteSub">From Wikipedia, the free encyclopedia</div>
    <div class="hatnote" role="note">Main article: Firefox</div>
    <div class="thumb"><div class="thumbinner"><a href="#"><img src="x.png" alt=""></a>
      <div class="thumbcaption">Speakers discuss the future of news at the 2011 festival in London</div></div></div>
    <p>Firefox uses Gecko to render web pages and its user interface.</p></div></body></html>"""
    blocks = {b.text: b for b in ingest_html(html, "wiki").blocks}
    assert blocks["From Wikipedia, the free encyclopedia"].kind == BlockKind.BOILERPLATE
    assert blocks["Main article: Firefox"].kind == BlockKind.BOILERPLATE
    caption = blocks["Speakers discuss the future of news at the 2011 festival in London"]
    assert caption.kind == BlockKind.CAPTION and "marked as a caption" in caption.reason
    assert blocks["Firefox uses Gecko to render web pages and its user interface."].kind == BlockKind.BODY


def test_back_matter_is_removed_visibly_and_the_reference_list_after_it_survives():
    """Author bios, reviewer boxes, thanks and link lists are about the page, not its claims.
    (Written from the real pages' shapes: an OMA "Article reviewed by:" box, NCCIH
    Acknowledgments, Wikipedia See also; the texts here are new.)"""
    from pipeline.ingest.stage import ingest_html, ingest_text

    html = """<html><body><main><h1>Salt and Blood Pressure</h1><p>March 3, 2025</p>
<p>Cutting sodium by a gram a day lowers systolic pressure by a few millimetres of mercury.</p>
<h2>About the Author</h2><h3>Jane Roe, RD</h3>
<p>Jane Roe is a registered dietitian who has written about heart health for twenty years.</p>
<h2>References</h2><ol><li>He FJ, MacGregor GA. Salt reduction lowers cardiovascular risk. Lancet. 2011;378(9789):380-2.</li></ol>
<h2>See also</h2><ul><li>Hypertension</li><li>Potassium in food</li></ul>
<h2>For More Information</h2><p>Toll-free helpline: 1-800-555-0100, weekdays from nine to five.</p>
<h2>Permissions for Use</h2><p>The chart may be reproduced for non-commercial teaching with credit to the authors.</p>
</main></body></html>"""
    blocks = ingest_html(html, "salt").blocks
    kinds = {b.text: (b.kind, b.kept) for b in blocks}
    assert kinds["Jane Roe is a registered dietitian who has written about heart health for twenty years."] == \
        (BlockKind.BOILERPLATE, False)
    assert kinds["Jane Roe, RD"] == (BlockKind.BOILERPLATE, False)
    assert kinds["Hypertension"] == (BlockKind.BOILERPLATE, False)
    assert kinds["March 3, 2025"] == (BlockKind.BOILERPLATE, False)
    assert kinds["Toll-free helpline: 1-800-555-0100, weekdays from nine to five."] == (BlockKind.BOILERPLATE, False)
    assert kinds["The chart may be reproduced for non-commercial teaching with credit to the authors."] == \
        (BlockKind.BOILERPLATE, False)
    bio = next(b for b in blocks if b.text.startswith("Jane Roe is"))
    assert "About the Author" in bio.reason
    assert kinds["Cutting sodium by a gram a day lowers systolic pressure by a few millimetres of mercury."] == \
        (BlockKind.BODY, True)
    assert [b.kind for b in blocks if b.text.startswith("He FJ")] == [BlockKind.REFERENCE]
    text = ("Salt and Blood Pressure\n\nCutting sodium lowers systolic pressure in most adults.\n\n"
            "Acknowledgments\n\nWe thank the reviewers for their careful reading of this page.\n\n"
            "References\n\n1. He FJ, MacGregor GA. Salt reduction lowers cardiovascular risk. Lancet. 2011;378:380-2.\n")
    blocks = ingest_text(text, "salt").blocks
    thanks = next(b for b in blocks if b.text.startswith("We thank"))
    assert (thanks.kind, thanks.kept) == (BlockKind.BOILERPLATE, False)
    assert any(b.kind == BlockKind.REFERENCE for b in blocks)
    assert any(b.kind == BlockKind.BODY and b.text.startswith("Cutting sodium") for b in blocks)


def test_inline_elements_join_as_a_browser_shows_them():
    """No space is invented at an inline element's edge ("<b>Name</b>: value", "(<a>link</a>)"),
    a <br> still separates words, a stop before an <i> title gets its space, and superscript
    markers stay spaced so the sentence before them still ends."""
    from pipeline.ingest.stage import ingest_html

    html = """<html><body><main><h1>Weight loss drugs</h1>
<ul><li><strong>Tirzepatide (Zepbound)</strong>: up to 22.5% average weight loss in trials</li></ul>
<p>The browser for phones (codenamed <a href="/f">Fennec</a>) is built for devices, see www.<wbr>mozilla.<wbr>org today.</p>
<p>First line of an address<br>second line of it, which is longer than the first line.</p>
<p>Brain decoding reveals internal states of attention during meditation.<i>Frontiers in Human Neuroscience</i>. 2020;14:336.</p>
<p>The community supports free software.<sup class="reference"><a href="#c1">[1]</a></sup> It began in 1998.<sup>2</sup></p>
</main></body></html>"""
    texts = [b.text for b in ingest_html(html, "inline").blocks if b.kept]
    assert "Tirzepatide (Zepbound): up to 22.5% average weight loss in trials" in texts
    assert "The browser for phones (codenamed Fennec) is built for devices, see www.mozilla.org today." in texts
    assert "First line of an address second line of it, which is longer than the first line." in texts
    assert any(t.startswith("Brain decoding") and "meditation. Frontiers in Human" in t for t in texts)
    assert "The community supports free software. [1] It began in 1998. [2]" in texts


def test_page_tools_bylines_disclaimers_and_marked_pull_quotes_are_removed():
    """Shapes met on the second unseen round (new texts here): a tools bar of links, a byline
    with its reviewer and reading time, the medical disclaimer, and pull-quotes the page marks
    by class, one inside an <aside>, one whose wording strays from the paragraph it repeats."""
    from pipeline.ingest.stage import ingest_html

    html = """<html><body><main><div class="page-tools"><a href="#">Print this page</a> <a href="#">Email a friend</a></div>
<article><h1>Salt and the heart</h1>
<div class="entry-meta">By Ann Lee, RD · Medically reviewed by Dr. Bo Chan · 6 min read</div>
<p>Most adults eat about twice the sodium that guidelines advise, mostly from bread and processed food.</p>
<figure class="wp-block-pullquote"><blockquote><p>Half of our salt hides in bread.</p><cite>Heart Notes</cite></blockquote></figure>
<aside class="pull-quote"><p>Cutting salt lowers pressure within weeks.</p></aside>
<p>Lower sodium intake lowers blood pressure within four weeks in people with and without hypertension.</p>
<div class="article-disclaimer"><p>Please talk to your doctor before changing your diet.</p></div>
<p>This information is not intended as a substitute for professional medical care.</p>
</article></main></body></html>"""
    blocks = ingest_html(html, "salt").blocks
    kept = " ".join(b.text for b in blocks if b.kept)
    for removed in ("Print this page", "Email a friend", "Ann Lee", "talk to your doctor", "not intended as a substitute"):
        assert removed not in kept, removed
    quotes = [b for b in blocks if b.kind == BlockKind.PULL_QUOTE]
    assert [q.text.split(".")[0] for q in quotes] == ["Half of our salt hides in bread", "Cutting salt lowers pressure within weeks"]
    assert all(not q.kept and "marked as a pull-quote" in q.reason for q in quotes)
    assert "Most adults eat about twice the sodium" in kept and "Lower sodium intake lowers" in kept


def test_link_only_items_teasers_and_download_links_are_removed():
    """A list of other stories, a "Read more:" teaser and a download link are navigation, not
    the article (shapes of the third unseen round; texts here are new)."""
    from pipeline.ingest.stage import ingest_html

    html = """<html><body><main><article><h1>Pollen and asthma</h1>
<p>Pollen counts peak on warm, dry and windy mornings in late spring.</p>
<p class="teaser-line"><strong>Read more:</strong> <a href="/x">Why hay fever seasons are getting longer</a></p>
<p><a href="/files/pollen.pdf">Download this guide (PDF, 120 KB)</a></p>
<p>Rain washes pollen out of the air, so counts often fall after a <a href="/storm">thunderstorm</a> passes.</p>
<h2>More in Health</h2><ul><li><a href="/a">Ten myths about sunscreen</a></li><li><a href="/b">How to read a food label</a></li></ul>
</article></main></body></html>"""
    blocks = ingest_html(html, "pollen").blocks
    kept = " ".join(b.text for b in blocks if b.kept)
    for removed in ("Why hay fever seasons", "Download this guide", "Ten myths about sunscreen", "How to read a food label"):
        assert removed not in kept, removed
    assert "Pollen counts peak" in kept and "Rain washes pollen out of the air" in kept  # prose with a link stays
