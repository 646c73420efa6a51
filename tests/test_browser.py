"""End to end, as a learner meets the course: JupyterLab in a real (headless) browser.

The test starts the server the README's first command starts (``make course`` runs
``jupyter lab --notebook-dir=notebooks``), here on 127.0.0.1 with a token and a free
port, over a temporary copy of the course so the learner notebooks are never touched.
One server and one Chromium (driven by Playwright) serve every chapter. For each learner
notebook, as released, Run All Cells must run to the last cell with every figure drawn,
no traceback, nothing on stderr, and no ❌ line but those of the unanswered exercise and
questions. Then one wrong answer is typed into the exercise cell and only that cell and
its check are run again: the check's sentence shows. Chapter 6 goes on to nbgrader's
Validate button: the wrong answer's whole sentence, then success with the right answers.

The notebook's state is read from JupyterLab's own model (``window.jupyterapp``, exposed
by ``--LabApp.expose_app_in_browser``), so the waits are on execution counts and the
kernel's status, never on sleeps or on which cells the windowed notebook has drawn.

``RESNET_LESSON_BROWSER_CHAPTERS`` (comma-separated name prefixes) limits the chapters.
Screenshots (one per chapter after Run All, one of each wrong answer) go to
``$RESNET_LESSON_SCREENSHOT_DIR`` when it is set (``make screenshots``: docs/screenshots),
else to the test's temporary folder. Without Chromium the test is skipped, except in CI
(``CI=true``), where ``.ci/run`` installs it and a missing browser is a failure.
"""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, chapter_ids

