"""Progress lines: a bar redrawn in place on a terminal, short plain lines in a log."""
from __future__ import annotations

import io

from pipeline.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_log_lines_every_tenth_with_counts_rate_and_eta():
    stream = io.StringIO()
    progress = Progress("claims", 200, stream=stream)
    for _ in range(200):
        progress.advance()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in stream.getvalue()
    assert lines[-1].startswith("claims: 200/200 (100%)") and "/s, ETA 0s" in lines[-1]
    assert lines[0].startswith("claims: 20/200 (10%)")


def test_terminal_gets_one_line_with_a_bar_redrawn_in_place():
    stream = Terminal()
    progress = Progress("ingest", 4, stream=stream)
    for _ in range(4):
        progress.advance()
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    last = text.rsplit("\r", 1)[1]
    assert last.startswith("[" + "#" * 24 + "] ingest: 4/4 (100%)")


def test_nothing_to_do_prints_nothing():
    stream = io.StringIO()
    Progress("crossref", 0, stream=stream).advance()
    assert stream.getvalue() == ""
