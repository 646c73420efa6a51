# Two commands for a fresh machine with Python 3.11:
#   make course   sets everything up and opens the course in JupyterLab
#   make test     sets everything up and runs the whole test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-installed-stamp
SITE_STAMP  := $(VENV)/.site-installed-stamp
# Quiet TensorFlow's C++ start-up lines everywhere the course runs.
export TF_CPP_MIN_LOG_LEVEL := 3

.PHONY: setup course lint test test-class nbval test-fast notebooks outputs clean-grading \
	screenshots site test-site

# JupyterLab's defaults for the course's environment (not the user's settings): no prompt
# to fetch Jupyter's news on first start (the course needs no network).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

setup: $(STAMP) $(LAB_OVERRIDES)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(LAB_OVERRIDES): lab-settings/overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp lab-settings/overrides.json $@

# The test suite also checks the benchmark's same-architecture peer (keras-hub) and
# grade-class on a Dask cluster, which learners do not need: only `make test` installs
# the `bench` and `class` extras.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,class]'
	touch $(BENCH_STAMP)

# Jupyter refuses to start as root without --allow-root (containers, cloud machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

course: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

# The style and the generated notebooks, checked as the pre-commit hooks do
# (.pre-commit-config.yaml: local hooks, no network needed).
lint: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# nbval over the solution notebooks, as the grader runs them (the plugin
# resnet_lesson/release/nbval_plugin.py: checks raise, the cells the grader skips are
# skipped, every graded cell must score full marks): lax everywhere (a cell that raises
# fails), strict on the cells tagged nbval-check-output (check sentences, quiz feedback,
# parameter counts, shape tables), compared with the outputs stored in solutions/
# (`make outputs CHAPTERS=...` refreshes them) once nbval-sanitize.cfg has masked what
# differs from machine to machine.
NBVAL_OPTIONS := -p resnet_lesson.release.nbval_plugin --nbval-lax --nbval-current-env \
	--nbval-sanitize-with nbval-sanitize.cfg --nbval-cell-timeout=600

# Lint, then the whole suite on every core (pytest-xdist; tests/conftest.py groups what
# shares state). Each notebook runs once: nbval runs every solved chapter (above), and
# the nbgrader round trip (tests/test_round_trip.py) grades every untouched release,
# asserting zero.
# (Not the whole-class grading test: its fork bombs and memory hogs load a 2-core runner
# for many minutes; `make test-class` runs it.)
#
# CPUs: the suite runs as on most learners' CPUs, where TensorFlow has no oneDNN and a
# channels_first Conv2D raises (TF_ENABLE_ONEDNN_OPTS=0 gives that on any machine). Where
# this machine's default differs (oneDNN on: AVX-512 VNNI / BF16 / AMX), the tests whose
# path depends on it run a second time in the default condition: the checks on right
# answers (a right answer must pass on every CPU), the model in both formats, the setup
# cell, the data-format probe. The wrong-answer catalogues (tests named "..._named",
# "..._located", tampering) run in the first pass only: there a wrong answer and the
# reference it is compared with take the same path in one process, whatever the CPU.
LAYOUT_TESTS := tests/test_checks_*.py tests/test_model.py tests/test_data_formats.py \
	tests/test_device.py tests/test_colab_setup.py
LAYOUT_SECOND_PASS := -k "not named and not located and not tamper"
DEFAULT_RUNS_NCHW := $(BIN)/python -c "from resnet_lesson import data_formats as d; \
	raise SystemExit(0 if d.nchw_conv_runs_eagerly() else 1)"

test: lint $(BENCH_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" TF_ENABLE_ONEDNN_OPTS=0 $(BIN)/python -m pytest -q tests \
		solutions $(NBVAL_OPTIONS) -n auto --dist loadgroup -m "not class_grading and not site" \
		--durations=25
	@if $(DEFAULT_RUNS_NCHW); then \
		echo "This CPU runs channels_first by default (oneDNN): the layout tests again (right answers, model, setup, probe)."; \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q $(LAYOUT_TESTS) \
			$(LAYOUT_SECOND_PASS) -n auto --dist loadgroup -m "not class_grading and not site"; \
	else \
		echo "This CPU's default is the NHWC-only condition tested above."; \
	fi

# grade-class on a test class of 20 submissions (honest and hostile), with local workers
# (killed with SIGKILL and resumed) and on a Dask LocalCluster, against stock nbgrader.
test-class: $(BENCH_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q tests/test_grade_class.py

# The solution notebooks under nbval alone, as `make test` runs them, cell by cell: for
# finding which cell breaks (`make nbval NBVAL_PATHS=solutions/ch06_regular_block` for one).
NBVAL_PATHS ?= solutions
nbval: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" TF_ENABLE_ONEDNN_OPTS=0 $(BIN)/python -m pytest -q \
		$(NBVAL_PATHS) $(NBVAL_OPTIONS)

test-fast: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q -m "not slow"

# Every chapter in JupyterLab in headless Chromium (tests/test_browser.py), and a chapter
# submitted through nbgrader's exchange and its feedback fetched (tests/test_browser_exchange.py,
# which grades with grade-class); both need Debian's chromium package, which .ci/run
# installs. Their screenshots are saved in docs/screenshots/.
screenshots: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" RESNET_LESSON_SCREENSHOT_DIR=docs/screenshots \
		$(BIN)/python -m pytest -q -s tests/test_browser.py tests/test_browser_exchange.py

# Regenerate solutions/ from chapters/ and notebooks/ from solutions/ (refuses to
# overwrite learner notebooks that hold work; `resnet-lesson release --check` only
# lists the out-of-date ones). solutions/ keeps its stored outputs; after editing a
# chapter, `make outputs CHAPTERS=ch06_regular_block` runs it and stores new ones
# (`resnet-lesson release --store-outputs ch06_regular_block`; all chapters without CHAPTERS).
notebooks: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/resnet-lesson release

outputs: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/resnet-lesson release --store-outputs $(CHAPTERS)

# The course website (Jupyter Book 2, on the system's Node 18+) in _site/: every learner
# notebook run once, top to bottom, into build/site/ (notebooks/ is only read; a later
# build reruns only the chapters whose notebook or package code changed), rendered with
# the course's own site template, so nothing but package installs needs the network.
# Serve it with `python -m http.server -d _site`. Add `SITE_OPTIONS="--jupyterhub-url URL"`
# (or --binderhub-url) for a JupyterHub or Binder launch link beside Colab's.
$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,site]'
	touch $(SITE_STAMP)

site: setup $(SITE_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/resnet-lesson site $(SITE_OPTIONS)

# The site in headless Chromium (tests/test_site.py; Debian's chromium, as the browser
# tests): 12 chapter pages, their figures, a Colab link each, no solution.
# `RESNET_LESSON_SCREENSHOT_DIR=docs/screenshots make test-site` saves site_*.png there.
# Not part of `make test`: the build runs every notebook once more (README, "The website").
test-site: site
	PATH="$(CURDIR)/$(BIN):$$PATH" RESNET_LESSON_SITE=_site \
		$(BIN)/python -m pytest -q tests/test_site.py -p no:xdist