from resnet_lesson.course import learner_notebook, nbgrader_config, solution_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
# Every chapter by default; RESNET_LESSON_BROWSER_CHAPTERS="ch02,ch06" picks some (chapters
# 1 and 11 train networks and take most of the time).
CHAPTERS = [
    path.name
    for path in sorted(learner_notebook(c).parent for c in chapter_ids())
    if path.is_dir()
    and any(
        path.name.startswith(prefix.strip())
        for prefix in os.environ.get("RESNET_LESSON_BROWSER_CHAPTERS", "ch").split(",")
    )
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Flags for Chromium on a machine with a closed network and no screen.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Chapters 1 and 11 train networks: a whole chapter may take minutes on a busy machine.
RUN_ALL_TIMEOUT_MS = 900_000
FEEDBACK_TIMEOUT_MS = 240_000
PAGE_TIMEOUT_MS = 120_000
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook tab on show

# One wrong answer per chapter, typed in place of the exercise's stub: each is a
# mistake the chapter's check must name in a sentence (chapter 1 has no exercise: a
# question answered with a letter it does not offer).
WRONG = {
    "ch01_residual_learning": ("residual_learning_q1", 'residual_learning_q1_answer = "e"'),
    "ch02_model_setup": (
        "resnet_init",
        "self.block_layer_sizes = [2, 2, 2, 2]\nself.bottleneck = num_layers >= 50",
    ),
    "ch03_custom_padding": ("custom_padding", "return inputs"),
    "ch04_pre_activation": ("pre_activation", "return inputs"),
    "ch05_shortcut": ("pre_activation_with_shortcut", "return inputs, inputs"),
    "ch06_regular_block": (
        "regular_block",
        "pre_activated2 = self.pre_activation(conv1, is_training)\n"
        "conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)\n"
        "return conv2",
    ),
    # The whole block with the shortcut forgotten: the branch is returned alone.
    "ch07_bottleneck": (
        "bottleneck_block",
        'with keras.name_scope(f"bottleneck_block{index}"):\n'
        "    pre_activated1, shortcut = self.pre_activation_with_shortcut(\n"
        "        inputs, is_training, (shortcut_filters, strides)\n"
        "    )\n"
        "    conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)\n"
        "    pre_activated2 = self.pre_activation(conv1, is_training)\n"
        "    conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)\n"
        "    pre_activated3 = self.pre_activation(conv2, is_training)\n"
        "    return self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)",
    ),
    "ch08_block_layer": ("block_layer", "return inputs"),
    "ch09_model_layers": ("model_layers", "return block_layer_outputs"),
    "ch10_preprocessing": ("preprocess", "return image"),
    "ch11_training": ("make_dataset", "return dataset"),
    # Chapter 12's answer is a whole class: its first stub is __init__'s body.
    "ch12_your_resnet": (
        "your_resnet",
        "self.min_aspect_dim, self.resize_dim = min_aspect_dim, resize_dim\n"
        "self.num_layers, self.output_size = num_layers, output_size\n"
        "self.data_format = data_format\n"
        "self.filters_initial, self.block_strides = 64, [1, 2, 2, 2]\n"
        "self.block_layer_sizes = [2, 2, 2, 2]\n"
        "self.bottleneck = num_layers >= 50",
        "your_resnet_init_tests",
    ),
}
CORRECT_REGULAR_BLOCK = """\
pre_activated2 = self.pre_activation(conv1, is_training)
conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
return conv2 + shortcut"""
# A cell draws a figure when a top-level line (not an import) calls pyplot or one of
# the course's figure functions.
FIGURE_CALL = re.compile(
    r"^(?![ \t]|from |import ).*\b(plt\.show|plt\.subplots|plot_\w+|\w*_figure|"
    r"block_diagrams|v1_v2_blocks|shortcut_kinds|blocks_per_layer|activation_histograms|"
    r"gradient_growth|training_figures\.\w+)\(",
    re.M,
)
VERDICT = re.compile(r"^\u274c (\w+)", re.M)


def _requirements():
    """Skip (or, in CI, fail) when the browser or its driver is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium ({CHROMIUM}; `apt-get install chromium`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (the dev extra)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if IN_CI:
            pytest.fail(message + ": CI must install it (.ci/run does)")
        pytest.skip(message)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_body(source, body):
    """``source`` with the stub (``# CODE HERE`` / ``raise NotImplementedError()``)
    replaced by ``body``, indented like the stub: what a learner types into the cell."""
    lines = source.split("\n")
    stub = next(i for i, line in enumerate(lines) if line.strip() == "# CODE HERE")
    assert lines[stub + 1].strip() == "raise NotImplementedError()", lines
    indent = lines[stub][: len(lines[stub]) - len(lines[stub].lstrip())]
    lines[stub : stub + 2] = [indent + line for line in body.split("\n")]
    return "\n".join(lines)


def solved_sources(chapter):
    """{grade_id: answer} of the solutions notebook, without the solution markers."""
    nb = json.loads(solution_notebook(chapter).read_text())
    return {
        c["metadata"]["nbgrader"]["grade_id"]: "\n".join(
            line
            for line in "".join(c["source"]).split("\n")
            if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
        )
        for c in nb["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A temporary copy of the course: the learner notebooks and nbgrader's config."""
    _requirements()
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copy2(nbgrader_config(), nbgrader_config(root))
    return root


@contextlib.contextmanager
def running_jupyterlab(cwd, env, log_path, *options):
    """``jupyter lab OPTIONS`` started in ``cwd``, headless on a free local port with a
    token, until the block ends; yields {"base", "token", "log"}."""
    port, token = _free_port(), uuid.uuid4().hex
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "jupyter"),
                "lab",
                *options,
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.expose_app_in_browser=True",
            ]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("JupyterLab did not start:\n" + log_path.read_text())
                time.sleep(0.5)
        yield {"base": base, "token": token, "log": log_path}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def jupyterlab(course, tmp_path_factory):
    """``jupyter lab --notebook-dir=notebooks`` as ``make course`` runs it, headless.

    Its settings are the environment's (``lab-settings/overrides.json``, which ``make
    setup`` installs) over an empty user folder, as on a learner's first start."""
    private = tmp_path_factory.mktemp("jupyter")
    bin_dir = Path(sys.executable).parent
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        TF_CPP_MIN_LOG_LEVEL="3",
        JUPYTER_RUNTIME_DIR=str(private / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(private / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(private / "settings"),
    )
    env.pop("PYTEST_CURRENT_TEST", None)  # the kernel must behave as in a learner's lab
    log_path = private / "jupyterlab.log"
    with running_jupyterlab(course, env, log_path, "--notebook-dir=notebooks") as lab:
        yield lab


@pytest.fixture(scope="module")
def browser(jupyterlab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:  # Playwright gives it a new, empty profile
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory):
    chosen = os.environ.get("RESNET_LESSON_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def pages(browser, jupyterlab, screenshot_dir, request):
    """Opened pages; on a failure each is saved as a screenshot, with the server's log."""
    opened, failures_before = [], request.session.testsfailed
    yield opened
    failed = request.session.testsfailed > failures_before  # the call's report is in
    for number, page in enumerate(opened):
        if failed and not page.is_closed():
            path = screenshot_dir / f"failure_{request.node.name}_{number}.png"
            page.screenshot(path=str(path))
            print(f"\nscreenshot of the failure: {path}")
        if not page.is_closed():
            page.close()
    if failed:
        print("JupyterLab's log (end):\n" + jupyterlab["log"].read_text()[-5000:])
    shut_down_kernels(jupyterlab)


def open_notebook(browser, jupyterlab, chapter, pages):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    pages.append(page)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    # A workspace of its own, so the page shows this notebook alone (no restored tabs).
    url = (
        f"{jupyterlab['base']}/lab/workspaces/{uuid.uuid4().hex}/tree/{chapter}/"
        f"{chapter}.ipynb?reset&token={jupyterlab['token']}"
    )
    page.goto(url)
    page.locator(CURRENT).wait_for()
    wait_until_idle(page, PAGE_TIMEOUT_MS)
    return page


def shut_down_kernels(jupyterlab):
    """What File > Shut Down does, through the server's REST API."""
    headers = {"Authorization": f"token {jupyterlab['token']}"}
    with urllib.request.urlopen(
        urllib.request.Request(f"{jupyterlab['base']}/api/sessions", headers=headers), timeout=30
    ) as answer:
        sessions = json.load(answer)
    for session in sessions:
        urllib.request.urlopen(
            urllib.request.Request(
                f"{jupyterlab['base']}/api/sessions/{session['id']}",
                method="DELETE",
                headers=headers,
            ),
            timeout=30,
        ).close()


# JavaScript run in the page on JupyterLab's model of the notebook on show.
_PANEL = "const panel = window.jupyterapp.shell.currentWidget;"
_KERNEL_IDLE = (
    "(panel.sessionContext.session !== null && panel.sessionContext.session.kernel !== null"
    " && panel.sessionContext.session.kernel.status === 'idle')"
)


def wait_until_idle(page, timeout=FEEDBACK_TIMEOUT_MS):
    """The kernel has started and is not running anything."""
    page.wait_for_function(
        f"() => {{ {_PANEL} return panel !== null && panel.sessionContext !== undefined"
        f" && {_KERNEL_IDLE}; }}",
        timeout=timeout,
    )


def run_all_cells(page):
    """JupyterLab's menu: Run > Run All Cells."""
    # The notebook opened from the URL is the current widget; focus its tab (a click
    # inside the notebook could land on a link), then use the menu.
    page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def note_counts(page):
    """Remember every cell's execution count, to tell afterwards which cells ran."""
    page.evaluate(
        f"() => {{ {_PANEL} window.__counts = new Map(); let i = 0;"
        " for (const cell of panel.content.model.cells) {"
        "   window.__counts.set(i, cell.type === 'code' ? cell.executionCount : null); i++; } }"
    )


def wait_until_ran(page, indexes, timeout):
    """Wait until every code cell in ``indexes`` (all when None) has run since
    :func:`note_counts`, and the kernel is idle; stop early when a cell shows an error.
    Returns the notebook (nbformat JSON, from JupyterLab's model)."""
    wanted = "null" if indexes is None else json.dumps(list(indexes))
    page.wait_for_function(
        f"() => {{ {_PANEL} const wanted = {wanted}; let i = 0, done = true, error = false;"
        " for (const cell of panel.content.model.cells) {"
        "   if (cell.type === 'code') {"
        "     for (const output of cell.outputs.toJSON()) {"
        "       if (output.output_type === 'error') { error = true; } }"
        "     if (wanted === null || wanted.includes(i)) {"
        "       const count = cell.executionCount;"
        "       if (count === null || count === window.__counts.get(i)) { done = false; } } }"
        "   i++; }"
        f" return error || (done && {_KERNEL_IDLE}); }}",
        timeout=timeout,
    )
    return page.evaluate(f"() => {{ {_PANEL} return panel.content.model.toJSON(); }}")


def set_source(page, index, source):
    page.evaluate(
        f"([index, source]) => {{ {_PANEL}"
        " panel.content.model.cells.get(index).sharedModel.setSource(source); }",
        [index, source],
    )


def run_cells(page, indexes):
    """Run the given cells, as a learner does with Shift+Enter on each; return the
    notebook once they ran."""
    note_counts(page)
    for index in indexes:  # queued in order; the kernel runs them one after the other
        page.evaluate(
            f"(index) => {{ {_PANEL} panel.content.activeCellIndex = index;"
            " void window.jupyterapp.commands.execute('notebook:run-cell'); }",
            index,
        )
    return wait_until_ran(page, indexes, FEEDBACK_TIMEOUT_MS)


def scroll_to(page, index, align="center"):
    """Show cell ``index`` in the notebook (``align``: where), once it stopped moving."""
    page.evaluate(
        f"async ([index, align]) => {{ {_PANEL} await panel.content.scrollToItem(index, align); }}",
        [index, align],
    )
    page.wait_for_timeout(300)  # the windowed notebook draws the cells it scrolled to


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def index_of(nb, wanted):
    return next(i for i, cell in enumerate(nb["cells"]) if grade_id(cell) == wanted)


def text_of(cell):
    """What a cell's outputs say: streams, and the plain text of displayed data."""
    parts = []
    for output in cell.get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        parts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(parts)


def unanswered(nb):
    """The names whose ❌ a learner's untouched notebook should show: each exercise's
    check and each question's answer."""
    names = set()
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and meta["grade_id"].endswith("_tests"):
            names.add(checked_name(meta["grade_id"]))
        elif meta.get("grade") and meta["grade_id"].endswith("_test"):
            names.add(meta["grade_id"][: -len("_test")] + "_answer")
    return names


def checked_name(tests_id):
    """The name a check's verdict starts with, from its graded cell's id: the exercise
    (``regular_block_tests``); chapter 12 checks the chapters' exercises again in cells
    named ``your_<exercise>_tests``."""
    return tests_id[: -len("_tests")].removeprefix("your_")


def assert_complete(nb):
    """Every code cell ran, every figure cell drew, nothing failed or went to stderr."""
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    not_run = [i for i, cell in enumerate(code) if cell.get("execution_count") is None]
    assert not not_run, f"code cells that did not run: {not_run}"
    for cell in code:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", (grade_id(cell), output.get("traceback"))
            assert output.get("name") != "stderr", (grade_id(cell), output.get("text"))
        if FIGURE_CALL.search("".join(cell["source"])):
            images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            assert images, f"no figure drawn by cell {grade_id(cell)}"
    shown = {name for cell in code for name in VERDICT.findall(text_of(cell))}
    assert shown == unanswered(nb), shown ^ unanswered(nb)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_run_all_completes_and_a_wrong_answer_shows_its_sentence(
    chapter, browser, jupyterlab, screenshot_dir, pages
):
    page = open_notebook(browser, jupyterlab, chapter, pages)
    started = time.monotonic()
    note_counts(page)
    run_all_cells(page)
    nb = wait_until_ran(page, None, RUN_ALL_TIMEOUT_MS)
    seconds = time.monotonic() - started
    assert_complete(nb)
    if chapter == "ch01_residual_learning":
        assert_the_degradation_shows(nb)
    first_figure = next(
        (
            i
            for i, cell in enumerate(nb["cells"])
            if any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        ),
        None,  # chapter 12 as released draws nothing: its figures need the learner's class
    )
    if first_figure is not None:
        scroll_to(page, first_figure)  # a tall cell may keep its figure below the fold
    page.screenshot(path=str(screenshot_dir / f"{chapter}_run_all.png"))
    # The environment's settings answered the news question: no prompt on the page.
    assert page.get_by_text("official Jupyter news").count() == 0

    answer_id, body, *check_id = WRONG[chapter]
    answer = index_of(nb, answer_id)
    if not check_id:
        check_id = [f"{answer_id}_tests" if "_q" not in answer_id else f"{answer_id}_test"]
    check = index_of(nb, check_id[0])
    set_source(page, answer, with_body("".join(nb["cells"][answer]["source"]), body))
    nb = run_cells(page, [answer, check])
    said = text_of(nb["cells"][check])
    name = checked_name(check_id[0]) if "_q" not in answer_id else f"{answer_id}_answer"
    assert said.startswith(f"\u274c {name}"), said
    assert "not written yet" not in said and "did not run" not in said, said
    assert "Traceback" not in said and "`" not in said, said
    assert not any(o["output_type"] == "error" for o in nb["cells"][check]["outputs"])
    scroll_to(page, check)
    page.screenshot(path=str(screenshot_dir / f"{chapter}_wrong_answer.png"))
    print(f"\n{chapter}: Run All Cells took {seconds:.0f} s")
    if chapter == "ch06_regular_block":
        validate_wrong_then_right(page, nb, answer, check, said, screenshot_dir)


def assert_the_degradation_shows(nb):
    """Chapter 1's claim, on the run a learner sees (its settings and seed): the deepest
    plain net trains worse than the shallowest, and the residual nets beat the plain ones.
    Over seeds it held on each of 20 tried (docs/results/degradation_study.json holds 10)."""
    said = text_of(nb["cells"][index_of(nb, "ch01_residual_learning_final_errors")])
    assert "than the shallowest: True" in said and "past the first depth: True" in said, said


def validate_wrong_then_right(page, nb, answer, check, said, screenshot_dir):
    """nbgrader's Validate button (what a learner clicks before submitting): the wrong
    answer's whole sentence, then success once every answer is right."""
    results = validate(page)
    assert " ".join(said.split()) in " ".join(results.split()), results
    page.screenshot(path=str(screenshot_dir / "ch06_validate_mistake.png"))
    page.locator(".jp-Dialog .jp-mod-accept").click()
    solved = solved_sources("ch06_regular_block")
    stub = "".join(
        json.loads(learner_notebook("ch06_regular_block").read_text())["cells"][answer]["source"]
    )
    set_source(page, answer, with_body(stub, CORRECT_REGULAR_BLOCK))
    for index, cell in enumerate(nb["cells"]):  # Validate saves, then runs it all
        if grade_id(cell) in solved and "_q" in grade_id(cell):
            set_source(page, index, solved[grade_id(cell)])
    nb = run_cells(page, [answer, check])
    assert text_of(nb["cells"][check]).startswith("\u2705 regular_block is correct")
    results = validate(page)
    assert "Success! Your notebook passes all the tests." in results, results


def validate(page):
    """Click nbgrader's Validate button; return the text of its results dialog."""
    page.locator(f"{CURRENT} .jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
    page.locator(".jp-Dialog").wait_for(timeout=FEEDBACK_TIMEOUT_MS)
    page.wait_for_function(
        "() => { const found = document.querySelector('.jp-Dialog');"
        " return found !== null && found.textContent.includes('Validation Results'); }",
        timeout=FEEDBACK_TIMEOUT_MS,
    )
    return page.locator(".jp-Dialog").text_content()


def test_jupyterlab_shows_the_hints_collapsed(browser, jupyterlab, screenshot_dir, pages):
    """An exercise's hints are closed <details> blocks that open on a click."""
    page = open_notebook(browser, jupyterlab, "ch06_regular_block", pages)
    heading = page.locator(f"{CURRENT} .jp-RenderedMarkdown h2", has_text="Exercise:").first
    heading.scroll_into_view_if_needed()
    hints = page.locator(f"{CURRENT} .jp-RenderedMarkdown details")
    from playwright.sync_api import expect

    # The cell is drawn once it scrolls into view: wait for it (its text is empty before).
    expect(hints.last.locator("summary")).to_be_visible()
    summaries = hints.locator("summary").all_text_contents()
    assert [s.split(":")[0] for s in summaries] == ["Hint 1", "Hint 2", "Hint 3"]
    for index in range(hints.count()):
        assert hints.nth(index).evaluate("element => element.open") is False
        assert not hints.nth(index).locator("p, ol, pre").first.is_visible()
    last = hints.nth(hints.count() - 1)
    last.locator("summary").click()
    assert last.evaluate("element => element.open") is True
    assert last.locator("p").first.is_visible()  # a first step, with its code
    page.screenshot(path=str(screenshot_dir / "ch06_hint_opened.png"))
