"""Claims stage: kept blocks -> one scored `Claim` per sentence.

Entry: `stage.extract_claims`. `cues` scores check-worthiness; `scrape_damage` finds holes that scraping left.
"""
