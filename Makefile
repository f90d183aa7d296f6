# Every target bootstraps .venv on its own: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := resources/samples/sample.ora

.PHONY: run test lint bench clean package package-test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/veil $(SAMPLE)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -m "not bench and not package"

lint: $(STAMP)
	$(BIN)/ruff check editor tests
	$(BIN)/lint-imports
	$(BIN)/python -c "import editor.core, editor.render, editor.paint, editor.masks, editor.io, editor.geometry, editor.batch, editor.cli, sys; assert 'PySide6' not in sys.modules, 'Qt imported outside editor.ui'"

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench

# The installable one-folder build in dist/veil (see packaging/README.md); run and test never need it.
PACKAGE_STAMP := $(VENV)/.installed-package

$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/veil.spec

package-test: $(PACKAGE_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m package tests/packaging

clean:
	rm -rf $(VENV) build dist *.egg-info bench-results.json
