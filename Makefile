# The book's commands. `make pdf` and `make test` are all a user needs; both set up first.
# The book's title, notes and Sphinx project are in book.toml; a variable given here wins.
PYTHON_VENV := .venv/bin/python
NOTES ?=
ROOT ?=
OUT ?= _build
STRICT ?= --strict
# NO_INTRO=1: the notes folder's index.md/README.md is a lesson, not the book's introduction.
NO_INTRO ?=
NOTES_OPTIONS = $(if $(NOTES),--notes $(NOTES)) $(if $(ROOT),--root $(ROOT)) $(if $(NO_INTRO),--no-intro)
# PDF options: PAPER=A5 (book.toml: paper), BLEED=3mm (crop marks), PDF_VARIANT=pdf/ua-1.
PAPER ?=
BLEED ?=
PDF_VARIANT ?=
# Classroom editions: EDITION=student|both (teacher: the default), BOOKLET=1 (BOOKLET=all: the
# book too), SITE_URL=https://… (book.toml: site_url): a QR code on each lesson's first page.
EDITION ?=
BOOKLET ?=
SITE_URL ?=
PDF_OPTIONS = $(if $(PAPER),--paper $(PAPER)) $(if $(BLEED),--bleed $(BLEED)) $(if $(PDF_VARIANT),--pdf-variant $(PDF_VARIANT)) \
  $(if $(EDITION),--edition $(EDITION)) $(if $(SITE_URL),--site-url $(SITE_URL)) \
  $(if $(BOOKLET),--booklet=$(if $(filter all,$(BOOKLET)),all,handouts))

BUILD = $(PYTHON_VENV) -m build_tools build $(NOTES_OPTIONS) --out $(OUT) $(STRICT)

.PHONY: setup convert html epub pdf handouts all check serve bench test lint clean

setup:
	@bash tools/setup.sh

# Notes → MyST sources of the book ($(OUT)/source/lessons, where a build reads them).
convert: setup
	$(PYTHON_VENV) -m build_tools convert $(NOTES_OPTIONS) --out $(OUT)/source/lessons $(STRICT)

html: setup
	$(BUILD) html

epub: setup
	$(BUILD) epub

pdf: setup
	$(BUILD) $(PDF_OPTIONS) pdf

# The PDF and one PDF a lesson, cut from the same layout (same numbers, same pages).
handouts: setup
	$(BUILD) $(PDF_OPTIONS) handouts

# EPUB and PDF first, then the site, which offers both for download.
all: setup
	$(BUILD) $(PDF_OPTIONS) all

# After make all: is every word of every note in the HTML, the EPUB and the PDF?
check: setup
	$(PYTHON_VENV) -m build_tools check $(NOTES_OPTIONS) --out $(OUT) $(if $(EDITION),--edition $(EDITION))

# A live preview on http://127.0.0.1:8000 that converts the notes again on every edit; the
# site is built once first, which assembles the Sphinx project in $(OUT)/source.
serve: html
	.venv/bin/sphinx-autobuild $(OUT)/source $(OUT)/serve -d $(OUT)/doctrees-serve \
	  --watch $(or $(NOTES),notes) --watch resource --host 127.0.0.1 --port 8000 \
	  --pre-build "$(PYTHON_VENV) -m build_tools convert $(NOTES_OPTIONS) --out $(OUT)/source/lessons"

# The build benchmark (not part of make test): a generated course built stage by stage, against
# sphinx-simplepdf (installed into $(OUT)/bench/peer-venv, never into .venv).
# BENCH_LESSONS="10 40 200" measures three sizes; BENCH_OPTIONS=--no-peer skips the peer.
BENCH_LESSONS ?= 40
BENCH_OPTIONS ?=
bench: setup
	$(PYTHON_VENV) benchmarks/bench.py --lessons $(BENCH_LESSONS) --out $(OUT)/bench $(BENCH_OPTIONS)

test: setup
	$(PYTHON_VENV) -X warn_default_encoding -m pytest -q

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf $(OUT)
