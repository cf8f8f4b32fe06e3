"""Ingest stage: input files (text dumps, HTML pages) -> `Document`s of ordered, labelled blocks.

Entry: `stage.ingest_path`. Text dumps are read by `text_dump`, HTML pages by `html_page`; both build
blocks with `blocks`, find pull-quotes (`pullquotes`), captions (`captions` with its features and fitted
weights) and flattened tables (`flattened_tables`, with `cell_shapes` and `table_headers`); text dumps also
take out inline definition tooltips (`tooltips`) and cut a line whose line ends were lost into paragraphs
(`long_lines`); `decoding` turns bytes into text or a reason.
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.ingest.decoding import UndecodableInput, decode
from pipeline.ingest.long_lines import pieces_of
from pipeline.ingest.stage import (IngestError, build_document, discover_inputs, file_fingerprint, ingest_bytes, ingest_html,
                                    ingest_path, ingest_text, read_input)

__all__ = ["IngestError", "UndecodableInput", "build_document", "decode", "discover_inputs", "file_fingerprint", "ingest_bytes", "ingest_html", "ingest_path", "ingest_text", "pieces_of", "read_input"]
