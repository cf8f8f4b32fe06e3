"""Progress lines: a bar redrawn in place on a terminal, short plain lines in a log."""
from __future__ import annotations

import io

from pipeline.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _log_lines(stage: str, total: int, seconds_per_item: float) -> list[str]:
    """The plain lines a stage of `total` items writes to a log, on a fake clock."""
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(stage, total, stream=stream, clock=lambda: now[0])
    for _ in range(total):
        now[0] += seconds_per_item
        progress.advance()
    assert "\r" not in stream.getvalue()
    return stream.getvalue().splitlines()


def test_log_lines_every_tenth_with_counts_rate_and_eta():
    lines = _log_lines("claims", 200, 0.5)  # 100 s in all
    assert len(lines) == 10
    assert lines[0] == "claims: 20/200 (10%) 2.0/s, ETA 90s"
    assert lines[-1] == "claims: 200/200 (100%) 2.0/s, ETA 0s"


def test_a_quick_stage_logs_at_most_once_a_second_and_at_the_end():
    lines = _log_lines("ingest", 100, 0.015)  # 1.5 s in all
    assert len(lines) == 2 and lines[-1].startswith("ingest: 100/100 (100%)")


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
