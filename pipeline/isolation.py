"""One article's failure stays that article's: what per-article work does with an error.

An error met while working on one article becomes that article's failure, with a message
naming the file and the stage (`unexpected`), so the run goes on for the others and the
exit code says that something failed. Errors that are not about one article (the spaCy
model is missing) are raised again (`reraise_global`) and stop the run.
"""
from __future__ import annotations


def reraise_global(error: Exception) -> None:
    """Errors that are not about one article (the spaCy model is missing) stop the run."""
    from pipeline.nlp import ModelMissing

    if isinstance(error, ModelMissing):
        raise error


def unexpected(path, stage: str, error: Exception) -> str:
    """The message for an unexpected error of one article's stage (the caller logs it)."""
    return (f"{path}: unexpected error in the {stage} stage ({type(error).__name__}: {error}); "
            "the other articles went on; please report this with the file")
