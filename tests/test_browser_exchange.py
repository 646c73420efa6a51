"""The submit path end to end: nbgrader's exchange on one machine, the learner in JupyterLab.

Everything lives in a temporary folder: the instructor's course (a copy of the repository's
nbgrader config, one chapter's source and release), an exchange folder that both sides
reach through the machine-wide nbgrader config (as ``/etc/jupyter/nbgrader_config.py`` on
a shared server), and the learner's home, served by JupyterLab with nbgrader's extensions.
The learner is whoever runs the test: nbgrader reads the student id from the OS user.

1. The instructor releases chapter 3 (``nbgrader release_assignment``).
2. In Chromium, the learner opens the Assignments panel, fetches the chapter, opens its
   notebook from the panel, writes a wrong answer into the exercise cell, saves and
   submits from the panel.
3. The instructor collects, grades the class (``resnet-lesson grade-class``), generates and
   releases the feedback.
4. The learner fetches the feedback from the panel and opens it: it shows the check's
   sentence for that mistake, the sentence the check itself gives for the same method,
   and not the hidden tests (which the instructor's autograded notebook keeps).

No cell is run in the learner's kernel: grading runs the notebook. About a minute on two
cores (JupyterLab's start and grade-class's TensorFlow start dominate). Screenshots of
the panel and the feedback go where tests/test_browser.py puts its own.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from conftest import check_failure, command_environment
from test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    WRONG,
    _requirements,
    running_jupyterlab,
    with_body,
)

from resnet_lesson.course import learner_notebook, nbgrader_config, solution_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAPTER = "ch03_custom_padding"  # the quickest chapter to grade with an exercise
ANSWER_ID, WRONG_BODY = WRONG[CHAPTER]
CHECK_ID = f"{ANSWER_ID}_tests"
TIMEOUT_MS = 120_000
PANEL = "#jp-main-dock-panel"  # JupyterLab's main area, where the Assignments tab opens


def expected_sentence():
    """What the chapter's check says of the wrong answer, as the feedback shows it
    (plain text, after the ❌): computed by the check on the same method, not written
    down here."""
    import resnet_lesson
    from resnet_lesson.checks import custom_padding as check_module
    from resnet_lesson.checks.verdict import CheckFailed, as_plain_text

    namespace = {}  # the learner's method, as the notebook's cell defines it
    body = textwrap.indent(WRONG_BODY, "    ")
    exec(f"def custom_padding(self, inputs, kernel_size):\n{body}\n", namespace)
    learner = type(
        "LearnerResNetModel",
        (resnet_lesson.ResNetModel,),
        {"custom_padding": namespace["custom_padding"]},
    )
    line = CheckFailed(ANSWER_ID, check_failure(check_module, learner)).line
    return as_plain_text(line).removeprefix("\u274c ")


def words(text):
    return " ".join(text.split())


@pytest.fixture
def classroom(tmp_path):
    """The instructor's course, the exchange, the learner's home and the environments."""
    _requirements()
    course, exchange, home = tmp_path / "course", tmp_path / "exchange", tmp_path / "learner"
    (course / "solutions").mkdir(parents=True)
    (course / "notebooks").mkdir()
    home.mkdir()
    shutil.copy2(nbgrader_config(), course)
    shutil.copytree(solution_notebook(CHAPTER).parent, solution_notebook(CHAPTER, course).parent)
    shutil.copytree(learner_notebook(CHAPTER).parent, learner_notebook(CHAPTER, course).parent)
    # The machine's Jupyter config folder (no user's ~/.jupyter is read): where both
    # sides find the exchange.
    machine = tmp_path / "jupyter-config"
    machine.mkdir()
    (machine / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\nc.Exchange.root = {str(exchange)!r}\n"
    )
    env = dict(command_environment(), JUPYTER_CONFIG_DIR=str(machine))
    learner_env = dict(
        env,
        JUPYTER_DATA_DIR=str(tmp_path / "learner-data"),  # nbgrader's submission cache
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    return {
        "course": course,
        "home": home,
        "env": env,
        "tmp": tmp_path,
        "learner_env": learner_env,
    }


def instructor(classroom, *command, timeout=600):
    """Run an instructor's command from the course root; return its stdout."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / command[0]), *command[1:]],
        cwd=classroom["course"],
        env=classroom["env"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def learner_lab(classroom):
    """The learner's JupyterLab on their home folder, with nbgrader's extensions."""
    log_path = classroom["tmp"] / "jupyterlab.log"
    with running_jupyterlab(classroom["home"], classroom["learner_env"], log_path) as lab:
        # A workspace of its own: no tab restored from another run.
        lab["url"] = f"{lab['base']}/lab/workspaces/{uuid.uuid4().hex}?token={lab['token']}"
        yield lab


@pytest.fixture
def page(learner_lab, request):
    from playwright.sync_api import sync_playwright

    failures_before = request.session.testsfailed
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        opened = browser.new_page(viewport={"width": 1400, "height": 900})
        opened.set_default_timeout(TIMEOUT_MS)
        yield opened
        if request.session.testsfailed > failures_before:
            path = screenshot_dir(request) / "failure_exchange.png"
            opened.screenshot(path=str(path))
            print(f"\nscreenshot of the failure: {path}")
            print("JupyterLab's log (end):\n" + learner_lab["log"].read_text()[-5000:])
        browser.close()


def screenshot_dir(request):
    chosen = os.environ.get("RESNET_LESSON_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else request.getfixturevalue("tmp_path")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def rows(page, name):
    """The rows of one of the panel's lists (released, fetched, submitted), once loaded."""
    for state in ("loading", "placeholder", "error"):
        page.locator(f"#{name}_assignments_list_{state}").wait_for(state="hidden")
    return page.locator(f"#{name}_assignments_list > .list_item")


def test_a_submitted_chapter_comes_back_with_the_checks_sentence(
    classroom, learner_lab, page, request
):
    from playwright.sync_api import expect

    sentence = expected_sentence()
    instructor(classroom, "nbgrader", "release_assignment", CHAPTER)

    # The learner: Nbgrader > Assignment List, fetch the chapter.
    page.goto(learner_lab["url"])
    page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator('#jp-mainmenu-nbgrader li[data-command="nbgrader:open-assignment-list"]').click()
    released = rows(page, "released")
    expect(released).to_have_count(1)
    expect(released.first.locator(".item_name")).to_have_text(CHAPTER)
    expect(released.first.locator(".item_course")).to_have_text("resnet-lesson")
    released.first.locator(".item_status button", has_text="Fetch").click()
    fetched = rows(page, "fetched")
    expect(fetched).to_have_count(1)

    # Open the notebook from the panel; write the wrong answer and save.
    fetched.first.locator("a.assignment-notebooks-link").click()  # lists its notebooks
    fetched.first.locator(".collapse.in .nested_list_item a", has_text=CHAPTER).click()
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").wait_for()
    page.wait_for_function(
        "() => { const panel = window.jupyterapp.shell.currentWidget;"
        " return panel && panel.context && panel.context.isReady; }"
    )
    notebook = json.loads((classroom["home"] / CHAPTER / f"{CHAPTER}.ipynb").read_text())
    answer = next(
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == ANSWER_ID
    )
    source = with_body("".join(notebook["cells"][answer]["source"]), WRONG_BODY)
    page.evaluate(
        "async ([index, source]) => { const panel = window.jupyterapp.shell.currentWidget;"
        " panel.content.model.cells.get(index).sharedModel.setSource(source);"
        " await panel.context.save(); }",
        [answer, source],
    )
    saved = json.loads((classroom["home"] / CHAPTER / f"{CHAPTER}.ipynb").read_text())
    assert "".join(saved["cells"][answer]["source"]) == source

    # Back to the Assignments tab: submit.
    page.locator(f"{PANEL} .lm-TabBar-tab", has_text="Assignments").click()
    rows(page, "fetched").first.locator(".item_status button", has_text="Submit").click()
    submitted = rows(page, "submitted")
    expect(submitted).to_have_count(1)
    page.screenshot(path=str(screenshot_dir(request) / "exchange_submitted.png"))

    # The instructor: collect, grade the class, generate and release the feedback.
    instructor(classroom, "nbgrader", "collect", CHAPTER)
    from nbgrader.utils import get_username

    student = get_username()  # the OS user: nbgrader's student id for the learner
    assert [p.name for p in (classroom["course"] / "submitted").iterdir()] == [student]
    graded = json.loads(
        instructor(classroom, "resnet-lesson", "grade-class", CHAPTER, "--jobs", "1", "--json")
    )
    [result] = graded["submissions"]
    assert (result["student"], result["chapter"]) == (student, CHAPTER)
    assert result["exercises"][CHECK_ID]["score"] == 0
    assert words(sentence) in words(result["exercises"][CHECK_ID]["feedback"])
    # The instructor's autograded copy keeps the hidden tests (as nbgrader autograde's)...
    autograded = classroom["course"] / "autograded" / student / CHAPTER / f"{CHAPTER}.ipynb"
    assert "thorough=True" in autograded.read_text()
    instructor(classroom, "nbgrader", "generate_feedback", CHAPTER)
    instructor(classroom, "nbgrader", "release_feedback", CHAPTER)

    # The learner: refresh the panel, fetch the feedback and open it.
    page.locator("#refresh_assignments_list").click()
    submitted = rows(page, "submitted")
    expect(submitted.first).to_contain_text("feedback available to fetch")
    submitted.first.locator(".item_status button", has_text="Fetch Feedback").click()
    view = page.locator("#submitted_assignments_list a", has_text="view feedback")
    view.click()  # the file browser goes to the feedback's folder
    page.locator(".jp-DirListing-item", has_text=f"{CHAPTER}.html").dblclick()
    shown = page.frame_locator(".jp-HTMLViewer iframe").locator("body")  # JupyterLab's viewer
    expect(shown).to_contain_text(f"{CHAPTER} (Score: 0.0 / ")  # nbgrader feedback page
    text = words(shown.text_content())
    assert words(f"\u274c {sentence}") in text, (sentence, text[:3000])
    # ...the feedback the learner fetched does not (nbgrader_config.py: StripHiddenTests).
    [fetched_page] = (classroom["home"] / CHAPTER / "feedback").glob(f"*/{CHAPTER}.html")
    for hidden in ("HIDDEN TESTS", "thorough=True"):
        assert hidden not in text and hidden not in fetched_page.read_text(), hidden
    frame = page.frame_locator(".jp-HTMLViewer iframe")
    verdict = frame.locator("pre", has_text=" ".join(sentence.split()[:3])).first
    verdict.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir(request) / "exchange_feedback.png"))
