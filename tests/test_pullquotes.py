"""Pull-quotes in text dumps: the set-off paraphrase (a short line between paragraphs sharing few
words with them) and its near misses (a line carrying the flow on, a page written in one-sentence
paragraphs). Dev cases written here, not taken from any labelled set."""
from __future__ import annotations

from pipeline.ingest.stage import ingest_text
from pipeline.models import BlockKind

PARA_A = ("Sleep pressure builds through the day as adenosine gathers in the brain. By evening it is strong "
          "enough to make most people drowsy, and caffeine works by blocking its receptors for several hours.")
PARA_B = ("Naps taken late in the afternoon release some of that pressure. People who nap after four o'clock "
          "often fall asleep later at night and wake less rested than they expected.")
PARA_C = ("A short nap before two o'clock avoids most of this problem. Twenty minutes is usually enough to "
          "restore alertness without leaving the sleeper groggy afterwards.")


def kinds(text: str) -> dict[str, BlockKind]:
    return {b.text: b.kind for b in ingest_text(text, "dev").blocks}


def test_a_short_paraphrase_set_off_between_paragraphs_is_a_pull_quote():
    line = "An afternoon doze can quietly cost you the night that follows."
    got = kinds("\n\n".join([PARA_A, PARA_B, line, PARA_C]))
    assert got[line] == BlockKind.PULL_QUOTE and got[PARA_B] == BlockKind.BODY


def test_two_short_sentences_or_a_figure_set_off_are_a_pull_quote_too():
    for line in ("An afternoon doze feels harmless. The night that follows pays for it.",
                 "A nap of 90 minutes can quietly cost you the night that follows.",
                 "“An afternoon doze can quietly cost you the night that follows.”",
                 "“By March I was napping every afternoon.” — Reader, Leeds"):
        got = kinds("\n\n".join([PARA_A, PARA_B, line, PARA_C]))
        assert got[line] == BlockKind.PULL_QUOTE, line


def test_a_short_line_that_carries_the_flow_on_stays_body():
    for line in ("This is why a late nap can cost you the night that follows.",
                 "In fact, an afternoon doze can cost you the night that follows.",
                 "Interestingly, an afternoon doze can cost you the night that follows.",
                 "Researchers said volunteers in the trial slept 40 minutes less."):
        got = kinds("\n\n".join([PARA_A, PARA_B, line, PARA_C]))
        assert got[line] == BlockKind.BODY, line


def test_a_page_of_one_sentence_paragraphs_keeps_its_short_lines():
    lines = ["The council voted on Tuesday to close the old bridge to cars.",
             "Repairs are expected to take most of next year.",
             "Cyclists and walkers will still be able to cross the bridge.",
             PARA_A,
             "An afternoon doze can quietly cost you the night that follows.",
             PARA_B]
    got = kinds("\n\n".join(lines))
    assert all(kind == BlockKind.BODY for kind in got.values()), got
