# The project's front door. Every target sets up .venv/ first if it is missing or stale.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
JOBS ?= 2
PYTHON311 ?= python3.11
TF_KERAS := tf-keras==2.21.0
COLAB := .venv-colab
COLAB_STAMP := $(COLAB)/.installed

.PHONY: venv colab-venv dist demo test test-fast docs lint bench clean container-check cluster-check

$(STAMP): pyproject.toml constraints.txt Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev,cluster]'
	# Keras 2 (TF_USE_LEGACY_KERAS=1), pinned to TensorFlow's version; without its dependency on
	# the full tensorflow package, which tensorflow-cpu already provides.
	$(PY) -m pip install -q --no-deps $(TF_KERAS)
	touch $(STAMP)

venv: $(STAMP)

# Google Colab's stack, where the student notebook is executed alone (tests/test_student_notebook.py).
$(COLAB_STAMP): tests/colab/requirements.txt
	test -x $(COLAB)/bin/python || $(PYTHON311) -m venv $(COLAB)
	$(COLAB)/bin/python -m pip install -q --upgrade pip
	$(COLAB)/bin/python -m pip install -q -r tests/colab/requirements.txt
	touch $(COLAB_STAMP)

colab-venv: $(COLAB_STAMP)

dist: $(STAMP)
	$(PY) -m gradecore.cli build

demo: dist
	for a in $$(ls assignments/*/grader/__init__.py | cut -d/ -f2); do \
		$(VENV)/bin/rnn-shapes grade assignments/$$a/examples --assignment $$a --jobs $(JOBS) --out demo-out/$$a --regrade || exit 1; \
	done

# No dist/: the suite builds what it grades in its own temporary folder (conftest.py's `built`).
# TEST_WORKERS pytest-xdist workers (0: one process, the default until two clean-clone runs on
# workers have passed; 4 on 2 cores: most of a grading waits on otter's start, kernels and the
# sandbox's processes). Each of conftest.py's `worker_group`s runs on one worker, the longest
# first (`HEAVIEST_FIRST`).
TEST_WORKERS ?= 0
test: $(STAMP) colab-venv docs
	$(PY) -m pytest -n $(TEST_WORKERS)

# The inner loop: the core's unit tests (no TensorFlow models, no otter, no build), under a minute.
# On 3 workers: they mostly wait for the processes they start (34 s against 61 s in one process at
# load 4; docs/measurements.md, suitetime2). TEST_FAST_WORKERS=0: one process.
TEST_FAST_WORKERS ?= 3
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit -q -n $(TEST_FAST_WORKERS)

# The docs site (mkdocs.yml); --strict makes a broken link or a page left out of the nav an error.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir build/site

lint: $(STAMP)
	$(VENV)/bin/ruff check autograder assignments solutions tests bench container

bench: dist
	$(PY) bench/grading.py

# Needs a running Docker daemon and root (debootstrap). CHECK_ARGS e.g. --no-examples, --variants correct.
container-check: dist
	$(PY) container/check.py $(CHECK_ARGS)

# Needs root on Debian: installs slurm-wlm and munge, starts a one-node Slurm, grades the held-out
# class through dask-jobqueue's SLURMCluster and checks its rows against local grading.
cluster-check: dist
	$(PY) container/cluster_check.py $(CHECK_ARGS)

clean:
	rm -rf build dist demo-out
