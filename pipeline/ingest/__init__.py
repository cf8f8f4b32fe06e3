"""Ingest stage: input files (text dumps, HTML pages) -> `Document`s of ordered, labelled blocks.

Entry: `stage.ingest_path`. Text dumps are read by `text_dump`, HTML pages by `html_page`; both build
blocks with `blocks`, find pull-quotes (`pullquotes`), captions (`captions` with its features and fitted
weights) and flattened tables (`flattened_tables`); `decoding` turns bytes into text or a reason.
"""
