"""`make audit`: what needs attention, grouped by article with counts, printed safely."""
from pipeline.outputs.audit import summarise
from pipeline.cli import main
from pipeline.outputs.csv_tables import CLAIM_COLUMNS, REFERENCE_COLUMNS, write_csv


def _claim(article, claim_id, sentence, **extra):
    return {"article": article, "claim_id": claim_id, "source_line": 3, "sentence": sentence, "is_claim": "true",
            **extra}


def _tables(out, with_support=True):
    support = (lambda value: {"support": value}) if with_support else (lambda value: {})
    columns = REFERENCE_COLUMNS + (("linked_claims",) if "linked_claims" not in REFERENCE_COLUMNS else ())
    write_csv(out / "references.csv", columns, [
        {"article": "alpha", "ref_id": "R1", "source_line": 20, "raw": "Fine (2000).", "verdict": "verified",
         "linked_claims": "0"},
        {"article": "alpha", "ref_id": "R2", "source_line": 21, "raw": "Pages off (2001).", "verdict": "mismatch",
         "mismatched_fields": "pages;year"},
        {"article": "alpha", "ref_id": "R3", "source_line": 22, "raw": "Made up (2020).", "verdict": "not_found",
         "note": "nearest candidate: 'Something else'"},
        {"article": "alpha", "ref_id": "R4", "source_line": 23, "raw": "Withdrawn (1998).", "verdict": "verified",
         "retracted": "true", "update_notice": "retraction 10.1/r"},
        {"article": "beta", "ref_id": "R1", "source_line": 9, "raw": "Offline (2010).", "verdict": "unchecked",
         "note": "offline and not in the cache"},
    ])
    write_csv(out / "claims.csv", CLAIM_COLUMNS, [
        _claim("alpha", "C1", "Exercise improves insulin sensitivity.", **support("supported"),
               linked_refs="R1", best_ref_verdict="verified"),
        _claim("alpha", "C2", "Sleep loss \x1b[2J\x1b[31mclears the screen\u202e.", **support("unsupported")),
        _claim("alpha", "C3", "Targeted are a direct intervention.", **support("weak"), linked_refs="R3",
               best_ref_verdict="not_found", scrape_damage="token 1: determiner with no head noun"),
        _claim("alpha", "C4", "Fasting cures diabetes.", **support("supported"), review_status="disputed",
               reviewer_note="overstated"),
        _claim("beta", "C5", '=HYPERLINK("http://evil.example","x") works.', **support("unsupported"),
               review_status="maybe"),
        {"article": "beta", "claim_id": "C6", "source_line": 4, "sentence": "You may feel tired.", "is_claim": "false"},
    ])


def test_summary_groups_by_article_with_counts(tmp_path):
    _tables(tmp_path)
    text = summarise(tmp_path)
    alpha, beta, totals = text.split("\n\n")
    assert alpha.startswith("== alpha: 4 claims in 4 sentences, 4 references")
    assert "verdicts: mismatch 1, not_found 1, verified 2" in alpha
    assert "references mismatch (1):\n     R2 line 21: Pages off (2001).  [pages;year]" in alpha
    assert "references not_found (1):\n     R3 line 22: Made up (2020).  [nearest candidate: 'Something else']" in alpha
    assert "RETRACTED R4: retraction 10.1/r" in alpha
    assert "references no claim links to (1):\n     R1 line 20: Fine (2000)." in alpha
    assert "unsupported claims (1):\n     line 3: Sleep loss" in alpha
    assert "claims resting on a not_found/misattributed reference (1)" in alpha
    assert "sentences with scraping damage (1)" in alpha and "determiner with no head noun" in alpha
    assert "claims reviewed disputed or needs_source (1)" in alpha and "disputed: overstated" in alpha
    assert beta.startswith("== beta: 1 claims in 2 sentences, 1 references")
    assert "references unchecked (1)" in beta and "offline and not in the cache" in beta
    assert 'line 3: =HYPERLINK("http://evil.example","x") works.' in beta  # shown as typed, apostrophe off
    for line in ("references mismatch: 1", "references not_found: 1", "references unchecked: 1",
                 "references retracted: 1", "references no claim links to: 1", "claims unsupported: 2",
                 "claims resting on a not_found/misattributed reference: 1", "sentences with scraping damage: 1",
                 "claims reviewed disputed or needs_source: 1", "invalid review_status values: 1"):
        assert f"   {line}" in totals
    assert "claims.csv row 6 (claim C5): invalid review_status 'maybe'" in totals


def test_escape_sequences_and_bidi_overrides_never_reach_the_terminal(tmp_path):
    _tables(tmp_path)
    text = summarise(tmp_path)
    assert "clears the screen" in text
    assert not any(ch in text for ch in "\x1b\x07\r\u202e"), "control characters are taken out"


def test_without_linking_support_is_not_called_unsupported(tmp_path):
    _tables(tmp_path, with_support=False)
    text = summarise(tmp_path)
    assert "unsupported claims (" not in text and "claims unsupported: not known" in text


def test_audit_command_exits_0_with_findings_and_without_results(tmp_path, capsys):
    assert main(["audit", "--out", str(tmp_path)], environ={}) == 0
    assert "No results in" in capsys.readouterr().out
    _tables(tmp_path)
    assert main(["audit", "--out", str(tmp_path)], environ={}) == 0
    assert "== needs attention, all articles" in capsys.readouterr().out


def test_an_article_that_kept_no_text_has_its_row_with_the_reason(tmp_path):
    """issue 16: never an empty article silently; blocks.csv holds why, the summary shows it."""
    from pipeline.outputs.csv_tables import BLOCK_COLUMNS

    _tables(tmp_path)
    write_csv(tmp_path / "blocks.csv", BLOCK_COLUMNS, [
        {"article": "gamma", "block_id": "B0001", "kind": "boilerplate", "kept": "false", "text": "<script>",
         "reason": "site boilerplate: <script> element"},
        {"article": "gamma", "block_id": "B0002", "kind": "boilerplate", "kept": "false", "text": "(no article text kept)",
         "reason": "no article text kept: trafilatura found no article body, and every block of text was removed"},
    ])
    text = summarise(tmp_path)
    assert "== gamma: 0 claims in 0 sentences, 0 references" in text
    assert "no article text kept: trafilatura found no article body" in text
    assert "articles that kept no text: 1" in text
