# The citation-audit pipeline. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.setup-stamp
RAW    ?= raw
OUT    ?= output

.DEFAULT_GOAL := help
.PHONY: help setup run test bench audit clean

help: ## List the targets with one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv and install the package, its test tools and the spaCy model (pinned by hash)

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PY) -c "from pipeline.nlp import load_nlp; load_nlp()"
	touch $(STAMP)

run: $(STAMP) ## Run every stage over raw/ into output/
	$(PY) -m pipeline run --raw $(RAW) --out $(OUT)

test: $(STAMP) ## Run the test suite (no network; fails when no test is collected)
	$(PY) -m pytest -q

bench: $(STAMP) ## Benchmarks: scale (N articles cold/warm, BENCH_N=200); claims vs bare spaCy; references vs refextract; Crossref requests
	-$(PY) -m pip install --quiet -e '.[bench]' || echo "refextract could not be installed; the bench runs without it"
	$(PY) bench/bench_claims.py
	$(PY) bench/bench_references.py
	$(PY) bench/bench_crossref.py
	$(PY) bench/bench_scale.py

clean: ## Remove output/ results and the per-article work files (keeps raw/ and the cache)
	find $(OUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
