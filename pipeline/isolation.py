"""One article's failure stays that article's: what per-article work does with an error.

An error met while working on one article becomes that article's failure, with a message
naming the file and the stage (`unexpected`), so the run goes on for the others and the
exit code says that something failed. Errors that are not about one article (the spaCy
model is missing) are raised again (`reraise_global`) and stop the run.

The Crossref stage is guarded as a whole (`checked_or_unchecked`): whatever it raises, every
reference is `unchecked` with the reason, and every other output is still written.
"""
from __future__ import annotations

import logging

log = logging.getLogger("pipeline")


def reraise_global(error: Exception) -> None:
    """Errors that are not about one article (the spaCy model is missing) stop the run."""
    from pipeline.nlp import ModelMissing

    if isinstance(error, ModelMissing):
        raise error


def unexpected(path, stage: str, error: Exception) -> str:
    """The message for an unexpected error of one article's stage (the caller logs it)."""
    from pipeline.messages import say

    return say("unexpected", path=path, stage=stage, error=f"{type(error).__name__}: {error}")


def checked_or_unchecked(references: list, run_stage) -> list:
    """`run_stage()` (the Crossref checks of `references`); when it raises, one unchecked
    Check per reference with the reason: the references are still listed and the run exits 0."""
    from pipeline.models import Check, Verdict

    try:
        return run_stage()
    except Exception as error:
        reraise_global(error)
        from pipeline.messages import say

        note = say("stage_failed", error=f"{type(error).__name__}: {str(error)[:200]}")
        log.error("%s", note, exc_info=log.isEnabledFor(logging.DEBUG))
        return [Check(article=r.article, ref_id=r.ref_id, verdict=Verdict.UNCHECKED, note=note) for r in references]
