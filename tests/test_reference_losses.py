"""References lost or mis-typed (issue 12, item 4): one test per shape the flawed-citation generator
and the issue found, each fixed locally in the parser or the reference-list detection."""
from __future__ import annotations

import pytest

from pipeline.references.stage import parse_reference


def _people(raw: str) -> list[tuple[str, str]]:
    return [(a.family, a.initials) for a in parse_reference(raw).authors]


def test_vancouver_initials_iv_are_initials_not_a_suffix():
    raw = ("Novoselov KS, Geim AK, Katsnelson MI, Grigorieva IV, et al. Two-dimensional gas of massless Dirac "
           "fermions in graphene. Nature. 2005;438(7065):197-200.")
    assert _people(raw)[-1] == ("Grigorieva", "I.V.")
    assert _people("Henderson CR Jr, King ML III. A title of a paper. Lancet. 2001;3:1-9.") == \
        [("Henderson", "C.R."), ("King", "M.L.")]
