"""Outputs: all records -> the files people read.

`csv_tables` writes blocks.csv / claims.csv / references.csv, `report` writes report.html, `reviews` carries
reviewer columns over reruns, `audit` prints `make audit`'s summary.
"""
