"""The linking stage: tie each claim to the listed references it rests on.

Consumes the claims, references and Crossref checks of any number of articles (plus their
blocks, for abbreviation definitions and paragraph context); produces a `LinkResult`: one
`Link` per claim in input order, how many claims link to each reference, the references no
claim links to, and notes for the reader (the embedding model missing, markers that name
nothing listed).

Per check-worthy claim (`is_claim`), within its own article only:
1. Explicit markers ("[1-3]", "¹²", "(Kahn et al., 2006)", "Kahn and Hull (2006)") resolve
   exactly (pipeline.linking.markers): method `marker`, support `supported`, score 1.0 each, every
   named reference kept (truncating "[1-6]" to three would report cited entries as unused).
2. Otherwise references are ranked by content: BM25 (pipeline.linking.lexical) of the claim, its
   heading and its paragraph against each reference's title, container and, when the
   Crossref check confirmed the work (verified / mismatch), its subjects and abstract; plus,
   when the embedding model is installed (pipeline.linking.embeddings), cosine similarity of the same
   texts. Abbreviations the article defines ("AMP-activated protein kinase (AMPK)") are
   expanded on both sides first. Up to three references at or above the calibrated
   threshold (and within `relative_cut` of the best) are linked, method `inferred`; support is
   `supported` / `weak` from the best score's calibrated cut points, else `unsupported`
   with no link. A claim whose sentence alone scores under `unsupported_below` is
   `unsupported` even when its heading and paragraph match (an off-topic aside).
   Markers the sentence splitter cut off are given back to their sentence by the claims
   stage (pipeline.claims.stage.sentences_of), so a claim's own text holds its markers.
3. Per article, its structure is blended into those scores (pipeline.linking.structure: order
   of first citation in a numbered list, named first authors), and in a research article
   only the claims likeliest to cite anything may link (pipeline.linking.calibration).
   Knobs and calibrated values: pipeline.linking.config.

A claim that links to nothing gets method `none` and support `unsupported`. Non-claim rows
(`is_claim` False) get `Link(article, claim_id)` too, but `LinkResult.scored` is False for
them and `LinkResult.scored_links()` leaves them out, so the tables write blank linking cells there
(a non-claim is not "unsupported", it was never asked).
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Sequence

from pipeline.messages import say
from pipeline.linking.lexical import BM25, expand, find_abbreviations, tokens
from pipeline.linking.markers import find_markers, strip_markers
from pipeline.linking.calibration import cites_probability, cutoffs, features, research_article
from pipeline.linking.config import CALIBRATED, STRUCTURE, LinkingConfig  # noqa: F401 (re-exported)
from pipeline.linking.structure import adjust
from pipeline.models import Block, Check, Claim, Link, LinkMethod, Reference, Support, Verdict
from pipeline.settings import Settings

# Checks whose Crossref work is the cited paper: only then are its subjects and abstract
# evidence about the reference (a misattributed / not_found match describes another paper).
TRUSTED_WORK = (Verdict.VERIFIED, Verdict.MISMATCH)


@dataclass(frozen=True)
class LinkResult:
    """What the linking stage produces for a batch of articles."""

    links: tuple[Link, ...]                          # one per input claim, same order
    ref_link_counts: dict[tuple[str, str], int]      # (article, ref_id) -> claims linked to it
    unlinked_refs: tuple[tuple[str, str], ...]       # listed references no claim links to
    notes: tuple[str, ...] = ()
    scored: tuple[bool, ...] = ()                    # per link: False for non-claim rows (blank cells)
    rankings: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict, repr=False)
    # ^ claim_id -> every reference of its article with its content score, best first (inferred
    #   claims only): for evaluation and for a reviewer who wants the runner-up.
    cites: dict[str, tuple[float, dict]] = field(default_factory=dict, repr=False)
    # ^ claim_id -> (calibrated probability that the claim cites anything, the features it came from)

    def scored_links(self) -> dict[tuple[str, str], Link]:
        """(article, claim_id) -> Link for every claim that was linked; non-claim rows left out."""
        flags = self.scored or (True,) * len(self.links)
        return {(link.article, link.claim_id): link for link, flag in zip(self.links, flags) if flag}

    def claims_by_method(self) -> dict[str, int]:
        """How many linked claims each method produced ("marker", "inferred", "none")."""
        counts: dict[str, int] = defaultdict(int)
        for link in self.scored_links().values():
            counts[link.link_method.value] += 1
        return dict(counts)


def requested_config(settings) -> LinkingConfig:
    """The configuration asked for: a `LinkingConfig` as given, a `Settings` whose `linking`
    holds one, else the calibrated combined configuration."""
    if isinstance(settings, LinkingConfig):
        return settings
    linking = settings.linking if isinstance(settings, Settings) else None
    return linking if isinstance(linking, LinkingConfig) else CALIBRATED["combined"]


def _effective(config: LinkingConfig, embedder_available: bool) -> LinkingConfig:
    """Without the model every mode falls back to lexical relevance (calibrated, or the
    caller's own thresholds with the lexical weight set to 1)."""
    if config.mode == "lexical" or embedder_available:
        return config
    if config == CALIBRATED[config.mode]:
        return CALIBRATED["lexical"]
    return replace(config, mode="lexical", lexical_weight=1.0)


def _reference_text(ref: Reference, check: Check | None) -> tuple[str, str]:
    """(lexical text, embedding text) of one reference. The title counts twice in BM25: it is
    the densest statement of what the paper is about; the journal name helps a little."""
    parts = [ref.title or ref.raw, ref.title, ref.container]
    semantic = [ref.title or ref.raw]
    if check is not None and check.work is not None and check.verdict in TRUSTED_WORK:
        subjects = "; ".join(check.work.subjects)
        abstract = re.sub(r"<[^>]+>", " ", check.work.abstract or "")  # JATS tags in Crossref abstracts
        parts += [subjects, abstract]
        semantic += [subjects, abstract]
    return " ".join(p for p in parts if p), ". ".join(p for p in semantic if p)


def _squash(score: float, scale: float) -> float:
    return score / (score + scale) if score > 0 else 0.0


@dataclass
class _Article:
    references: list[Reference]
    abbreviations: dict[str, str]
    bm25: BM25
    semantic_docs: list[str]


def _prepare(article: str, references: list[Reference], checks: dict, blocks: list[Block],
             claims: list[Claim]) -> _Article:
    texts = [b.text for b in blocks] or [c.sentence for c in claims]
    texts += [r.title for r in references]
    abbreviations = find_abbreviations(texts)
    lexical_docs, semantic_docs = [], []
    for ref in references:
        lexical, semantic = _reference_text(ref, checks.get((article, ref.ref_id)))
        lexical_docs.append(tokens(expand(lexical, abbreviations)))
        semantic_docs.append(expand(semantic, abbreviations))
    return _Article(references, abbreviations, BM25(lexical_docs), semantic_docs)


@dataclass(frozen=True)
class _Query:
    sentence: str
    heading: str
    context: str

    def weighted_terms(self, config: LinkingConfig) -> tuple[list[str], dict[str, float]]:
        """Distinct query terms with their weights: a sentence word outranks the same word
        seen only in the heading or the surrounding paragraph."""
        weights: dict[str, float] = {}
        for text, weight in ((self.context, config.context_weight), (self.heading, config.heading_weight),
                             (self.sentence, 1.0)):
            for term in tokens(text):
                weights[term] = max(weights.get(term, 0.0), weight)
        return list(weights), weights


def _query(claim: Claim, block: Block | None, prepared: _Article) -> _Query:
    """The claim as a query: its sentence (markers stripped), heading and the rest of its
    paragraph, each with the article's abbreviations expanded."""
    sentence = expand(strip_markers(claim.sentence), prepared.abbreviations)
    heading = expand(claim.heading or "", prepared.abbreviations)
    context = ""
    if block is not None and block.text and block.text.strip() != claim.sentence.strip():
        context = expand(strip_markers(block.text.replace(claim.sentence, " ")), prepared.abbreviations)
    return _Query(sentence, heading, context)


@dataclass(frozen=True)
class Ranking:
    """The content ranking of one claim."""

    scored: tuple[tuple[str, float], ...]  # every reference of the article, score in [0, 1], best first
    own_best: float  # best score of the sentence alone (no heading, no paragraph): is the claim itself on topic?
    cites: float | None = None  # calibrated probability that the claim cites a listed reference at all
    features: dict = field(default_factory=dict, compare=False)  # what `cites` was computed from
    cites_cutoff: float = 0.0  # research articles: `cites` under it links nothing (threshold, or too many claims)


def rank_claim(claim: Claim, block: Block | None, prepared: _Article, config: LinkingConfig,
               vectors: dict | None) -> Ranking:
    """Every reference of the claim's article scored against the claim with its heading and
    paragraph (which reference), and against the sentence alone (whether any)."""
    query = _query(claim, block, prepared)
    terms, weights = query.weighted_terms(config)
    lexical = [_squash(s, config.lexical_scale) for s in prepared.bm25.scores(terms, weights)]
    own_lexical = [_squash(s, config.lexical_scale) for s in prepared.bm25.scores(tokens(query.sentence))]
    semantic = own_semantic = [0.0] * len(prepared.references)
    if vectors is not None and config.mode != "lexical":
        sentence_vec = vectors[query.sentence]
        query_vec = sentence_vec
        if query.heading:
            query_vec = query_vec + config.heading_weight * vectors[query.heading]
        if query.context:
            query_vec = query_vec + config.context_weight * vectors[query.context]
        norm = math.sqrt(float((query_vec * query_vec).sum())) or 1.0
        semantic = [max(0.0, float(query_vec @ vectors[doc]) / norm) for doc in prepared.semantic_docs]
        own_semantic = [max(0.0, float(sentence_vec @ vectors[doc])) for doc in prepared.semantic_docs]
    weight = {"lexical": 1.0, "embedding": 0.0}.get(config.mode, config.lexical_weight)
    scored = [(ref.ref_id, weight * lex + (1 - weight) * sem)
              for ref, lex, sem in zip(prepared.references, lexical, semantic)]
    own = [weight * lex + (1 - weight) * sem for lex, sem in zip(own_lexical, own_semantic)]
    ordered = sorted(scored, key=lambda pair: (-pair[1], int(re.sub(r"\D", "", pair[0]) or 0)))
    return Ranking(tuple(ordered), max(own, default=0.0))


def choose_links(ranking: Ranking, config: LinkingConfig) -> tuple[tuple[str, ...], tuple[float, ...], Support]:
    """The linked references (thresholded, best first), their scores and the claim's support.
    Unsupported: the best score is under `link_threshold`, or the sentence alone is under
    `unsupported_below` (an off-topic claim borrowing words from its heading and paragraph)."""
    scored = ranking.scored
    if not scored or scored[0][1] < config.link_threshold or ranking.own_best < config.unsupported_below:
        return (), (), Support.UNSUPPORTED
    if ranking.cites is not None and ranking.cites < ranking.cites_cutoff:
        return (), (), Support.UNSUPPORTED
    best = scored[0][1]
    chosen = [(ref_id, score) for ref_id, score in scored[: config.max_links]
              if score >= config.link_threshold and score >= config.relative_cut * best]
    support = Support.SUPPORTED if best >= config.supported_at else Support.WEAK
    return tuple(r for r, _ in chosen), tuple(round(s, 3) for _, s in chosen), support


def _dedupe(ids) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def link_claims(claims: Sequence[Claim], references: Sequence[Reference], checks: Sequence[Check] = (),
                blocks: Sequence[Block] = (), embedder=None, settings=None) -> LinkResult:
    """Link every claim of every article to the references of its own article.

    `embedder`: None loads the optional model when installed (pipeline.linking.embeddings); False
    forces lexical-only; an `Embedder` is used as given. `settings`: a `Settings` (its `linking` may
    hold a `LinkingConfig`) or a `LinkingConfig`; default: the calibrated combined configuration.
    """
    notes: list[str] = []
    embedder, config = _linking_setup(claims, embedder, settings, notes)
    refs_by_article: dict[str, list[Reference]] = defaultdict(list)
    for ref in references:
        refs_by_article[ref.article].append(ref)
    check_index = {(c.article, c.ref_id): c for c in checks}
    blocks_by_article: dict[str, list[Block]] = defaultdict(list)
    block_index = {}
    for block in blocks:
        blocks_by_article[block.article].append(block)
        block_index[(block.article, block.block_id)] = block
    claims_by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        claims_by_article[claim.article].append(claim)

    prepared = {article: _prepare(article, refs, check_index, blocks_by_article.get(article, []),
                                  claims_by_article.get(article, []))
                for article, refs in refs_by_article.items()}
    # Markers first: they decide which claims need content ranking at all.
    marker_links = _marker_links(claims, refs_by_article, prepared, notes)
    to_rank = [(i, c) for i, c in enumerate(claims)
               if c.is_claim and c.article in prepared and i not in marker_links]
    vectors = _claim_vectors(to_rank, block_index, prepared, embedder) \
        if embedder is not None and config.mode != "lexical" and to_rank else None
    ranked = _rank_articles(to_rank, block_index, prepared, config, vectors)
    links: list[Link] = []
    scored: list[bool] = []
    rankings: dict[str, tuple[tuple[str, float], ...]] = {}
    cites: dict[str, tuple[float, dict]] = {}
    for position, claim in enumerate(claims):
        scored.append(claim.is_claim)
        if not claim.is_claim:
            links.append(Link(claim.article, claim.claim_id))
            continue
        if position in marker_links:
            ref_ids = marker_links[position]
            link = Link(claim.article, claim.claim_id, ref_ids, tuple(1.0 for _ in ref_ids),
                        LinkMethod.MARKER, Support.SUPPORTED)
        elif claim.article in prepared:
            ranking = ranked[position]
            rankings[claim.claim_id] = tuple((r, round(s, 4)) for r, s in ranking.scored)
            cites[claim.claim_id] = (ranking.cites, ranking.features)
            ref_ids, scores, support = choose_links(ranking, config)
            link = Link(claim.article, claim.claim_id, ref_ids, scores,
                        LinkMethod.INFERRED if ref_ids else LinkMethod.NONE, support)
        else:  # an article without a reference list: nothing to rest on
            link = Link(claim.article, claim.claim_id)
        if link.linked_refs:
            check = check_index.get((claim.article, link.linked_refs[0]))
            link = replace(link, best_ref_verdict=check.verdict.value if check else "")
        links.append(link)
    return replace(result_of(links, references, notes, scored, rankings), cites=cites)


def _linking_setup(claims: Sequence[Claim], embedder, settings, notes: list[str]):
    """(the embedder to use or None, the effective configuration), noting why linking is lexical."""
    wanted = requested_config(settings)
    if isinstance(settings, Settings) and not settings.embeddings:
        embedder = False  # --no-embeddings
        if wanted.mode != "lexical":
            notes.append(say("lexical_only", why="--no-embeddings"))
    if embedder is None and wanted.mode != "lexical" and any(c.is_claim for c in claims):
        from pipeline.linking.embeddings import embedder_status, load_embedder

        embedder = load_embedder()
        if embedder is None:
            notes.append(say("lexical_only", why=embedder_status()))
    elif embedder is False:
        embedder = None
    return embedder, _effective(wanted, embedder is not None)


def _marker_links(claims: Sequence[Claim], refs_by_article: dict, prepared: dict, notes: list[str]) -> dict:
    """claim position -> the references its explicit markers name; notes the markers that name none."""
    marker_links: dict[int, tuple[str, ...]] = {}
    for position, claim in enumerate(claims):
        if not claim.is_claim or claim.article not in prepared:
            continue
        markers = find_markers(claim.sentence, refs_by_article[claim.article])
        resolved = _dedupe(r for m in markers for r in m.ref_ids)
        for marker in markers:
            if not marker.ref_ids:
                notes.append(say("marker_unresolved", article=claim.article, claim_id=claim.claim_id, marker=marker.text))
        if resolved:
            marker_links[position] = resolved
    return marker_links


def _claim_vectors(to_rank, block_index: dict, prepared: dict, embedder) -> dict:
    """Embedding vectors of every query text and reference document the ranking will read."""
    texts = []
    for _, claim in to_rank:
        query = _query(claim, block_index.get((claim.article, claim.block_id)), prepared[claim.article])
        texts += [t for t in (query.sentence, query.heading, query.context) if t]
    for article in {c.article for _, c in to_rank}:
        texts += prepared[article].semantic_docs
    texts = list(dict.fromkeys(texts))
    return dict(zip(texts, embedder.encode(texts)))


def _rank_articles(to_rank: list[tuple[int, Claim]], block_index: dict, prepared: dict[str, _Article],
                   config: LinkingConfig, vectors: dict | None) -> dict[int, Ranking]:
    """The content ranking of every claim to rank (by its position in the input), then, per
    article, the article's structure blended in (pipeline.linking.structure: the order of first
    citation in a list that is not alphabetical, first authors named in the sentence)."""
    by_article: dict[str, list[tuple[int, Claim, Ranking]]] = defaultdict(list)
    for position, claim in to_rank:
        ranking = rank_claim(claim, block_index.get((claim.article, claim.block_id)), prepared[claim.article],
                             config, vectors)
        by_article[claim.article].append((position, claim, ranking))
    ranked: dict[int, Ranking] = {}
    for article, rows in by_article.items():
        refs = prepared[article].references
        column = {ref.ref_id: k for k, ref in enumerate(refs)}
        matrix = []
        for _, _, ranking in rows:
            row = [0.0] * len(refs)
            for ref_id, score in ranking.scored:
                row[column[ref_id]] = score
            matrix.append(row)
        sentences = [strip_markers(c.sentence) for _, c, _ in rows]
        # a research article cites most references once or twice, each where its topic comes up, so each
        # reference's best sentence is evidence (column_weight); a popular article rests claim after claim
        # on its few sources
        research = research_article(f"{c.section} {c.heading}" for _, c, _ in rows)
        adjusted = adjust(matrix, sentences, refs, config.order_weight, config.order_tau, config.name_bonus,
                          [c.block_id for _, c, _ in rows], config.neighbour_weight,
                          config.column_weight if research else 0.0)
        for index, ((position, claim, ranking), row) in enumerate(zip(rows, adjusted.scores)):
            ordered = tuple(sorted(zip((r.ref_id for r in refs), row),
                                   key=lambda pair: (-pair[1], int(re.sub(r"\D", "", pair[0]) or 0))))
            values = features(ordered, ranking.own_best, sentences[index], f"{claim.section} {claim.heading}",
                              adjusted.first_here[index], adjusted.named[index])
            ranked[position] = Ranking(ordered, ranking.own_best, cites_probability(values), values)
        # an article's references carry about `claims_per_reference` claims each: the claims most likely to
        # cite anything, that many per listed reference, may link; the rest rest on nothing listed
        # (a popular article rests nearly every claim on its few sources: no threshold, and a looser cap that
        # only an essay with many more sentences than sources reaches)
        per_reference = config.claims_per_reference if research else config.claims_per_reference_popular
        positions = [position for position, _, _ in rows]
        limits = cutoffs([ranked[p].cites for p in positions], math.ceil(per_reference * len(refs)),
                         config.cites_threshold if research else 0.0)
        for position, limit in zip(positions, limits):
            ranked[position] = replace(ranked[position], cites_cutoff=limit)
    return ranked


def result_of(links: Sequence[Link], references: Sequence[Reference], notes: Sequence[str],
              scored: Sequence[bool], rankings: dict) -> LinkResult:
    """A `LinkResult` from links in claim order: each listed reference's claim count, and the
    references no claim links to (also for links put together from stored articles)."""
    counts: dict[tuple[str, str], int] = {(r.article, r.ref_id): 0 for r in references}
    for link in links:
        for ref_id in link.linked_refs:
            counts[(link.article, ref_id)] = counts.get((link.article, ref_id), 0) + 1
    unlinked = tuple(key for key, count in counts.items() if count == 0)
    return LinkResult(tuple(links), counts, unlinked, tuple(dict.fromkeys(notes)), tuple(scored), rankings)

