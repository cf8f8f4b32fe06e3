"""The HTML report for people: all records in, one self-contained `report.html` out.

Consumes the blocks, claims, references, Crossref checks and (when the linking stage ran)
links of a run, plus the names of inputs that failed; produces one HTML page that works
offline: no script, no external style sheet, font or image, the chart an inline SVG. Per
article it shows the check-worthy claims and any sentence scraping damaged (with their
support and linked references when links are given, and the reviewer's status and note
where claims.csv carried one), every reference with its verdict, the mismatched fields side by side
(cited against Crossref), retractions, links to doi.org, and the removed blocks collapsed
in a `<details>`.

Scraped text is untrusted: every piece goes through `html.escape` (quotes included) and
every attribute is quoted. A Content-Security-Policy meta tag forbids scripts, plugins,
frames, forms, remote loads and inline style attributes; the one `<style>` element is
allowed by its sha256 hash, so even markup slipped past the escaping could not run or
restyle the page.
"""
from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Iterator, Sequence
from urllib.parse import quote

from pipeline.crossref import title_diff
from pipeline.models import Block, Check, Claim, Link, Reference, Verdict
from pipeline.outputs.citation_diff import stacked
from pipeline.store import atomic_write_parts
from pipeline.outputs.reviews import REVIEW_STATUSES

