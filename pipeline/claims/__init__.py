"""Claims stage: kept blocks -> one scored `Claim` per sentence.

Entry: `stage.extract_claims`. `model` scores check-worthiness (a learned model over `features`, its weights
in check_worthiness.json) and explains it (`explain`, `kinds`; the linguistic cues of `cues`); `scrape_damage`
finds holes that scraping left (more shapes of them in `hole_shapes`).
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.claims.cues import SECOND_PERSON
from pipeline.claims.stage import claim_blocks, claim_id, extract_claims, sentences_of

__all__ = ["SECOND_PERSON", "claim_blocks", "claim_id", "extract_claims", "sentences_of"]
