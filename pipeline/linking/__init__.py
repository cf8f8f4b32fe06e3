"""Linking stage: claims x references x checks -> `Link`s.

Entry: `stage.link_claims`. `markers` finds explicit in-text citation markers, `lexical` scores by words (BM25),
`embeddings` loads the optional sentence-embedding model.
"""
