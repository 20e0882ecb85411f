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

ROOT ?= $(CURDIR)/demo-root

run: $(BIN)/schemy
	@$(BIN)/schemy reconfigure examples/demo.scm --root $(ROOT); status=$$?; \
	$(BIN)/schemy herd --root $(ROOT) status; \
	echo; echo "The demo runs in $(ROOT). Stop it with: $(BIN)/schemy herd --root $(ROOT) stop root"; \
	exit $$status

test: $(BIN)/schemy
	$(BIN)/python -m pytest tests -q

bench: $(BIN)/schemy
	$(BIN)/python bench/run

lint: $(BIN)/schemy
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) demo-root .pytest_cache
