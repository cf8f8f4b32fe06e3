"""One article's failure stays that article's: the runner's guard around each stage.

Consumes the runner's result and its list of freshly processed articles (records with a
`document`), and a stage to run over their documents; produces the stage's output. When
the stage raises on the batch, it is run again one article at a time, and the articles
that still raise are moved to `result.failed` with a message naming the file, so the run
goes on for the others and the exit code says that something failed. Errors that are
not about one article (the spaCy model is missing) are raised again.

The Crossref stage is guarded as a whole (`checked_or_unchecked`): whatever it raises, every
reference is `unchecked` with the reason, and every other output is still written.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("pipeline")


def reraise_global(error: Exception) -> None:
    """Errors that are not about one article (the spaCy model is missing) stop the run."""
    from pipeline.nlp import ModelMissing

    if isinstance(error, ModelMissing):
        raise error


def unexpected(path, stage: str, error: Exception) -> str:
    message = (f"{path}: unexpected error in the {stage} stage ({type(error).__name__}: {error}); "
               "the other articles went on; please report this with the file")
    log.error("%s", message, exc_info=log.isEnabledFor(logging.DEBUG))
    return message


def isolated(result, fresh: list, stage: str, run_stage) -> list:
    """`run_stage` over the documents of `fresh` at once; when it raises, again one article
    at a time, and the articles that still raise are failed (and dropped from `fresh`)."""
    try:
        return run_stage([r.document for r in fresh])
    except Exception as error:
        reraise_global(error)
        if len(fresh) == 1:
            failures = [(fresh[0], error)]
            output = []
        else:
            failures, output = [], []
            for records in list(fresh):
                try:
                    output.extend(run_stage([records.document]))
                except Exception as single:
                    reraise_global(single)
                    failures.append((records, single))
    for records, error in failures:
        document = records.document
        result.failed[Path(document.path).name or document.article] = unexpected(
            document.path or document.article, stage, error)
        result.articles.remove(records)
        fresh.remove(records)
    return output


def checked_or_unchecked(references: list, run_stage) -> list:
    """`run_stage()` (the Crossref checks of `references`); when it raises, one unchecked
    Check per reference with the reason: the references are still listed and the run exits 0."""
    from pipeline.models import Check, Verdict

    try:
        return run_stage()
    except Exception as error:
        reraise_global(error)
        note = (f"not checked: the Crossref stage failed ({type(error).__name__}: {str(error)[:200]}); "
                "please report this")
        log.error("%s", note, exc_info=log.isEnabledFor(logging.DEBUG))
        return [Check(article=r.article, ref_id=r.ref_id, verdict=Verdict.UNCHECKED, note=note) for r in references]
