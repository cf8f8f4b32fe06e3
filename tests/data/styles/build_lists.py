"""Builds the labelled reference lists for the style detector (tests/data/styles/lists.jsonl).

Consumes the per-entry style labels that the reference-parser sets carry (written by other
sessions, before the detector existed) and groups entries of one style family, in file order,
into lists of at most four entries; adds the hand-written lists of hand_lists.jsonl. Each list
is labelled with the family, and with the part it belongs to, decided here before the
detector ran: lists from tuned.jsonl, heldout.jsonl, heldout_b.jsonl and the samples are the
tuning part; lists from heldout_c/d/e.jsonl and hand_lists.jsonl are the untouched part.

Run: python tests/data/styles/build_lists.py
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = HERE.parent / "references"
TUNING = ("samples.jsonl", "tuned.jsonl", "heldout.jsonl", "heldout_b.jsonl")
UNTOUCHED = ("heldout_c.jsonl", "heldout_d.jsonl", "heldout_e.jsonl")
LIST_SIZE = 4


def family(style: str | None) -> str:
    """The detector's style name for a per-entry label ('' for styles the detector does not name)."""
    style = style or ""
    if style == "apa-numbered":
        return ""
    for prefix, name in (("apa", "apa"), ("mla", "mla"), ("chicago-ad", "chicago-author-date"),
                         ("harvard", "harvard"), ("vancouver", "vancouver"), ("ama", "vancouver"),
                         ("ieee", "ieee")):
        if style.startswith(prefix):
            return name
    return ""


def lists_of(path: Path, part: str) -> list[dict]:
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    groups: dict[str, list[str]] = {}
    for entry in entries:
        name = family(entry.get("style"))
        if name:
            groups.setdefault(name, []).append(entry["raw"])
    lists = []
    for name, raws in groups.items():
        for start in range(0, len(raws), LIST_SIZE):
            lists.append({"id": f"{path.stem}-{name}-{start // LIST_SIZE + 1}", "style": name, "part": part,
                          "entries": raws[start:start + LIST_SIZE]})
    return lists


def main() -> None:
    lists = []
    for name in TUNING:
        lists += lists_of(SOURCES / name, "tuning")
    for name in UNTOUCHED:
        lists += lists_of(SOURCES / name, "untouched")
    hand = HERE / "hand_lists.jsonl"
    lists += [json.loads(line) for line in hand.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(HERE / "lists.jsonl", "w", encoding="utf-8") as handle:
        for item in lists:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
