"""Linking stage: claims x references x checks -> `Link`s.

Entry: `stage.link_claims`. `markers` finds explicit in-text citation markers, `lexical` scores by words (BM25),
`embeddings` loads the optional sentence-embedding model.
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.linking.embeddings import MODEL_PACKAGE, embedder_status, load_embedder
from pipeline.linking.markers import NUMERIC_RE, SUPERSCRIPT_RE
from pipeline.linking.stage import LinkingConfig, link_claims, requested_config, result_of

__all__ = ["LinkingConfig", "MODEL_PACKAGE", "NUMERIC_RE", "SUPERSCRIPT_RE", "embedder_status", "link_claims", "load_embedder", "requested_config", "result_of"]
