PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install lock test test-lowest typecheck lint bench bench-heldout fbs schemas builtin module-specs doc-fragments jinja-plugins check-generated docs fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python  ## create .venv and install shep with the test, oracle, bench and lsp extras, at the versions of constraints.txt
	$(BIN)/python -m pip install -q -c constraints.txt --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,oracle,bench,lsp]'
	$(BIN)/python -m compileall -q src  # as a wheel install does: with PYTHONDONTWRITEBYTECODE set, nothing else would

test: install  ## run the whole test suite
	$(BIN)/python -m pytest -q

LOWEST := .venv-lowest
test-lowest:  ## the unit, CLI, integration and differential tests on the lowest dependency versions pyproject.toml allows
	$(PYTHON) -m venv $(LOWEST)
	$(PYTHON) scripts/lowest_constraints.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install -q -c $(LOWEST)/constraints.txt --upgrade pip
	$(LOWEST)/bin/python -m pip install -q -c $(LOWEST)/constraints.txt -e '.[test,lsp]'
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider tests/unit tests/cli tests/integration tests/differential tests/lsp

lock:  ## re-resolve the test environment from pyproject.toml alone and pin it in constraints.txt
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q '.[test,oracle,bench,lsp]'
	{ echo '# The versions the tests run with (make install, CI). Regenerate: make lock'; \
	  echo "pip==$$(.venv-lock/bin/python -m pip --version | cut -d' ' -f2)"; \
	  .venv-lock/bin/python -m pip freeze --exclude shep | sort -f; } > constraints.txt
	rm -rf .venv-lock

lint: install  ## ruff over src, tests, scripts and bench (rules and justified exceptions in pyproject.toml)
	$(BIN)/ruff check src tests scripts bench

typecheck: install  ## mypy --strict over src/ (the library's types are part of its API)
	$(BIN)/python -m mypy src

bench: install  ## time shep against bare YAML loads and ansible-lint (writes docs/performance.md)
	$(BIN)/python -m pip install -q -e '.[bench-peers]'
	$(BIN)/python bench/bench.py

bench-heldout: install  ## the same ratios on the collections of an ansible wheel (downloaded from PyPI)
	$(BIN)/python bench/heldout.py

fbs:  ## regenerate src/shep/fbs from schema/*.fbs with flatc, and their packaged copies in src/shep/_schemas/fbs
	$(BIN)/python scripts/gen.py

check-generated:  ## fail if generated code, schemas or docs differ from what their generators make now
	$(BIN)/python scripts/gen.py --check
	$(BIN)/python scripts/gen_schemas.py --check
	$(BIN)/python scripts/gen_docs.py --check
	$(BIN)/python scripts/gen_builtin.py --check
	$(BIN)/python scripts/gen_module_specs.py --check
	$(BIN)/python scripts/gen_doc_fragments.py --check
	$(BIN)/python scripts/gen_jinja_plugins.py --check

schemas:  ## regenerate schema/*.schema.json (and the packaged copies) from the keyword table
	$(BIN)/python scripts/gen_schemas.py

builtin:  ## regenerate src/shep/_builtin from the installed ansible-core (the pinned version: the oracle extra)
	$(BIN)/python scripts/gen_builtin.py

jinja-plugins:  ## regenerate src/shep/_builtin/ansible_core_*_jinja.py (ansible-core's filter and test names) from the installed ansible-core
	$(BIN)/python scripts/gen_jinja_plugins.py

module-specs:  ## regenerate the option specs of src/shep/_builtin/ansible_core_*_specs from the installed ansible-core (the oracle extra)
	$(BIN)/python scripts/gen_module_specs.py

doc-fragments:  ## regenerate the options of ansible-core's doc fragments (src/shep/_builtin/ansible_core_*_doc_fragments.py) from the installed ansible-core
	$(BIN)/python scripts/gen_doc_fragments.py

docs:  ## regenerate docs/diagnostics.md from the rule registry
	$(BIN)/python scripts/gen_docs.py

fuzz: install  ## a longer fuzzing campaign than CI runs
	SHEP_FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest -q tests/property

clean:
	rm -rf $(VENV) $(LOWEST) build dist .pytest_cache .hypothesis
