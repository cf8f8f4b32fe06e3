"""Storage: the per-article work files (`work_files`, atomic writes), the link store (`link_store`)
and the run lock (`run_lock`).
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.store.article_store import pipeline_version
from pipeline.store.work_files import atomic_write_bytes, atomic_write_parts, atomic_write_text, current_file, put_in_place

__all__ = ["atomic_write_bytes", "pipeline_version", "atomic_write_parts", "atomic_write_text", "current_file", "put_in_place"]
