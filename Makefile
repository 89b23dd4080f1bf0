# The book's commands. `make pdf` and `make test` are all a user needs; both set up first.
PYTHON_VENV := .venv/bin/python
NOTES ?= notes
ROOT ?= .
OUT ?= _build
STRICT ?= --strict

BUILD = $(PYTHON_VENV) -m build_tools build --notes $(NOTES) --root $(ROOT) --out $(OUT) $(STRICT)

.PHONY: setup convert html pdf test lint clean

setup:
	@bash tools/setup.sh

# Notes → MyST sources of the book (book/lessons, generated, not committed).
convert: setup
	$(PYTHON_VENV) -m build_tools convert --notes $(NOTES) --root $(ROOT) --out book/lessons $(STRICT)

html: setup
	$(BUILD) html

pdf: setup
	$(BUILD) pdf

test: setup
	$(PYTHON_VENV) -X warn_default_encoding -m pytest -q

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf $(OUT) book/lessons
