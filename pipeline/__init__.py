"""Citation-audit pipeline: scraped articles in, an audited claims table out.

Stages (one folder each, see docs/ARCHITECTURE.md): ingest -> claims, references ->
crossref -> linking -> outputs. For library use: `from pipeline import audit`.
"""

__version__ = "0.1.0"

from pipeline.api import AuditResult, audit  # noqa: E402  (the library entry, see pipeline/api.py)

__all__ = ["audit", "AuditResult", "__version__"]