VERDICTS = tuple(v.value for v in Verdict)
# fill colours of the chart and the verdict badges (white text on each is readable)
VERDICT_COLOURS = {
    "verified": "#2e7d32",
    "mismatch": "#b45309",
    "misattributed": "#c62828",
    "not_found": "#6a1b9a",
    "unchecked": "#616161",
}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:1.5rem auto;
max-width:82rem;padding:0 1rem;color:#1f2328;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;vertical-align:top;text-align:left;font-size:.88rem}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}
.badge{color:#fff;border-radius:.3rem;padding:.05rem .4rem;font-size:.8rem;white-space:nowrap}
.verified{background:#2e7d32}.mismatch{background:#b45309}.misattributed{background:#c62828}
.not_found{background:#6a1b9a}.unchecked{background:#616161}.none{background:#9e9e9e}
.retracted{background:#b71c1c;color:#fff;font-weight:bold;padding:.05rem .4rem;border-radius:.3rem}
.damage{color:#b71c1c;font-size:.82rem}.muted{color:#57606a;font-size:.82rem}
.support-supported{color:#2e7d32;font-weight:600}.support-weak{color:#b45309;font-weight:600}
.support-unsupported{color:#c62828;font-weight:600}
.review-confirmed{color:#2e7d32;font-weight:600}.review-disputed{color:#c62828;font-weight:600}
.review-needs_source{color:#b45309;font-weight:600}.review-invalid{color:#b71c1c;text-decoration:underline wavy}
table.diff{width:auto;margin:.3rem 0}table.diff td,table.diff th{font-size:.8rem}td.bad{background:#fff1e0}
.summary span{display:inline-block;margin-right:1.2rem}
details{margin:.5rem 0 1.5rem}td details{margin:.2rem 0}summary{cursor:pointer;font-weight:600}
nav a{margin-right:1rem}svg{max-width:100%;height:auto}
.fix{margin:.3rem 0;font-size:.85rem}.fix del{background:#ffebe9;color:#82071e}
.fix ins{background:#dafbe1;color:#116329;text-decoration:none}
"""

CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
CSP = ("default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; "
       f"style-src 'sha256-{CSS_HASH}'; img-src data:; font-src 'none'; connect-src 'none'; "
       "base-uri 'none'; form-action 'none'")


@dataclass
class ArticleView:
    """What the report shows of one article, gathered from the records."""

    article: str
    blocks: list[Block] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    checks: dict[str, Check] = field(default_factory=dict)  # ref_id -> check
    links: dict[str, Link] = field(default_factory=dict)    # claim_id -> link
    reviews: dict[str, tuple[str, str]] = field(default_factory=dict)  # claim_id -> (status, note)
    corrected: dict = field(default_factory=dict)  # ref_id -> outputs.corrected.Corrected

    def verdict_counts(self) -> Counter:
        return Counter(self.checks[r.ref_id].verdict.value if r.ref_id in self.checks else "unchecked"
                       for r in self.references)


def _e(value: object) -> str:
    """Escaped text for an element body or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def _badge(verdict: str) -> str:
    css = verdict if verdict in VERDICT_COLOURS else "none"
    return f'<span class="badge {css}">{_e(verdict or "no verdict")}</span>'


def doi_link(doi: str) -> str:
    """A link to https://doi.org/<doi>; the DOI is percent-encoded, so it cannot leave the URL."""
    if not doi:
        return ""
    return f'<a href="https://doi.org/{_e(quote(doi, safe="/:;()._-"))}">{_e(doi)}</a>'


def anchor(article: str, ref_id: str = "") -> str:
    """An id for an article's section (or one of its references): only letters, digits and dashes."""
    return "a-" + "".join(c if c.isalnum() else "-" for c in article + (f"--{ref_id}" if ref_id else ""))


def verdict_chart(views: Sequence[ArticleView]) -> str:
    """An inline SVG of stacked bars: verdict counts per article, with a legend."""
    bar, gap, label_w, bars_w = 20, 10, 290, 560
    most = max([sum(v.verdict_counts().values()) for v in views] + [1])
    unit = min(26.0, bars_w / most)  # a long reference list scales the bars instead of overflowing
    width = label_w + round(unit * most) + 60
    height = (bar + gap) * len(views) + 40
    parts = [f'<svg role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="verdict counts per article">']
    for row, view in enumerate(views):
        y = row * (bar + gap)
        label = view.article if len(view.article) <= 42 else view.article[:41] + "…"
        parts.append(f'<text x="0" y="{y + 14}" font-size="13">{_e(label)}</text>')
        x = label_w
        counts = view.verdict_counts()
        for verdict in VERDICTS:
            n = counts.get(verdict, 0)
            if not n:
                continue
            w = n * unit
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{VERDICT_COLOURS[verdict]}">'
                         f'<title>{_e(verdict)}: {n}</title></rect>')
            if w >= 8 * len(str(n)) + 6:  # the count fits inside its segment
                parts.append(f'<text x="{x + 5:.1f}" y="{y + 14}" font-size="12" fill="#fff">{n}</text>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 14}" font-size="12" fill="#57606a">{sum(counts.values())}</text>')
    legend_y = len(views) * (bar + gap) + 16
    x = 0
    for verdict in VERDICTS:
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{VERDICT_COLOURS[verdict]}"/>'
                     f'<text x="{x + 16}" y="{legend_y + 11}" font-size="12">{_e(verdict)}</text>')
        x += 120
    parts.append("</svg>")
    return "".join(parts)


def _review_cell(review: tuple[str, str] | None) -> str:
    """A reviewer's status and note, as typed into claims.csv (an invalid status shown as it is)."""
    if not review:
        return "<td></td>"
    status, note = review
    return (f'<td><span class="review-{_e(status) if status in REVIEW_STATUSES else "invalid"}">{_e(status)}</span>'
            f'{f"<div>{_e(note)}</div>" if note else ""}</td>')


def _claims_table(view: ArticleView, linked: bool) -> str:
    titles = {r.ref_id: r.title or r.raw for r in view.references}
    reviewed = bool(view.reviews)  # the review column only where a reviewer has written something
    head = "<th>line</th><th>claim</th>" + ("<th>support</th><th>linked references</th><th>best reference</th>"
                                             if linked else "") + ("<th>review</th>" if reviewed else "")
    rows = []
    for claim in view.claims:
        if not claim.is_claim and not claim.scrape_damage and claim.claim_id not in view.reviews:
            continue  # a sentence the reviewer wrote about is shown whatever its score
        damage = "".join(f'<div class="damage">scraping damage: {_e(d)}</div>' for d in claim.scrape_damage)
        kind = "" if claim.is_claim else "not scored as a claim · "
        cells = (f'<td class="num">{claim.source_line}</td>'
                 f'<td>{_e(claim.sentence)}{damage}<div class="muted">{kind}{_e(claim.claim_id)} · score '
                 f'{claim.claim_score:.2f} · {_e(", ".join(claim.cues))}</div></td>')
        if linked and not claim.is_claim:
            cells += "<td></td><td></td><td></td>"
        elif linked:
            link = view.links.get(claim.claim_id)
            support = link.support.value if link else ""
            refs = "<br>".join(
                f'<a href="#{anchor(view.article, ref_id)}">{_e(ref_id)}</a> <span class="muted">({score:.2f})</span> '
                f'{_e(titles.get(ref_id, ""))}'
                for ref_id, score in zip(link.linked_refs, link.link_scores)) if link else ""
            cells += (f'<td><span class="support-{_e(support)}">{_e(support)}</span>'
                      f'<div class="muted">{_e(link.link_method.value if link and link.linked_refs else "")}</div></td>'
                      f'<td>{refs}</td>'
                      f'<td>{_badge(link.best_ref_verdict) if link and link.best_ref_verdict else ""}</td>')
        if reviewed:
            cells += _review_cell(view.reviews.get(claim.claim_id))
        rows.append(f"<tr>{cells}</tr>")
    if not rows:
        return '<p class="muted">No check-worthy claims.</p>'
    note = "" if linked else ('<p class="muted">Claims were not linked to references in this run: '
                              'support and linked references are not shown.</p>')
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _words(comparison) -> str:
    """Under a title that differs: the words changed, added or dropped."""
    diff = title_diff(comparison.cited, comparison.found) if comparison.field == "title" else ""
    return f'<div class="muted">words: {_e(diff)}</div>' if diff else ""


def _side_by_side(check: Check, fields: Sequence[str]) -> str:
    """The given compared fields as rows: field, cited value, Crossref value."""
    rows = "".join(
        f'<tr><td>{_e(c.field)}</td><td class="bad">{_e(c.cited)}{_words(c)}</td><td class="bad">{_e(c.found)}</td></tr>'
        if not c.agrees else f"<tr><td>{_e(c.field)}</td><td>{_e(c.cited)}</td><td>{_e(c.found)}</td></tr>"
        for c in check.comparisons if c.field in fields)
    if not rows:
        return ""
    return ('<table class="diff"><thead><tr><th>field</th><th>cited</th><th>Crossref</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _reference_detail(check: Check | None) -> str:
    if check is None:
        return ""
    parts = []
    if check.mismatched_fields:
        diff = _side_by_side(check, check.mismatched_fields)
        parts.append(f'<div class="muted">mismatched: {_e(", ".join(check.mismatched_fields))}</div>{diff}')
    others = [c.field for c in check.comparisons if c.field not in check.mismatched_fields]
    if others:
        parts.append(f"<details><summary>all compared fields</summary>{_side_by_side(check, others)}</details>")
    return "".join(parts)


def _citation(view: ArticleView, ref: Reference, check: Check | None) -> str:
    """The cited entry; for a flawed one, cited over corrected citation with the changed words
    marked, and for a verified one the corrected citation collapsed under it."""
    fix = view.corrected.get(ref.ref_id)
    if fix is None or not fix.citation or check is None:
        return _e(ref.raw)
    if check.verdict == Verdict.VERIFIED:
        return (f"{_e(ref.raw)}<details><summary>corrected citation</summary>"
                f"{stacked(ref.raw, fix.citation, fix.style)}</details>")
    return stacked(ref.raw, fix.citation, fix.style)


def _references_table(view: ArticleView, link_counts: Counter | None) -> str:
    rows = []
    for ref in view.references:
        check = view.checks.get(ref.ref_id)
        retracted = '<span class="retracted">RETRACTED</span> ' if check and check.retracted else ""
        notice = f'<div class="muted">{_e(check.update_notice)}</div>' if check and check.update_notice else ""
        note = "; ".join(n for n in (ref.parse_note, check.note if check else "") if n)
        crossref_doi = check.work.doi if check and check.work else ""
        dois = doi_link(ref.doi)
        if crossref_doi and crossref_doi.lower() != ref.doi.lower():
            dois += ("<br>" if dois else "") + "Crossref: " + doi_link(crossref_doi)
        linked = f'<td class="num">{link_counts.get(ref.ref_id, 0)}</td>' if link_counts is not None else ""
        rows.append(
            f'<tr id="{anchor(view.article, ref.ref_id)}"><td>{_e(ref.ref_id)}</td>'
            f'<td>{_citation(view, ref, check)}{_reference_detail(check)}'
            f'<div class="muted">{_e(note)}</div></td>'
            f'<td>{retracted}{_badge(check.verdict.value if check else "")}{notice}</td>'
            f"<td>{dois}</td>{linked}</tr>")
    if not rows:
        return '<p class="muted">No reference list found.</p>'
    head = "<th>ref</th><th>citation</th><th>verdict</th><th>DOI</th>" + (
        "<th>claims linked</th>" if link_counts is not None else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _removed_blocks(blocks: list[Block]) -> str:
    removed = [b for b in blocks if not b.kept]
    if not removed:
        return ""
    rows = "".join(
        f'<tr><td class="num">{b.source_line}</td><td>{_e(b.kind.value)}</td><td>{_e(b.reason)}</td>'
        f"<td>{_e(b.text)}</td></tr>" for b in removed)
    return (f"<details><summary>Removed blocks ({len(removed)})</summary><table><thead><tr><th>line</th>"
            f"<th>kind</th><th>reason</th><th>text</th></tr></thead><tbody>{rows}</tbody></table></details>")


def _summary(view: ArticleView, linked: bool) -> str:
    claims = [c for c in view.claims if c.is_claim]
    parts = [f"{len(claims)} claims"]
    if linked:
        parts.append(f"{sum(1 for c in claims if c.claim_id in view.links and view.links[c.claim_id].support.value == 'unsupported')} unsupported")
    parts.append(f"{sum(1 for c in view.claims if c.scrape_damage)} with scraping damage")
    statuses = Counter(status or "note only" for status, _ in view.reviews.values())
    if statuses:
        parts.append(f"{len(view.reviews)} reviewed (" + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())) + ")")
    parts.append(f"{len(view.references)} references")
    parts += [f"{verdict}: {n}" for verdict, n in sorted(view.verdict_counts().items())]
    retracted = sum(1 for c in view.checks.values() if c.retracted)
    if retracted:
        parts.append(f"{retracted} retracted")
    return '<p class="summary">' + "".join(f"<span>{_e(p)}</span>" for p in parts) + "</p>"


def gather(blocks: Sequence[Block], claims: Sequence[Claim], references: Sequence[Reference],
           checks: Sequence[Check] = (), links: Sequence[Link] | None = None,
           reviews: dict[str, tuple[str, str]] | None = None) -> list[ArticleView]:
    """The records grouped per article, articles in name order, records in document order.
    `reviews` (claim_id -> status, note) are the reviewer's entries carried over from claims.csv."""
    views: dict[str, ArticleView] = {}

    def view(article: str) -> ArticleView:
        return views.setdefault(article, ArticleView(article))

    for block in sorted(blocks, key=lambda b: (b.article, b.index)):
        view(block.article).blocks.append(block)
    for claim in claims:
        view(claim.article).claims.append(claim)
    for ref in references:
        view(ref.article).references.append(ref)
    for check in checks:
        view(check.article).checks[check.ref_id] = check
    for link in links or ():
        view(link.article).links[link.claim_id] = link
    for claim in claims:
        if reviews and claim.claim_id in reviews:
            view(claim.article).reviews[claim.claim_id] = reviews[claim.claim_id]
    return [views[a] for a in sorted(views)]


def render_report(blocks: Sequence[Block], claims: Sequence[Claim], references: Sequence[Reference],
                  checks: Sequence[Check] = (), links: Sequence[Link] | None = None,
                  failed: dict[str, str] | None = None, title: str = "Citation audit report",
                  reviews: dict[str, tuple[str, str]] | None = None, orphaned: int = 0, corrected=None) -> str:
    """The whole report as one HTML string. `links` None means the linking stage did not run."""
    return "".join(report_parts(blocks, claims, references, checks, links, failed, title, reviews, orphaned,
                                corrected))


def report_parts(blocks: Sequence[Block], claims: Sequence[Claim], references: Sequence[Reference],
                 checks: Sequence[Check] = (), links: Sequence[Link] | None = None,
                 failed: dict[str, str] | None = None, title: str = "Citation audit report",
                 reviews: dict[str, tuple[str, str]] | None = None, orphaned: int = 0,
                 corrected: dict | None = None) -> Iterator[str]:
    """The report in pieces, one article's section at a time, in page order. `orphaned` counts
    the reviews whose claim disappeared (kept in orphaned_reviews.csv), said at the top;
    `corrected` ((article, ref_id) -> Corrected) the corrected citations to show under the cited ones."""
    views = gather(blocks, claims, references, checks, links, reviews)
    by_article = {view.article: view for view in views}
    for (article, ref_id), fix in (corrected or {}).items():
        if article in by_article:
            by_article[article].corrected[ref_id] = fix
    linked = links is not None
    failures = ""
    if failed:
        failures = ("<h2>Inputs that failed</h2><ul>"
                    + "".join(f"<li><b>{_e(name)}</b>: {_e(why)}</li>" for name, why in sorted(failed.items()))
                    + "</ul>")
    nav = "<nav>" + "".join(f'<a href="#{anchor(v.article)}">{_e(v.article)}</a>' for v in views) + "</nav>"
    chart = verdict_chart(views) if views else '<p class="muted">No articles.</p>'
    yield (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{_e(title)}</h1><p class="muted">{len(views)} article(s)'
        f'{", " + str(len(failed)) + " failed" if failed else ""}'
        f'{f", {orphaned} review(s) whose claim disappeared are in orphaned_reviews.csv" if orphaned else ""}'
        f'</p>{nav}'
        f"<h2>Verdicts per article</h2>{chart}{failures}"
    )
    for view in views:
        link_counts = Counter(r for l in view.links.values() for r in l.linked_refs) if linked else None
        yield (f'<section id="{anchor(view.article)}"><h2>{_e(view.article)}</h2>{_summary(view, linked)}'
               f"<h3>References</h3>{_references_table(view, link_counts)}"
               f"<h3>Claims</h3>{_claims_table(view, linked)}"
               f"{_removed_blocks(view.blocks)}</section>")
    yield "</body></html>\n"


def write_report(path: Path, *args, **kwargs) -> Path:
    """`render_report(*args, **kwargs)` written atomically to `path` (UTF-8), an article at a time."""
    atomic_write_parts(path, report_parts(*args, **kwargs), encoding="utf-8")
    return path
