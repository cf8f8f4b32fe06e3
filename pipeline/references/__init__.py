"""References stage: reference-list blocks -> `Reference` records with parsed fields and a parse status.

Entry: `stage.parse_references`; `fields` holds the field-level helpers (identifiers, authors, pages, years).
"""
