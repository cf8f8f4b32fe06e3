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


@pytest.mark.parametrize("raw, want", [
    ("Lee, I-Min, et al. “Effect of physical inactivity on major non-communicable diseases worldwide.” The Lancet, "
     "vol. 380, no. 9838, 2012, pp. 219-229.", [("Lee", "I.-M.")]),
    ("Ridker, Paul M, et al. “Effect of interleukin-1β inhibition with canakinumab.” The Lancet, vol. 390, 2017, "
     "pp. 1833-1842.", [("Ridker", "P.M.")]),
    ("Reinhart, Carmen M, and Kenneth S Rogoff. “Growth in a Time of Debt.” American Economic Review, vol. 100, "
     "no. 2, 2010, pp. 573-578.", [("Reinhart", "C.M."), ("Rogoff", "K.S.")]),
])
def test_mla_given_names_hyphenated_or_with_an_undotted_initial(raw, want):
    assert _people(raw) == want
