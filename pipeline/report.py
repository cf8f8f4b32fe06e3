"""The HTML report for people: all records in, one self-contained `report.html` out.

Consumes the documents (blocks), claims, links, references and checks of a run and
produces a single HTML page that works offline: no scripts, no external styles, fonts or
images, and a Content-Security-Policy that forbids them, so scraped text can never run in
a reader's browser. Every piece of scraped text goes through `html.escape`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Sequence
from urllib.parse import quote

from pipeline.models import Block, Check, Claim, Link, Reference, Verdict

VERDICT_COLOURS = {
    Verdict.VERIFIED.value: "#2e7d32",
    Verdict.MISMATCH.value: "#ef6c00",
    Verdict.MISATTRIBUTED.value: "#c62828",
    Verdict.NOT_FOUND.value: "#6a1b9a",
    Verdict.UNCHECKED.value: "#757575",
}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;max-width:80rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:2px solid #ddd;padding-bottom:.3rem;margin-top:2.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left;font-size:.9rem}
th{background:#f5f5f5}.verdict{color:#fff;border-radius:.3rem;padding:.1rem .4rem;font-size:.8rem;white-space:nowrap}
.retracted{background:#b71c1c;color:#fff;font-weight:bold;padding:.1rem .4rem;border-radius:.3rem}
.damage{color:#b71c1c;font-size:.8rem}.muted{color:#777;font-size:.85rem}
.diff td.bad{background:#fff3e0}.summary span{margin-right:1rem}
details{margin:.5rem 0 1.5rem}summary{cursor:pointer;font-weight:600}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass
class ArticleView:
    """What the report shows of one article, gathered from the records."""

    article: str
    blocks: list[Block] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def _verdict_badge(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#9e9e9e")
    return f'<span class="verdict" style="background:{colour}">{escape(verdict or "—")}</span>'


def _doi_link(doi: str) -> str:
    if not doi:
        return ""
    return f'<a href="https://doi.org/{escape(quote(doi, safe="/:;()._-"))}">{escape(doi)}</a>'


def verdict_chart(counts_by_article: dict[str, Counter]) -> str:
    """An inline SVG bar chart of verdict counts per article (no script, no external file)."""
    verdicts = [v.value for v in Verdict]
    bar_height, gap, label_width, scale = 18, 8, 260, 24
    width = label_width + scale * max([sum(c.values()) for c in counts_by_article.values()] + [1]) + 40
    height = (bar_height + gap) * len(counts_by_article) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="verdict counts per article" '
             f'width="{width}" height="{height}">']
    for row, (article, counts) in enumerate(sorted(counts_by_article.items())):
        y = row * (bar_height + gap)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(article[:40])}</text>')
        x = label_width
        for verdict in verdicts:
            n = counts.get(verdict, 0)
            if not n:
                continue
            parts.append(f'<rect x="{x}" y="{y}" width="{n * scale}" height="{bar_height}" '
                         f'fill="{VERDICT_COLOURS[verdict]}"><title>{escape(verdict)}: {n}</title></rect>'
                         f'<text x="{x + 4}" y="{y + 13}" font-size="11" fill="#fff">{n}</text>')
            x += n * scale
    legend_y = len(counts_by_article) * (bar_height + gap) + 20
    x = 0
    for verdict in verdicts:
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{VERDICT_COLOURS[verdict]}"/>'
                     f'<text x="{x + 16}" y="{legend_y + 11}" font-size="12">{verdict}</text>')
        x += 110
    parts.append("</svg>")
    return "".join(parts)


def _claims_table(claims: list[Claim], links: dict[str, Link], titles: dict[str, str]) -> str:
    rows = []
    for claim in claims:
        if not claim.is_claim:
            continue
        link = links.get(claim.claim_id)
        refs = ""
        if link and link.linked_refs:
            refs = "<br>".join(
                f"{escape(ref_id)} ({score:.2f}) {escape(titles.get(ref_id, ''))}"
                for ref_id, score in zip(link.linked_refs, link.link_scores)
            )
        damage = "".join(f'<div class="damage">⚠ {escape(d)}</div>' for d in claim.scrape_damage)
        rows.append(
            "<tr>"
            f"<td>{claim.source_line}</td>"
            f"<td>{escape(claim.sentence)}{damage}<div class='muted'>{escape(', '.join(claim.cues))}</div></td>"
            f"<td>{escape(link.support.value if link else '')}<div class='muted'>{escape(link.link_method.value if link else '')}</div></td>"
            f"<td>{refs}</td>"
            f"<td>{_verdict_badge(link.best_ref_verdict) if link and link.best_ref_verdict else ''}</td>"
            "</tr>"
        )
    if not rows:
        return "<p class='muted'>No check-worthy claims.</p>"
    return ("<table><thead><tr><th>line</th><th>claim</th><th>support</th><th>linked references</th>"
            "<th>best reference</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _field_diff(check: Check) -> str:
    """The compared fields side by side, cited against Crossref, mismatches highlighted."""
    if not check.comparisons:
        return ""
    rows = "".join(
        f"<tr><td>{escape(c.field)}</td><td{' class=bad' if not c.agrees else ''}>{escape(c.cited)}</td>"
        f"<td{' class=bad' if not c.agrees else ''}>{escape(c.found)}</td></tr>"
        for c in check.comparisons
    )
    return ("<table class='diff'><thead><tr><th>field</th><th>cited</th><th>Crossref</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _references_table(references: list[Reference], checks: dict[str, Check], link_counts: dict[str, int]) -> str:
    rows = []
    for ref in references:
        check = checks.get(ref.ref_id)
        verdict = check.verdict.value if check else ""
        retracted = '<span class="retracted">RETRACTED</span> ' if check and check.retracted else ""
        notice = f"<div class='muted'>{escape(check.update_notice)}</div>" if check and check.update_notice else ""
        note = " ".join(n for n in (ref.parse_note, check.note if check else "") if n)
        crossref_doi = check.work.doi if check and check.work else ""
        detail = ""
        if check and check.mismatched_fields:
            detail = (f"<details><summary>mismatched: {escape(', '.join(check.mismatched_fields))}</summary>"
                      f"{_field_diff(check)}</details>")
        rows.append(
            "<tr>"
            f"<td>{escape(ref.ref_id)}</td>"
            f"<td>{escape(ref.raw)}{detail}<div class='muted'>{escape(note)}</div></td>"
            f"<td>{retracted}{_verdict_badge(verdict)}{notice}</td>"
            f"<td>{_doi_link(ref.doi)}{'<br>Crossref: ' + _doi_link(crossref_doi) if crossref_doi and crossref_doi.lower() != ref.doi.lower() else ''}</td>"
            f"<td>{link_counts.get(ref.ref_id, 0)}</td>"
            "</tr>"
        )
    if not rows:
        return "<p class='muted'>No reference list found.</p>"
    return ("<table><thead><tr><th>ref</th><th>citation</th><th>verdict</th><th>DOI</th>"
            "<th>claims linked</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _removed_blocks(blocks: list[Block]) -> str:
    removed = [b for b in blocks if not b.kept]
    if not removed:
        return ""
    rows = "".join(
        f"<tr><td>{b.source_line}</td><td>{escape(b.kind.value)}</td><td>{escape(b.reason)}</td>"
        f"<td>{escape(b.text)}</td></tr>"
        for b in removed
    )
    return (f"<details><summary>Removed blocks ({len(removed)})</summary><table><thead><tr><th>line</th>"
            f"<th>kind</th><th>reason</th><th>text</th></tr></thead><tbody>{rows}</tbody></table></details>")


def render_report(
    blocks: Sequence[Block],
    claims: Sequence[Claim],
    references: Sequence[Reference],
    checks: Sequence[Check] = (),
    links: Sequence[Link] = (),
    failed: dict[str, str] | None = None,
) -> str:
    """The whole report as one HTML string."""
    views: dict[str, ArticleView] = {}
    for block in blocks:
        views.setdefault(block.article, ArticleView(block.article)).blocks.append(block)
    for claim in claims:
        views.setdefault(claim.article, ArticleView(claim.article)).claims.append(claim)
    for ref in references:
        views.setdefault(ref.article, ArticleView(ref.article)).references.append(ref)
    checks_by = {(c.article, c.ref_id): c for c in checks}
    links_by = {(l.article, l.claim_id): l for l in links}
    link_counts: dict[tuple[str, str], int] = Counter(
        (l.article, r) for l in links for r in l.linked_refs
    )

    counts_by_article: dict[str, Counter] = defaultdict(Counter)
    sections = []
    for article in sorted(views):
        view = views[article]
        art_checks = {r.ref_id: checks_by[(article, r.ref_id)] for r in view.references if (article, r.ref_id) in checks_by}
        counts = Counter(c.verdict.value for c in art_checks.values())
        counts_by_article[article] = counts
        art_links = {c.claim_id: links_by[(article, c.claim_id)] for c in view.claims if (article, c.claim_id) in links_by}
        titles = {r.ref_id: r.title for r in view.references}
        n_claims = sum(1 for c in view.claims if c.is_claim)
        n_unsupported = sum(1 for c in view.claims if c.is_claim and art_links.get(c.claim_id)
                            and art_links[c.claim_id].support.value == "unsupported")
        n_damaged = sum(1 for c in view.claims if c.scrape_damage)
        summary = (f"<p class='summary'><span>{n_claims} claims</span><span>{n_unsupported} unsupported</span>"
                   f"<span>{n_damaged} with scraping damage</span><span>{len(view.references)} references</span>"
                   + "".join(f"<span>{escape(v)}: {n}</span>" for v, n in sorted(counts.items())) + "</p>")
        sections.append(
            f"<section id='{escape(article)}'><h2>{escape(article)}</h2>{summary}"
            f"<h3>Claims</h3>{_claims_table(view.claims, art_links, titles)}"
            f"<h3>References</h3>{_references_table(view.references, art_checks, {r: n for (a, r), n in link_counts.items() if a == article})}"
            f"{_removed_blocks(view.blocks)}</section>"
        )
    failures = ""
    if failed:
        failures = "<h2>Articles that failed</h2><ul>" + "".join(
            f"<li><b>{escape(name)}</b>: {escape(why)}</li>" for name, why in sorted(failed.items())) + "</ul>"
    chart = verdict_chart(counts_by_article) if counts_by_article else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Citation audit report</title><style>{CSS}</style></head><body>"
        f"<h1>Citation audit report</h1><p class='muted'>{len(views)} article(s)</p>"
        f"<h2>Verdicts per article</h2>{chart}{failures}{''.join(sections)}</body></html>"
    )
