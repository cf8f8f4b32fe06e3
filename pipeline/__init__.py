"""Citation-audit pipeline: scraped articles in, an audited claims table out.

Stages (one module each, see docs/ARCHITECTURE.md): ingest -> claims, references ->
crossref -> linking -> table/report.
"""

__version__ = "0.1.0"
