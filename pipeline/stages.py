"""The stage graph, declared once: each stage's name, what it needs and what it produces.

The command line builds one subcommand per stage from it (plus `run`, every stage), the
runner takes its plan from it, the per-article work files record which of its stages they
hold, and the Makefile has one target per stage (a test holds the Makefile to this list).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    needs: tuple[str, ...]   # stages whose records this one reads
    writes: tuple[str, ...]  # the output files it fills (columns of them, for later stages)
    help: str                # one line for `--help` and `make help`
    per_article: bool        # runs on one article at a time (stored in the article's work files)


STAGES: tuple[Stage, ...] = (
    Stage("ingest", (), ("blocks.csv",), "clean articles into labelled blocks", True),
    Stage("claims", ("ingest",), ("claims.csv",), "split kept text into scored claims", True),
    Stage("references", ("ingest",), ("references.csv",), "find and parse reference lists", True),
    Stage("crossref", ("references",), ("references.csv",), "check every reference against Crossref", False),
    Stage("link", ("claims", "crossref"), ("claims.csv", "references.csv"),
          "link each claim to the references it rests on, by marker or by content", False),
    Stage("report", ("link",), ("report.html",), "write the HTML report for people", False),
)
BY_NAME = {stage.name: stage for stage in STAGES}
FINAL = STAGES[-1].name  # `run` asks for this one, and so for every stage


def plan(target: str) -> tuple[str, ...]:
    """`target` and every stage it needs, in the order they run (declaration order)."""
    wanted: set[str] = set()
    todo = [target]
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(BY_NAME[name].needs)
    return tuple(stage.name for stage in STAGES if stage.name in wanted)


def per_article(stages: tuple[str, ...]) -> tuple[str, ...]:
    """The stages of a plan that run per article."""
    return tuple(name for name in stages if BY_NAME[name].per_article)


def command_help(stage: Stage) -> str:
    """The help line of a stage's subcommand: what it does and which tables it writes."""
    files = dict.fromkeys(name for step in plan(stage.name) for name in BY_NAME[step].writes)
    return f"{stage.help} ({', '.join(files)})"
