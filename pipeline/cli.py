"""Command line: argument parsing and error messages only.

Builds one `Settings` (defaults <- environment <- flags) and hands it to the runner;
stage code never reads the environment. Exit codes: 0 every article processed (unchecked
references are not failures), 1 any article failed (the others are still written),
2 usage errors (bad flags, a missing input folder, another run holding the out folder).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.models import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_CROSSREF_URL = "https://api.crossref.org"

# subcommand -> (help line, the stages it runs); `run` is every stage plus the report
COMMANDS = {
    "run": ("run every built stage over the raw folder into the out folder (tables and report.html)", "all"),
    "ingest": ("clean articles into labelled blocks (blocks.csv)", "ingest"),
    "claims": ("split kept text into scored claims (blocks.csv, claims.csv)", "claims"),
    "references": ("find and parse reference lists (blocks.csv, references.csv)", "references"),
    "crossref": ("check every reference against Crossref (blocks.csv, references.csv)", "crossref"),
    "link": ("link each claim to the references it rests on, by marker or by content "
             "(blocks.csv, claims.csv, references.csv)", "link"),
}

AUDIT_HELP = "summarise what needs attention, from the tables of a finished run (reads the CSVs only)"

log = logging.getLogger("pipeline")


def settings_from(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """defaults <- environment <- flags."""
    def flag(name, default=None):
        return getattr(args, name, default)

    jobs = flag("jobs") or os.cpu_count() or 1
    return Settings(
        raw_dir=Path(args.raw),
        out_dir=Path(args.out),
        crossref_url=flag("crossref_url") or environ.get("CROSSREF_API_URL") or DEFAULT_CROSSREF_URL,
        crossref_mailto=environ.get("CROSSREF_MAILTO", ""),
        cache_dir=Path(flag("cache_dir") or environ.get("PIPELINE_CACHE_DIR") or ".cache"),
        offline=bool(flag("offline", False)),
        claim_threshold=flag("claim_threshold", 0.5) if flag("claim_threshold") is not None else 0.5,
        jobs=max(1, int(jobs)),
        max_file_bytes=int(flag("max_file_mb", 16.0) * 1024 * 1024),
        extra={
            "wait_seconds": flag("wait", 0.0) or 0.0,
            "embeddings": not flag("no_embeddings", False),
            "parquet": bool(flag("parquet", False)),
        },
    )


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _add_flags(parser: argparse.ArgumentParser, stages: str) -> None:
    parser.add_argument("--raw", default="raw", metavar="DIR", help="input folder of .txt/.html articles (default: raw)")
    parser.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long for another run on the same out folder (default: refuse at once)")
    parser.add_argument("--max-file-mb", type=float, default=16.0, metavar="MB",
                        help="largest input file accepted, in MB (default 16)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step")
    if stages in ("claims", "link", "all"):
        parser.add_argument("--jobs", type=_positive_int, metavar="N",
                            help="NLP worker processes for the claims stage (default: number of cores)")
        parser.add_argument("--claim-threshold", type=_fraction, metavar="X",
                            help="claim score from which a sentence is a claim (default 0.5)")
    if stages in ("crossref", "link", "all"):
        parser.add_argument("--crossref-url", metavar="URL", help="Crossref API base URL (env CROSSREF_API_URL)")
        parser.add_argument("--cache-dir", metavar="DIR",
                            help="response cache folder (env PIPELINE_CACHE_DIR, default .cache)")
        parser.add_argument("--offline", action="store_true", help="answer Crossref lookups from the cache alone")
    if stages in ("link", "all"):
        parser.add_argument("--no-embeddings", action="store_true",
                            help="link by lexical relevance only, even when the optional embedding model "
                                 "(extra 'embed') is installed")
    if stages == "all":
        parser.add_argument("--parquet", action="store_true",
                            help="also write a .parquet twin of each table (needs pyarrow)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Audit the claims and references of scraped health and science articles.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_line, stages) in COMMANDS.items():
        _add_flags(sub.add_parser(name, help=help_line, description=help_line[0].upper() + help_line[1:] + "."),
                   stages)
    audit = sub.add_parser("audit", help=AUDIT_HELP, description=AUDIT_HELP[0].upper() + AUDIT_HELP[1:] + ".")
    audit.add_argument("--out", default="output", metavar="DIR", help="output folder of a run (default: output)")
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
    if not settings.raw_dir.is_dir():
        print(f"error: input folder {settings.raw_dir} does not exist or is not a folder", file=sys.stderr)
        return EXIT_USAGE

    from pipeline import run as runner
    from pipeline.store.run_lock import RunLocked
    from pipeline.nlp import ModelMissing
    from pipeline.outputs.reviews import ReviewsUnreadable

    try:
        result = runner.run(settings, COMMANDS[args.command][1])
    except RunLocked as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ModelMissing, ReviewsUnreadable) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:  # the out or cache folder cannot be written: full disk, permissions
        print(f"error: cannot write the outputs: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted: outputs written so far are whole; the next run resumes from the work files",
              file=sys.stderr)
        return 130

    print(f"{len(result.articles)} article(s) processed, {len(result.failed)} failed; outputs in {settings.out_dir}",
          file=sys.stderr)
    for name, why in sorted(result.failed.items()):
        print(f"  FAILED {name}: {why}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED


def _audit(out_dir: Path) -> int:
    """Print the audit summary of the tables in `out_dir`; 0 even when there are findings."""
    import csv

    from pipeline.outputs import audit
    from pipeline.outputs.reviews import ReviewsUnreadable

    try:
        text = audit.summarise(out_dir)
    except (OSError, UnicodeDecodeError, csv.Error, ReviewsUnreadable) as error:
        print(f"error: could not read the tables in {out_dir}: {error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `... audit | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK
