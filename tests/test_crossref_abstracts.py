"""What Crossref returns beside the title (abstract, subjects, container) is kept in the response
cache and read by the linker as text about a confirmed reference: through the local stand-in
(serving abstracts for some works, as Crossref does), a real SQLite cache and an offline rerun."""
from __future__ import annotations

import json

from pipeline.crossref.cache import ResponseCache
from pipeline.crossref.stage import CrossrefClient, check_references
from pipeline.linking.stage import link_claims
from pipeline.models import Author, Claim, ParseStatus, Reference, Verdict
from pipeline.settings import Settings
from tests.crossref_server import FIXTURES, CrossrefStandIn

ABSTRACTS = {
    "10.1038/nature05482": "<jats:p>Adipose tissue releases non-esterified fatty acids, glycerol and hormones "
                           "such as leptin and adiponectin; their excess drives beta-cell dysfunction.</jats:p>",
    "10.1172/jci10583": "<jats:p>Intramyocellular lipid metabolites activate a serine kinase cascade that "
                        "blunts insulin receptor substrate signalling in skeletal muscle.</jats:p>",
}


def _items():
    items = json.loads(FIXTURES.read_text(encoding="utf-8"))
    return [dict(item, abstract=ABSTRACTS[item["DOI"]]) if item["DOI"] in ABSTRACTS else item for item in items]


def _references():
    kahn = Reference("a", "R1", 1, "Kahn SE, Hull RL, Utzschneider KM (2006) Mechanisms linking obesity to insulin "
                     "resistance and type 2 diabetes. Nature 444: 840-846.",
                     (Author("Kahn", "S.E."), Author("Hull", "R.L."), Author("Utzschneider", "K.M.")), False, 2006,
                     "Mechanisms linking obesity to insulin resistance and type 2 diabetes", "Nature", volume="444",
                     pages="840-846", parse_status=ParseStatus.PARSED)
    shulman = Reference("a", "R2", 2, "Shulman GI (2000) Cellular mechanisms of insulin resistance. J Clin Invest "
                        "106: 171-176.", (Author("Shulman", "G.I."),), False, 2000,
                        "Cellular mechanisms of insulin resistance", "Journal of Clinical Investigation",
                        volume="106", pages="171-176", parse_status=ParseStatus.PARSED)
    return [kahn, shulman]


def test_abstracts_are_kept_in_the_cache_and_link_claims_only_they_describe(tmp_path):
    references = _references()
    with CrossrefStandIn(items=_items()) as server:
        settings = Settings(crossref_url=server.url, request_timeout=2.0, max_retries=2, cache_dir=tmp_path)
        cache = ResponseCache(tmp_path / "crossref.sqlite")
        checks = check_references(references, settings, client=CrossrefClient(settings, cache, backoff_base=0.01))
        cache.close()
    assert [c.verdict for c in checks] == [Verdict.VERIFIED, Verdict.VERIFIED]
    assert "adiponectin" in checks[0].work.abstract and "<jats:p>" not in checks[0].work.abstract
    assert checks[1].work.subjects and checks[1].work.container

    offline = Settings(crossref_url="http://127.0.0.1:9", offline=True, cache_dir=tmp_path)
    cache = ResponseCache(tmp_path / "crossref.sqlite")
    again = check_references(references, offline, client=CrossrefClient(offline, cache))
    cache.close()
    assert [c.work.abstract for c in again] == [c.work.abstract for c in checks]  # answered from the cache

    claims = [Claim("a", "C1", "B1", 1, "", "", "Leptin and adiponectin from fat tissue harm beta cells.", 0.9, True),
              Claim("a", "C2", "B1", 1, "", "", "A serine kinase cascade blunts signalling in skeletal muscle.",
                    0.9, True)]
    with_abstracts = link_claims(claims, references, again, embedder=False)
    assert [link.linked_refs[:1] for link in with_abstracts.links] == [("R1",), ("R2",)]
    titles_only = link_claims(claims, references, (), embedder=False)
    assert [link.linked_refs for link in titles_only.links] != [("R1",), ("R2",)]
