"""End to end, as a learner meets the course: JupyterLab in a real (headless) browser.

The test starts the server the README's first command starts (``make course`` runs
``jupyter lab --notebook-dir=notebooks``), here on 127.0.0.1 with a token and a free
port, over a temporary copy of the course so the learner notebooks are never touched.
It opens chapter 6 in Debian's Chromium driven by Playwright, with the exercise filled
in right (and, in a second notebook, wrong), runs all cells from JupyterLab's Run menu
and waits for the visible check's feedback on the page. It also checks that nbgrader's
JupyterLab extension loaded (its menu and the notebook's Validate button).

Screenshots go to ``$RESNET_LESSON_SCREENSHOT_DIR`` when it is set, else to the test's
temporary folder. Without Chromium the test is skipped, except in CI (``CI=true``),
where ``.ci/run`` installs it and a missing browser is a failure.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHAPTER = "ch06_regular_block"
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
# Kernel start plus importing TensorFlow can take tens of seconds on a busy machine.
FEEDBACK_TIMEOUT_MS = 240_000
PAGE_TIMEOUT_MS = 120_000
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook tab on show

CORRECT_BODY = """\
pre_activated2 = self.pre_activation(conv1, is_training)
conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
return conv2 + shortcut"""
WRONG_BODY = """\
pre_activated2 = self.pre_activation(conv1, is_training)
conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
return conv2"""


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


def fill_in(notebook_path, body, grade_id="regular_block"):
    """Replace the exercise's stub (``# CODE HERE`` / ``raise NotImplementedError()``)
    with ``body``, indented like the stub: what a learner types into the answer cell."""
    nb = json.loads(notebook_path.read_text())
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            lines = "".join(cell["source"]).split("\n")
            stub = next(i for i, line in enumerate(lines) if line.strip() == "# CODE HERE")
            assert lines[stub + 1].strip() == "raise NotImplementedError()", lines
            indent = lines[stub][: len(lines[stub]) - len(lines[stub].lstrip())]
            lines[stub : stub + 2] = [indent + line for line in body.split("\n")]
            cell["source"] = "\n".join(lines)
            break
    else:
        raise AssertionError(f"no answer cell {grade_id!r} in {notebook_path}")
    notebook_path.write_text(json.dumps(nb, indent=1))


def answer_questions(notebook_path, solutions_path, skip=("regular_block",)):
    """Give the check-your-understanding answers (from the solutions notebook), so that
    Run All Cells goes through the whole chapter."""
    solved = {
        c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
        for c in json.loads(solutions_path.read_text())["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    nb = json.loads(notebook_path.read_text())
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solved and grade_id not in skip:
            cell["source"] = "\n".join(
                line
                for line in solved[grade_id].split("\n")
                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
            )
    notebook_path.write_text(json.dumps(nb, indent=1))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A temporary copy of the course: the learner notebooks and nbgrader's config."""
    _requirements()
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    chapter = root / "notebooks" / CHAPTER
    original = chapter / f"{CHAPTER}.ipynb"
    wrong = chapter / f"{CHAPTER}_wrong.ipynb"
    shutil.copy2(original, wrong)
    fill_in(original, CORRECT_BODY)
    answer_questions(original, ROOT / "solutions" / CHAPTER / f"{CHAPTER}.ipynb")
    fill_in(wrong, WRONG_BODY)
    return root


