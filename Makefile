# Two entry points for a fresh machine: `make demo` and `make test`.
# Each creates the virtualenv and installs the project on first use.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT   := out

.PHONY: demo test samples clean

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 is required"; exit 1; }
	@python3 -m venv $(VENV) 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@# pdfium needs a CJK font to read PDFs whose Chinese fonts are not embedded.
	@ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1 || fc-list :lang=zh 2>/dev/null | grep -q . || \
	  { apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei) || \
	    echo "warning: no CJK font installed; PDFs with non-embedded Chinese fonts may lose characters"; }
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/perfaudit extract corpus/samples -o $(OUT)/rows.jsonl
	$(VENV)/bin/perfaudit extract corpus/samples -o $(OUT)/rows.xlsx
	$(VENV)/bin/perfaudit eval --gold corpus/samples/gold $(OUT)/rows.jsonl --json $(OUT)/eval.json
	$(VENV)/bin/perfaudit check corpus/samples -o $(OUT)/findings.jsonl --xlsx $(OUT)/report.xlsx --html $(OUT)/report.html
	$(VENV)/bin/perfaudit corpus build corpus/samples --db $(OUT)/corpus.duckdb
	$(VENV)/bin/perfaudit corpus export --db $(OUT)/corpus.duckdb --parquet $(OUT)/parquet
	@echo "rows: $(OUT)/rows.jsonl, $(OUT)/rows.xlsx; scores: $(OUT)/eval.json; findings: $(OUT)/findings.jsonl," \
	  "$(OUT)/report.xlsx, $(OUT)/report.html; corpus: $(OUT)/corpus.duckdb, $(OUT)/parquet/"

test: $(STAMP)
	$(VENV)/bin/python -m pytest

samples: $(STAMP)
	$(PY) -m pipeline.devtools.samples corpus/samples

clean:
	rm -rf $(OUT) .pytest_cache
