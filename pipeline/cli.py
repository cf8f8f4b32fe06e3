"""Command line: argument parsing and error messages only.

Builds one `Settings` (defaults <- environment <- flags) and hands it to the runner;
stage code never reads the environment. Exit codes: 0 every article processed (unchecked
references are not failures), 1 any article failed (the others are still written),
2 usage errors (bad flags, a missing input folder, another run holding the out folder).
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.messages import say
from pipeline import __version__, stages
from pipeline.settings import Settings, default_of, from_sources

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

RUN_HELP = "run every stage over the raw folder into the out folder (tables and report.html)"
AUDIT_HELP = "summarise what needs attention, from the tables of a finished run (reads the CSVs only)"

log = logging.getLogger("pipeline")


def commands() -> dict[str, tuple[str, str]]:
    """subcommand -> (help line, the stage it runs up to): `run` and one per stage, from the stage graph."""
    listed = {"run": (RUN_HELP, stages.FINAL)}
    listed.update({stage.name: (stages.command_help(stage), stage.name)
                   for stage in stages.STAGES if stage.name != stages.FINAL})
    return listed


def settings_from(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """defaults <- environment <- flags (a flag left out is None and leaves the lower layers)."""
    given = vars(args)
    flags = {name: given.get(name) for name in ("raw_dir", "out_dir", "crossref_url", "cache_dir", "claim_threshold",
                                                 "jobs", "scheduler", "wait_seconds", "crossref_budget")}
    flags["offline"] = given.get("offline") or None
    flags["parquet"] = given.get("parquet") or None
    flags["embeddings"] = False if given.get("no_embeddings") else None
    if given.get("max_file_mb") is not None:
        flags["max_file_bytes"] = int(given["max_file_mb"] * 1024 * 1024)
    return from_sources(flags, environ)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(say("not_positive"))
    return value


def _number(text: str, positive: bool) -> float:
    """A finite number (nan and inf are refused: they end in a traceback or a wait forever)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("not_a_number", text=text)) from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise argparse.ArgumentTypeError(say("not_finite", bound="above" if positive else "of at least", text=text))
    return value


def _positive_number(text: str) -> float:
    return _number(text, positive=True)


def _seconds(text: str) -> float:
    return _number(text, positive=False)


def _fraction(text: str) -> float:
    value = _number(text, positive=False)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(say("not_fraction"))
    return value


