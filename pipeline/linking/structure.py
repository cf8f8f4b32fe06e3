"""The article's own structure as evidence for inferred links, on top of the content scores.

Consumes the content scores of an article's claims (sentences in document order x its listed
references) and the references; produces adjusted scores in [0, 1]:

- Order of first citation. A numbered list that is not alphabetical is in the order the
  references are first cited, so reference k is first cited at or after reference
  k-1. `first_citations` finds the sentence of each reference's first citation that agrees
  with that order and with the content scores best (a monotone alignment, by dynamic
  programming); a claim near the estimated first citation of a reference is likely to cite it
  (`order_prior`). The alignment is estimated from the scores themselves, so no marker is needed.
- Every listed reference is cited somewhere. A reference whose words match few sentences, and
  only weakly, is still cited in one of them, most likely its best match; a reference whose
  words match many sentences (a broad title) is cited in only some. `column_scaled` rescales each
  reference's scores by how well it matches its best sentence, relative to the article's
  typical reference.
- Names. A sentence that names a listed reference's first author ("as Hartl and Taubes
  showed", "Amir et al. found") most likely rests on that reference.

Pure functions over lists of floats; no dependency beyond the standard library.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

from pipeline.linking.markers import fold
from pipeline.models import Reference

MIN_ORDERED = 5          # fewer references than this carry no usable order
ALPHABETICAL_SHARE = 0.85  # adjacent pairs in name order above this share: an alphabetical list


def citation_ordered(references: Sequence[Reference]) -> bool:
    """Whether the list is likely in order of first citation: numbered, long enough and not
    alphabetical by first author (some journals number a list sorted by name). An unnumbered
    list may be in any order (a page's further reading), so it is not assumed ordered."""
    if not any(ref.number for ref in references):
        return False
    names = [fold(ref.authors[0].family) if ref.authors else fold((ref.raw or "")[:12]) for ref in references]
    names = [n for n in names if n]
    if len(names) < MIN_ORDERED:
        return False
    in_order = sum(1 for a, b in zip(names, names[1:]) if a <= b)
    return in_order / (len(names) - 1) < ALPHABETICAL_SHARE


def first_citations(scores: Sequence[Sequence[float]]) -> list[int]:
    """For each reference (column), the sentence (row) of its first citation: the non-decreasing
    assignment (reference k never before reference k-1) with the greatest total score."""
    n_rows = len(scores)
    n_refs = len(scores[0]) if n_rows else 0
    if not n_rows or not n_refs:
        return []
    back: list[list[int]] = []
    previous = [0.0] * n_rows
    for k in range(n_refs):
        best_row, choices, current = 0, [], []
        for row in range(n_rows):
            if previous[row] > previous[best_row]:
                best_row = row  # best place of reference k-1 at or before this row
            choices.append(best_row)
            current.append(scores[row][k] + (previous[best_row] if k else 0.0))
        back.append(choices)
        previous = current
    row = max(range(n_rows), key=lambda r: previous[r])
    assigned = [0] * n_refs
    for k in range(n_refs - 1, -1, -1):
        assigned[k] = row
        row = back[k][row]
    return assigned


def order_prior(n_rows: int, first: Sequence[int], tau: float) -> list[list[float]]:
    """Per sentence and reference, how close the sentence is to the reference's estimated first
    citation: exp(-distance / tau), 1 at the estimate."""
    return [[math.exp(-abs(row - f) / tau) for f in first] for row in range(n_rows)]


def _family_pattern(ref: Reference) -> re.Pattern | None:
    family = ref.authors[0].family.strip() if ref.authors else ""
    if len(family) < 3 or not family[:1].isupper() or " " in family:
        return None
    return re.compile(r"(?<![\w-])" + re.escape(family) + r"(?![\w-])")


def named_references(sentence: str, references: Sequence[Reference]) -> list[bool]:
    """Per reference: whether the sentence names its first author (a capitalised family name of
    three letters or more, as a word); when the sentence also gives a year, it must be the
    reference's."""
    years = {int(y) for y in re.findall(r"\b(1[6-9]\d\d|20\d\d)\b", sentence)}
    named = []
    for ref in references:
        pattern = _family_pattern(ref)
        hit = bool(pattern and pattern.search(sentence))
        named.append(hit and (not years or ref.year in years or ref.year is None))
    return named


@dataclass(frozen=True)
class Adjusted:
    """The adjusted scores of an article's ranked claims, and per claim whether the order of
    first citation puts some reference's first citation there and whether it names a first author."""

    scores: list[list[float]]
    first_here: list[bool]
    named: list[bool]


def neighbours(scores: list[list[float]], paragraphs: Sequence[str], weight: float) -> list[list[float]]:
    """Each row blended with the mean of the rows next to it in the same paragraph (`weight` of
    the result): neighbouring sentences of a paragraph tend to cite the same references."""
    out = []
    for index, row in enumerate(scores):
        near = [scores[j] for j in (index - 1, index + 1)
                if 0 <= j < len(scores) and paragraphs[j] == paragraphs[index]]
        if not near or weight <= 0:
            out.append(list(row))
            continue
        mean = [sum(values) / len(near) for values in zip(*near)]
        out.append([(1 - weight) * s + weight * m for s, m in zip(row, mean)])
    return out


def column_scaled(scores: list[list[float]], weight: float) -> list[list[float]]:
    """Each reference's scores (a column) times (typical best / its own best) ** weight, kept in
    [0, 1]; the typical best is the median of the references' best scores (of those matching
    anything). The sentence a weakly matching reference matches best moves up, and a reference
    matching every sentence a little (a broad title) moves down."""
    best = [max(column) for column in zip(*scores)] if scores else []
    positive = sorted(b for b in best if b > 0)
    if weight <= 0 or not positive:
        return [list(row) for row in scores]
    typical = positive[len(positive) // 2]
    factors = [(typical / b) ** weight if b > 0 else 0.0 for b in best]
    return [[min(1.0, s * f) for s, f in zip(row, factors)] for row in scores]


def adjust(scores: list[list[float]], sentences: Sequence[str], references: Sequence[Reference],
           order_weight: float, order_tau: float, name_bonus: float, paragraphs: Sequence[str] = (),
           neighbour_weight: float = 0.0, column_weight: float = 0.0) -> Adjusted:
    """The content scores of an article's ranked claims (rows in document order) with the order
    prior blended in (`order_weight` of the final score, lists in citation order only), the
    paragraph neighbours' scores (`neighbour_weight`, by `paragraphs`: a block id per row) and a
    bonus for a named first author; every score stays in [0, 1]. The content scores are first
    rescaled per reference (`column_scaled`, `column_weight`)."""
    scores = column_scaled(scores, column_weight)
    adjusted = neighbours(scores, paragraphs, neighbour_weight) if paragraphs else [list(row) for row in scores]
    first_here = [False] * len(scores)
    named_rows = [False] * len(scores)
    if not scores or not references:
        return Adjusted(adjusted, first_here, named_rows)
    if order_weight > 0 and citation_ordered(references) and len(scores) > 1:
        first = first_citations(scores)
        for row in first:
            first_here[row] = True
        prior = order_prior(len(scores), first, order_tau)
        adjusted = [[(1 - order_weight) * s + order_weight * p for s, p in zip(row, prior_row)]
                    for row, prior_row in zip(adjusted, prior)]
    for index, (row, sentence) in enumerate(zip(adjusted, sentences)):
        for k, named in enumerate(named_references(sentence, references)):
            if named:
                named_rows[index] = True
                row[k] = min(1.0, row[k] + name_bonus)
    return Adjusted(adjusted, first_here, named_rows)
