# Two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint clean

$(BIN)/schemy: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: $(BIN)/schemy
	$(BIN)/schemy run examples/demo.scm

test: $(BIN)/schemy
	$(BIN)/python -m pytest tests

bench: $(BIN)/schemy
	$(BIN)/python bench/run

lint: $(BIN)/schemy
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) demo-root .pytest_cache