def _add_flags(parser: argparse.ArgumentParser, plan: tuple[str, ...]) -> None:
    """The flags of a subcommand: the common ones, then those of each stage in its plan."""
    add = parser.add_argument
    add("--raw", dest="raw_dir", metavar="DIR", help=f"input folder of .txt/.html articles (default: {default_of('raw_dir')})")
    add("--out", dest="out_dir", metavar="DIR", help=f"output folder (default: {default_of('out_dir')})")
    add("--wait", dest="wait_seconds", type=_seconds, metavar="SECONDS",
        help="wait this long for another run on the same out folder (default: refuse at once)")
    add("--max-file-mb", type=_positive_number, metavar="MB",
        help=f"largest input file accepted, in MB (default {default_of('max_file_bytes') / 2**20:g})")
    add("--jobs", type=_positive_int, metavar="N",
        help="worker processes for the per-article work (default: number of cores)")
    add("--scheduler", metavar="ADDRESS", help="run the per-article work on an existing Dask cluster, e.g. "
        "tcp://HOST:8786 (env PIPELINE_DASK_SCHEDULER; default: a local cluster of --jobs workers; "
        "'local': a local cluster even for one worker or a few articles)")
    add("-v", "--verbose", action="store_true", help="log every step")
    if "claims" in plan:
        add("--claim-threshold", type=_fraction, metavar="X",
            help="claim score from which a sentence is a claim (default: the claim model's own, "
            "the F1-best on held-out debates)")
    if "crossref" in plan:
        add("--crossref-url", metavar="URL", help="Crossref API base URL (env CROSSREF_API_URL)")
        add("--cache-dir", metavar="DIR",
            help=f"response cache folder (env PIPELINE_CACHE_DIR, default {default_of('cache_dir')})")
        add("--offline", action="store_true", help="answer Crossref lookups from the cache alone")
        add("--crossref-budget", type=_seconds, metavar="SECONDS",
            help=f"time for the whole Crossref stage; lookups not made by then are unchecked with the reason "
                 f"(default {default_of('crossref_budget'):g})")
    if "link" in plan:
        add("--no-embeddings", action="store_true", help="link by lexical relevance only, even when the optional "
            "embedding model (extra 'embed') is installed")
    if "report" in plan:
        add("--parquet", action="store_true", help="also write a .parquet twin of each table (needs pyarrow)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Audit the claims and references of scraped health and science articles.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_line, target) in commands().items():
        _add_flags(sub.add_parser(name, help=help_line, description=help_line[0].upper() + help_line[1:] + "."),
                   stages.plan(target))
    audit = sub.add_parser("audit", help=AUDIT_HELP, description=AUDIT_HELP[0].upper() + AUDIT_HELP[1:] + ".")
    audit.add_argument("--out", default=str(default_of("out_dir")), metavar="DIR",
                       help=f"output folder of a run (default: {default_of('out_dir')})")
    return parser


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "audit":
        return _audit(Path(args.out))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2"):  # one line per HTTP request is too much
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    settings = settings_from(args, dict(os.environ) if environ is None else environ)
    problem = usage_problem(settings, stages.plan(commands()[args.command][1]))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE

    from pipeline import run as runner
    from pipeline.store.run_lock import RunLocked
    from pipeline.nlp import ModelMissing
    from pipeline.outputs.reviews import ReviewsUnreadable

    try:
        result = runner.run(settings, commands()[args.command][1])
    except RunLocked as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ModelMissing, ReviewsUnreadable) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:  # the out or cache folder cannot be written: full disk, permissions
        print(f"error: {say('cannot_write_outputs', error=error)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(say("interrupted"), file=sys.stderr)
        return 130

    print(f"{len(result.articles)} article(s) processed, {len(result.failed)} failed; outputs in {settings.out_dir}",
          file=sys.stderr)
    for name, why in sorted(result.failed.items()):
        print(f"  FAILED {name}: {why}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED


def usage_problem(settings: Settings, plan: tuple[str, ...]) -> str:
    """What makes these settings unusable before anything runs ("" when nothing does)."""
    raw, out = settings.raw_dir, settings.out_dir
    if not raw.is_dir():
        return say("input_folder_missing", path=raw)
    raw, out = raw.resolve(), out.resolve()
    if out == raw or out.is_relative_to(raw) or raw.is_relative_to(out):
        where = "is" if out == raw else "is inside" if out.is_relative_to(raw) else "contains"
        return say("out_overlaps_raw", out=settings.out_dir, where=where, raw=settings.raw_dir)
    if "crossref" in plan:
        try:
            parts = urlsplit(settings.crossref_url)
            parts.port  # noqa: B018 -- reading it checks the port and an IPv6 address's brackets
        except ValueError as error:
            return say("bad_crossref_url", url=settings.crossref_url, error=error)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return say("crossref_url_scheme", url=settings.crossref_url)
    return ""


def _audit(out_dir: Path) -> int:
    """Print the audit summary of the tables in `out_dir`; 0 even when there are findings."""
    import csv

    from pipeline.outputs import audit
    from pipeline.outputs.reviews import ReviewsUnreadable

    try:
        text = audit.summarise(out_dir)
    except (OSError, UnicodeDecodeError, csv.Error, ReviewsUnreadable) as error:
        print(f"error: {say('tables_unreadable', out=out_dir, error=error)}", file=sys.stderr)
        return EXIT_FAILED
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `... audit | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK
