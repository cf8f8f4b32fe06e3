"""Command line: argument parsing and error messages only.

Builds one `Settings` (defaults <- environment <- flags) and passes it to the runner;
stage code never reads the environment. Exit codes: 0 every article processed,
1 any article failed (the others are still written), 2 usage errors.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from pipeline import __version__, runner
from pipeline.models import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_CROSSREF_URL = "https://api.crossref.org"

log = logging.getLogger("pipeline")


def settings_from(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """defaults <- environment <- flags."""
    return Settings(
        raw_dir=Path(args.raw),
        out_dir=Path(args.out),
        crossref_url=getattr(args, "crossref_url", None)
        or environ.get("CROSSREF_API_URL")
        or DEFAULT_CROSSREF_URL,
        crossref_mailto=environ.get("CROSSREF_MAILTO", ""),
        cache_dir=Path(getattr(args, "cache_dir", None) or environ.get("PIPELINE_CACHE_DIR") or ".cache"),
        offline=bool(getattr(args, "offline", False)),
    )


def _add_io_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", default="raw", metavar="DIR", help="input folder of .txt/.html articles (default: raw)")
    parser.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Audit the claims and references of scraped health and science articles.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run every stage over the raw folder into the out folder",
                         description="Run every built stage over --raw into --out.")
    _add_io_flags(run)
    run.add_argument("--crossref-url", metavar="URL", help="Crossref API base URL (env CROSSREF_API_URL)")
    run.add_argument("--cache-dir", metavar="DIR", help="response cache folder (env PIPELINE_CACHE_DIR, default .cache)")
    run.add_argument("--offline", action="store_true", help="answer Crossref lookups from the cache alone")

    ingest = sub.add_parser("ingest", help="clean articles into labelled blocks (blocks.csv)",
                            description="Read every article in --raw and write blocks.csv to --out.")
    _add_io_flags(ingest)
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
    logging.basicConfig(level=logging.INFO if args.verbose or args.command == "run" else logging.WARNING,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    settings = settings_from(args, dict(os.environ) if environ is None else environ)
    if not settings.raw_dir.is_dir():
        print(f"error: input folder {settings.raw_dir} does not exist or is not a folder", file=sys.stderr)
        return EXIT_USAGE

    if args.command == "ingest":
        result = runner.ingest_all(settings)
        runner.write_tables(settings, result)
    else:
        result = runner.run(settings)

    processed = len(result.documents)
    print(f"{processed} article(s) processed, {len(result.failed)} failed; outputs in {settings.out_dir}",
          file=sys.stderr)
    for name, why in sorted(result.failed.items()):
        print(f"  FAILED {name}: {why}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED
