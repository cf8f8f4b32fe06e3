"""Outputs: all records -> the files people read.

`csv_tables` writes blocks.csv / claims.csv / references.csv, `report` writes report.html, `reviews` carries
reviewer columns over reruns, `audit` prints `make audit`'s summary. From audit to fix: `citation_style`
detects a list's style, `corrected` rebuilds each identified reference's citation in it from Crossref,
`citation_diff` marks what changed for the report, `exports` writes references.bib / .json / .ris,
`workbook` writes review.xlsx and `review_sources` reads reviews back from it and claims.csv; `side_process`
makes the corrected citations and the workbook in a second process while this one does the rest.
"""
