# Two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint clean

# pip's and setuptools' chatter goes to .venv/install.log, shown only when the install fails.
$(BIN)/schemy: pyproject.toml
	@echo "Installing schemy into $(VENV) (log: $(VENV)/install.log)..."
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[test]'; } > $(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	@touch $@

# Byte-compile schemy's Python (quick when nothing changed).  With PYTHONDONTWRITEBYTECODE set,
# the `schemy` command keeps its byte code in its own cache anyway (schemy/cli/bytecode.py);
# this also spares the test suite, which imports schemy directly, recompiling it.
.PHONY: bytecode
bytecode: $(BIN)/schemy
	@$(BIN)/python -m compileall -q schemy > /dev/null

ROOT ?= $(CURDIR)/demo-root

run: bytecode
	@$(BIN)/schemy reconfigure examples/demo.scm --root $(ROOT); status=$$?; \
	$(BIN)/schemy herd --root $(ROOT) status; \
	echo; echo "The demo runs in $(ROOT), in its own view of the system."; \
	echo "Enter that view with: $(BIN)/schemy system shell --root $(ROOT)"; \
	echo "Stop it with: $(BIN)/schemy herd --root $(ROOT) stop root"; \
	exit $$status

test: bytecode
	$(BIN)/python -m pytest tests -q

bench: bytecode
	$(BIN)/python bench/run

lint: $(BIN)/schemy
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) demo-root .pytest_cache
