"""References stage: reference-list blocks -> `Reference` records with parsed fields and a parse status.

Entry: `stage.parse_references`; `fields` holds the field-level helpers (identifiers, authors, pages, years);
`crf_features`, `crf_labeller` and `crf_parse` are the learned labeller that reads each entry after the rules
(its fitted weights: `crf_model.crfsuite`, refitted by `make references-model`).
"""