@pytest.fixture(scope="module")
def jupyterlab(course, tmp_path_factory):
    """``jupyter lab --notebook-dir=notebooks`` as ``make course`` runs it, headless."""
    port, token = _free_port(), uuid.uuid4().hex
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
    # A fresh profile asks whether to fetch Jupyter's news; answer "no" beforehand so the
    # prompt does not cover the screenshots (the machine has no network anyway).
    news = private / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log_path = private / "jupyterlab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                str(bin_dir / "jupyter"),
                "lab",
                "--notebook-dir=notebooks",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            cwd=course,
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
def browser(jupyterlab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:  # Playwright gives it a new, empty profile
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def screenshot_dir(tmp_path):
    chosen = os.environ.get("RESNET_LESSON_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path
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


def open_notebook(browser, jupyterlab, name, pages):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    pages.append(page)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    # A workspace of its own, so the page shows this notebook alone (no restored tabs).
    url = (
        f"{jupyterlab['base']}/lab/workspaces/{uuid.uuid4().hex}/tree/{CHAPTER}/{name}"
        f"?reset&token={jupyterlab['token']}"
    )
    page.goto(url)
    page.locator(CURRENT).wait_for()
    # The kernel is ready when the toolbar's status says Idle.
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


def run_all_cells(page):
    """JupyterLab's menu: Run > Run All Cells."""
    # The notebook opened from the URL is the current widget; focus its tab (a click
    # inside the notebook could land on a link), then use the menu.
    page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def wait_for_output(page, text):
    """Wait until an output area on the page shows ``text``; return it."""
    found = page.locator(f"{CURRENT} .jp-OutputArea-output", has_text=text).first
    found.wait_for(state="attached", timeout=FEEDBACK_TIMEOUT_MS)
    return found


def wait_until_idle(page, timeout=FEEDBACK_TIMEOUT_MS):
    """The toolbar's kernel indicator says idle (started and not running anything)."""
    page.wait_for_function(
        "() => { const found = document.querySelector("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');"
        " return found !== null && found.getAttribute('data-status') === 'idle'; }",
        timeout=timeout,
    )


def show(page, output):
    """Scroll ``output`` to the middle of the notebook, once JupyterLab stops moving.

    Run All Cells keeps scrolling to the running cell, so wait until the kernel is idle
    (the run ended or stopped at an error), then scroll and let the windowed notebook
    settle before the screenshot."""
    wait_until_idle(page)
    for _ in range(3):
        output.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(500)


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


def test_jupyterlab_shows_the_check_feedback_for_a_correct_answer(
    browser, jupyterlab, screenshot_dir, pages
):
    page = open_notebook(browser, jupyterlab, f"{CHAPTER}.ipynb", pages)
    # nbgrader's JupyterLab extension loaded: its menu and the notebook's Validate button.
    assert page.get_by_role("menuitem", name="Nbgrader").count() == 1
    assert page.locator(f"{CURRENT} .jp-NotebookPanel-toolbar", has_text="Validate").count() == 1
    started = time.monotonic()
    run_all_cells(page)
    # The setup cell says which device runs the chapter.
    wait_for_output(page, "will run on the")
    setup_seconds = time.monotonic() - started
    shown = wait_for_output(page, "\u2705 regular_block is correct")
    feedback_seconds = time.monotonic() - started
    assert "same outputs as the reference" in shown.text_content()
    show(page, shown)
    page.screenshot(path=str(screenshot_dir / "ch06_check_feedback.png"))
    # With the questions answered too, the whole chapter ran: its figure is on the page,
    # and nothing is on stderr (no error, and none of TensorFlow's start-up lines).
    assert page.locator(f"{CURRENT} .jp-RenderedImage img").count() >= 1
    stderr = page.locator(f"{CURRENT} [data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, stderr.all_text_contents()
    # The top of the chapter: title, Colab badge, the setup cell's device line.
    show(page, wait_for_output(page, "will run on the"))
    page.screenshot(path=str(screenshot_dir / "ch06_setup_cell.png"))
    # nbgrader's Validate button (what a learner clicks before submitting) agrees.
    results = validate(page)
    assert "Success! Your notebook passes all the tests." in results, results
    # Reported, not asserted: how long a learner waits (pytest -s shows it).
    print(
        f"\nsetup cell output after {setup_seconds:.1f} s, check feedback after "
        f"{feedback_seconds:.1f} s of Run All Cells"
    )


def test_jupyterlab_names_the_mistake_for_a_wrong_answer(
    browser, jupyterlab, screenshot_dir, pages
):
    page = open_notebook(browser, jupyterlab, f"{CHAPTER}_wrong.ipynb", pages)
    run_all_cells(page)
    shown = wait_for_output(page, "\u274c regular_block: the shortcut is not added")
    assert "look at what the block returns" in shown.text_content()
    show(page, shown)
    # The learner sees the one sentence, not a traceback through the checking code.
    assert "Traceback" not in shown.text_content()
    assert "engine.py" not in shown.text_content()
    page.screenshot(path=str(screenshot_dir / "ch06_check_mistake.png"))
    # nbgrader's Validate button reports the same sentence for the failing check.
    results = validate(page)
    assert "\u274c regular_block: the shortcut is not added" in results
    page.screenshot(path=str(screenshot_dir / "ch06_validate_mistake.png"))


def test_jupyterlab_shows_the_hints_collapsed(browser, jupyterlab, screenshot_dir, pages):
    """An exercise's hints are closed <details> blocks that open on a click."""
    page = open_notebook(browser, jupyterlab, f"{CHAPTER}_wrong.ipynb", pages)
    heading = page.locator(f"{CURRENT} .jp-RenderedMarkdown h2", has_text="Exercise:").first
    heading.scroll_into_view_if_needed()
    hints = page.locator(f"{CURRENT} .jp-RenderedMarkdown details")
    summaries = hints.locator("summary").all_inner_texts()
    assert [s.split(":")[0] for s in summaries] == ["Hint 1", "Hint 2", "Hint 3"]
    for index in range(hints.count()):
        assert hints.nth(index).evaluate("element => element.open") is False
        assert not hints.nth(index).locator("p, ol").first.is_visible()
    last = hints.nth(hints.count() - 1)
    last.locator("summary").click()
    assert last.evaluate("element => element.open") is True
    assert last.locator("ol").first.is_visible()  # the steps, rendered as a list
    page.screenshot(path=str(screenshot_dir / "ch06_hint_opened.png"))
