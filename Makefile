# Two entry points: `make demo` (install + convert the bundled samples) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test install install-test bench vocab clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

demo: install
	$(BIN)/rncp-ld convert samples/rncp16575.txt -o $(OUT)/rncp16575.ttl
	$(BIN)/rncp-ld convert samples/rncp16575.txt -o $(OUT)/rncp16575.jsonld
	@echo "--- $(OUT)/rncp16575.ttl (first lines)"; head -n 40 $(OUT)/rncp16575.ttl

test: install-test
	bash scripts/install_test_tools.sh
	$(BIN)/ruff check rncp_ld tests scripts bench
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/register.py

vocab: install
	$(BIN)/python scripts/build_vocab.py

clean:
	rm -rf $(VENV) $(OUT) build dist *.egg-info
