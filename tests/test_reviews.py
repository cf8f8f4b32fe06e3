"""Reviewer columns survive reruns; orphaned and invalid reviews are kept, never dropped."""
from pipeline.reviews import carry_over, orphan_rows, read_reviews
from pipeline.table import CLAIM_COLUMNS, write_csv


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
