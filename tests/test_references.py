"""The reference parser: field accuracy on a labelled corpus (printed per field, tuned and
held-out parts apart), the 20 sample references fully right, garbage kept with a reason."""
from __future__ import annotations

import pytest

from pipeline.ingest.stage import ingest_path
from pipeline.models import Block, BlockKind, ParseStatus
from pipeline.references.stage import parse_reference, parse_references
from tests.conftest import RAW
from tests.refeval import accuracy, compare, load

PARTS = {
    "samples (tuned)": "samples.jsonl",
    "extra (tuned)": "tuned.jsonl",
    "held-out A (written before tuning)": "heldout.jsonl",
    "held-out B (written after tuning, never tuned on)": "heldout_b.jsonl",
}
# written before the parser was run on it; measured once before the fixes that followed (overall 0.785,
# 20/58 fully right), never tuned on: printed with the others, the bar applies to the parts above
# D was written after those fixes and before the parser was run on it; read once at 0.924 (25/30 fully right),
# before Nature/Science/APS/ACS support was added (the author of D knew D holds two such entries)
UNTUNED = {"held-out C (other fields and styles, read once before fixes)": "heldout_c.jsonl",
           "held-out D (written after C's fixes, never tuned on)": "heldout_d.jsonl",
           # E was written after every parser change and read once: 0.962, 26/30 fully right; its misses (an
           # Elsevier-Harvard entry, "No." in a report number, "(Master's thesis)", "d'Arge") are left as found
           "held-out E (written last, read once, never tuned on)": "heldout_e.jsonl"}


def test_corpus_size_and_spread():
    entries = [e for name in PARTS.values() for e in load(name)] + load("garbage.jsonl")
    assert len(entries) >= 100
    areas = {e.get("area") for e in entries if "area" in e}
    assert {"medicine", "physics", "social science", "book", "web page"} <= areas
    held_out = len(load("heldout.jsonl")) + len(load("heldout_b.jsonl"))
    assert held_out > len(load("samples.jsonl")) + len(load("tuned.jsonl")) - held_out


def test_field_accuracy_per_part():
    overall = {}
    for label, name in {**PARTS, **UNTUNED}.items():
        rates, total, wrong = accuracy(load(name))
        if label in PARTS:
            overall[label] = total
        print(f"\n{label}: {len(load(name))} references, overall field accuracy {total:.3f}")
        print("  " + ", ".join(f"{field} {rate:.2f}" for field, rate in sorted(rates.items())))
        for field, raw in wrong:
            print(f"  wrong {field}: {raw}")
    assert all(total >= 0.95 for total in overall.values()), overall


def test_every_sample_reference_is_parsed_fully_right():
    for entry in load("samples.jsonl"):
        assert all(compare(entry).values()), entry["raw"]
        assert parse_reference(entry["raw"]).parse_status == ParseStatus.PARSED


def test_garbage_is_kept_with_a_reason():
    for entry in load("garbage.jsonl"):
        reference = parse_reference(entry["raw"])
        assert reference.parse_status.value == entry["status"], entry["raw"]
        assert entry["note"] in reference.parse_note
        assert reference.raw == entry["raw"]


def test_garbage_covers_every_kind_and_none_is_dropped_or_merged():
    garbage = load("garbage.jsonl")
    notes = {entry["note"] for entry in garbage}
    # a line of prose, an empty bullet, a bare URL, two references run together
    assert {"looks like prose", "empty entry", "bare URL only", "two references run together"} <= notes
    assert any(entry["raw"].strip() in ("•", "-", "*") for entry in garbage)  # an empty bullet, not only ""
    good = load("samples.jsonl")[0]["raw"]
    raws = [good] + [entry["raw"] for entry in garbage] + [good]
    blocks = [Block(article="a", block_id=f"B{i + 1:04d}", index=i, source_line=i + 1, kind=BlockKind.REFERENCE,
                    kept=True, reason="", section="References", heading="", text=raw, original_text=raw)
              for i, raw in enumerate(raws)]
    references = parse_references(blocks)
    assert [r.raw for r in references] == raws  # one row per entry, in order: nothing dropped, nothing merged
    assert [r.ref_id for r in references] == [f"R{i}" for i in range(1, len(raws) + 1)]
    assert all(r.parse_note for r in references if r.parse_status != ParseStatus.PARSED)


