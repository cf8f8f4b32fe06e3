"""References stage: reference-list blocks -> `Reference` records with parsed fields and a parse status.

Entry: `stage.parse_references`; `fields` holds the field-level helpers (identifiers, authors, pages, years);
`crf_features`, `crf_labeller` and `crf_parse` are the learned labeller that reads each entry after the rules
(its fitted weights: `crf_model.crfsuite`, refitted by `make references-model`).
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.references.fields import expand_pages, initials_of, normalise_doi
from pipeline.references.stage import parse_by_rules, parse_reference, parse_references

__all__ = ["expand_pages", "initials_of", "normalise_doi", "parse_by_rules", "parse_reference", "parse_references"]
