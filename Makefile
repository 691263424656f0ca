# Two commands on a fresh machine:  make demo   and   make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := poppler-utils antiword catdoc tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng \
	libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui \
	postgresql fonts-thai-tlwg

.PHONY: setup system-deps demo test lint bench clean

$(BIN)/oitcheck: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

# System tools for extraction (pdftotext for Thai PDFs, antiword/catdoc for .doc, tesseract with Thai for
# scans, LibreOffice headless for the legacy files the others cannot read), PostgreSQL (the tests start
# their own server on loopback), a Thai font (benchmark generators); needs root or sudo.
system-deps:
	@if ! command -v pdftotext >/dev/null || ! command -v antiword >/dev/null || ! command -v catdoc >/dev/null \
	    || ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>&1 | grep -qx tha \
	    || ! command -v soffice >/dev/null || ! ls /usr/lib/libreoffice/share/registry/impress.xcd >/dev/null 2>&1 \
	    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! ls /usr/share/fonts/truetype/tlwg >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

setup: system-deps $(BIN)/oitcheck

demo: setup
	$(BIN)/oitcheck demo --output out/demo-report.html

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/large_site.py
	$(BIN)/python bench/batch_sites.py

clean:
	rm -rf $(VENV) out *.egg-info