def test_html_entry_links_supply_the_url_or_doi(tmp_path):
    page = tmp_path / "linked.html"
    page.write_text(
        "<html><body><h1>Sleep</h1><p>Sleep matters for health in many ways that studies describe.</p>"
        "<h2>References</h2><ol>"
        '<li><a href="https://www.example.org/sleep-facts">"Sleep facts"</a>. Example Health.</li>'
        '<li>Doe J. A study of naps. <a href="https://doi.org/10.1000/naps.1">J Sleep Res</a>. 2020;4(2):1-9.</li>'
        '<li><a href="/wiki/Internal">Internal page</a>, Wiki</li>'
        "</ol></body></html>", encoding="utf-8")
    references = parse_references(ingest_path(page).blocks)
    assert [r.url for r in references] == ["https://www.example.org/sleep-facts", "", ""]
    assert references[0].parse_status == ParseStatus.PARSED and "link" in references[0].parse_note
    assert references[1].doi == "10.1000/naps.1"
    assert references[2].parse_status != ParseStatus.PARSED  # a relative link is not a web address
    assert all(r.raw == r.raw.strip() and "href" not in r.raw for r in references)  # raw stays the printed text


def test_references_from_the_samples_end_to_end():
    for name in ("insulin-resistance-lifestyle", "exercise-metabolic-dysregulation"):
        document = ingest_path(RAW / f"{name}.txt")
        references = parse_references(document.blocks)
        assert [r.ref_id for r in references] == [f"R{i}" for i in range(1, 11)]
        assert all(r.parse_status == ParseStatus.PARSED for r in references)
        assert all(r.article == name and r.source_line > 100 for r in references)
        assert "∞" in "".join(r.raw for r in references)  # the raw entry is kept as listed
        assert "∞" not in "".join(r.title for r in references)


@pytest.mark.parametrize("raw", ["", "((((", "2020", "doi:", "10.1000/", "“”", "Smith, (2020). .", "a" * 5000,
                                 "Kahn SE. . 2006;:.", "\x00\x01"])
def test_odd_strings_never_raise(raw):
    reference = parse_reference(raw)
    assert reference.raw == raw and reference.parse_status in ParseStatus
    assert parse_reference(raw) == reference  # deterministic


def test_real_pages_reference_lists_parse():
    from tests.conftest import SHARED_CORPUS

    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus (real pages) is absent on this machine")
    statuses, text_only = [], []
    for page in sorted(SHARED_CORPUS.glob("*.html")):
        blocks = ingest_path(page).blocks
        references = parse_references(blocks)
        statuses.extend(r.parse_status for r in references)
        assert all(r.parse_note for r in references if r.parse_status != ParseStatus.PARSED)
        # the printed text alone, without the addresses the entries link to
        text_only.extend(parse_reference(b.original_text or b.text).parse_status
                         for b in blocks if b.kind == BlockKind.REFERENCE)
    parsed = statuses.count(ParseStatus.PARSED) / len(statuses)
    parsed_text = text_only.count(ParseStatus.PARSED) / len(text_only)
    print(f"\nreal pages: {len(statuses)} references, {parsed:.0%} parsed fully "
          f"({parsed_text:.0%} from the printed text alone, without the entries' links)")
    # since issue 15 `parsed` also needs the learned labeller sure of every core field; the entries it
    # flags here (a group author before a Vancouver title, "2019;2019:5682050", a report numbered like a
    # volume, an Epub date) are `partial` with the unsure fields named (measured 0.95 and 0.84; rules alone:
    # 0.95 and 0.89)
    assert len(statuses) == 128 and parsed >= 0.90 and parsed_text >= 0.80


@pytest.mark.parametrize("raw, field, want", [
    # a two-word family name without a particle
    ("Ortega Ruiz, M. J., Lee, K., et al. (2019). Sodium and sleep. Sleep Health, 5(2), 100-106.",
     "authors", ["Ortega Ruiz", "Lee"]),
    # Vancouver's edited book: ", editors." closes the names
    ("Braunwald E, Libby P, editors. Heart disease: a textbook. 9th ed. Philadelphia: Saunders; 2011.",
     "authors", ["Braunwald", "Libby"]),
    # a man named Ed is not an editor
    ("Yong, Ed. “Bees in trouble.” The Atlantic, 12 Mar. 2019, www.theatlantic.com/bees/.", "authors", ["Yong"]),
    # APA 7 e-locator written "Article 12345"
    ("Lee, K., & Park, J. (2020). Salt taste. Nature Communications, 11, Article 4521. https://doi.org/10.1/x",
     "pages", "4521"),
    # a title of two sentences: the second one is not part of the journal's name
    ("Smith, A., & Jones, B. (2015). Salt and the kidney. Part 2: tubular handling of sodium. Kidney International, "
     "88(3), 450-460.", "container", "Kidney International"),
    ("Stamler J. The INTERSALT study: background. Results for sodium and blood pressure. Am J Clin Nutr. "
     "1997;65(2):626S-642S.", "container", "Am J Clin Nutr"),
    ("Kahn SE, Hull RL. Mechanisms linking obesity to insulin resistance. J. Clin. Invest. 2006;116(7):1802-12.",
     "container", "J. Clin. Invest"),
])
def test_shapes_met_on_the_second_unseen_round(raw, field, want):
    reference = parse_reference(raw)
    got = [a.family for a in reference.authors] if field == "authors" else getattr(reference, field)
    assert got == want, (raw, got)
