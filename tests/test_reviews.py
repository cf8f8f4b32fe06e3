"""Reviewer columns survive reruns; orphaned and invalid reviews are kept, never dropped."""
from pipeline.outputs.reviews import carry_over, orphan_rows, read_reviews
from pipeline.outputs.csv_tables import CLAIM_COLUMNS, write_csv


def _claims_csv(path, rows):
    write_csv(path, CLAIM_COLUMNS, rows)


def test_reviews_are_read_and_split(tmp_path):
    path = tmp_path / "claims.csv"
    _claims_csv(path, [
        {"article": "a", "claim_id": "C1", "sentence": "kept", "review_status": "confirmed", "reviewer_note": "ok"},
        {"article": "a", "claim_id": "C2", "sentence": "gone", "review_status": "disputed", "reviewer_note": ""},
        {"article": "a", "claim_id": "C3", "sentence": "bad", "review_status": "maybe", "reviewer_note": "hm"},
        {"article": "a", "claim_id": "C4", "sentence": "unreviewed"},
        {"article": "a", "claim_id": "C5", "sentence": "=formula", "review_status": "Needs source",
         "reviewer_note": "=cmd"},
    ])
    reviews, problems = read_reviews(path)
    assert [r.claim_id for r in reviews] == ["C1", "C2", "C3", "C5"]
    assert len(problems) == 1 and "row 4" in problems[0] and "'maybe'" in problems[0]
    c5 = reviews[-1]
    assert c5.review_status == "needs_source" and c5.reviewer_note == "=cmd" and c5.sentence == "=formula"
    carried = carry_over(reviews, {"C1", "C3", "C5"})
    assert set(carried.by_claim) == {"C1", "C3", "C5"}
    assert carried.by_claim["C3"].review_status == "maybe"  # kept verbatim, reported, not dropped
    assert [r.claim_id for r in carried.orphaned] == ["C2"]
    assert orphan_rows(carried.orphaned)[0]["problem"] == "claim no longer in the article"


def test_missing_file_means_no_reviews(tmp_path):
    assert read_reviews(tmp_path / "nope.csv") == ([], [])


def _spreadsheet_save(path, rows, encoding, delimiter):
    """claims.csv as a spreadsheet program saves it: its code page, its delimiter, no apostrophes."""
    import csv

    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CLAIM_COLUMNS, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_claims_csv_saved_by_a_spreadsheet_in_another_locale_keeps_its_reviews(tmp_path):
    path = tmp_path / "claims.csv"
    rows = [{"article": "a", "claim_id": "C1", "sentence": "Café au lait", "review_status": "Confirmed",
             "reviewer_note": "vérifié"},
            {"article": "a", "claim_id": "C2", "sentence": "=1+1", "review_status": "", "reviewer_note": "=formula"}]
    for encoding, delimiter in (("cp1252", ";"), ("utf-16", "\t"), ("utf-8", ",")):
        _spreadsheet_save(path, rows, encoding, delimiter)
        reviews, problems = read_reviews(path)
        assert [(r.claim_id, r.review_status, r.reviewer_note) for r in reviews] == \
            [("C1", "confirmed", "vérifié"), ("C2", "", "=formula")], (encoding, delimiter)
        assert all("invalid" not in p for p in problems)


def test_a_claims_csv_that_cannot_be_matched_is_never_overwritten(tmp_path):
    import pytest

    from pipeline.outputs.reviews import ReviewsUnreadable

    path = tmp_path / "claims.csv"
    path.write_text("my notes\nC1 looks wrong\n", encoding="utf-8")
    with pytest.raises(ReviewsUnreadable, match="no claim_id column"):
        read_reviews(path)
    path.write_bytes(b"\x00\x01binary" * 50)
    with pytest.raises(ReviewsUnreadable, match="left in place"):
        read_reviews(path)
    path.write_text("  \n", encoding="utf-8")
    assert read_reviews(path) == ([], [])  # an emptied file holds nothing to keep
