"""The course on Colab: badges, the setup cell's install, and no nbgrader in the checks.

On Colab a learner opens a chapter from its badge; the chapter's first code cell finds no
``resnet_lesson`` and installs it from the course's repository with ``--no-deps`` (with
its dependencies pip would replace Colab's own TensorFlow by the course's pins). So the
package as the notebooks use it must work without nbgrader, which Colab does not have.

A fresh virtual environment per test would be slow, so Colab is simulated: the setup cell
runs (as IPython would run it) in a subprocess where importing ``resnet_lesson`` fails until
the fake ``%pip install`` "installs" it, and where ``nbgrader`` cannot be imported at all.
"""

import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT, chapter_ids

from resnet_lesson.course import learner_notebook, solution_notebook
from resnet_lesson.release import links
from resnet_lesson.release.cells import setup_cell, title

LEARNER_NOTEBOOKS = [learner_notebook(c) for c in chapter_ids()]
SOURCE_NOTEBOOKS = [solution_notebook(c) for c in chapter_ids()]


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_links_are_defined_once_in_the_expected_forms():
    owner, name = links.REPOSITORY.split("/")
    assert owner and name
    assert links.install_url() == (f"git+https://github.com/{links.REPOSITORY}.git@{links.BRANCH}")
    path = "notebooks/ch06_regular_block/ch06_regular_block.ipynb"
    assert links.colab_url(path) == (
        f"https://colab.research.google.com/github/{links.REPOSITORY}/blob/{links.BRANCH}/{path}"
    )
    assert links.colab_badge(path) == (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({links.colab_url(path)})"
    )


def test_title_and_setup_cell_use_the_links():
    heading = title("# Chapter 6: The ResNet block", "notebooks/ch06_x/ch06_x.ipynb")
    assert heading.source.startswith("# Chapter 6: The ResNet block")
    assert links.colab_badge("notebooks/ch06_x/ch06_x.ipynb") in heading.source
    cell = setup_cell("ch06_x")
    assert cell.metadata["nbgrader"]["grade_id"] == "ch06_x_setup"
    assert cell.metadata["nbgrader"]["locked"] is True
    assert f'%pip install --quiet --no-deps "{links.install_url()}"' in cell.source


def test_there_are_learner_notebooks():
    assert LEARNER_NOTEBOOKS, "no chapters found"
    assert [p for p in LEARNER_NOTEBOOKS if not p.exists()] == []


@pytest.mark.parametrize(
    "path", LEARNER_NOTEBOOKS + SOURCE_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT))
)
def test_notebook_opens_with_its_own_badge_and_the_setup_cell(path):
    chapter_id = path.stem
    cells = nbformat.read(path, as_version=4).cells
    learner_path = learner_notebook(chapter_id).relative_to(ROOT).as_posix()
    # The first cell is the title, with the badge that opens this very notebook on Colab
    # (solutions' badges point at the learner notebook, which is what learners open).
    assert cells[0].cell_type == "markdown"
    assert links.colab_badge(learner_path) in cells[0].source, cells[0].source
    # The first code cell is the course's setup cell, exactly as setup_cell() writes it
    # (a stale notebook here means `resnet-lesson release` was not rerun).
    first_code = next(c for c in cells if c.cell_type == "code")
    assert first_code.source == setup_cell(chapter_id).source
    assert first_code.metadata["nbgrader"]["grade_id"] == f"{chapter_id}_setup"


def test_every_colab_and_install_link_names_the_course_repository():
    """The repository is written in links.py only: every Colab link and install URL in
    the notebooks, the README and docs/ names that one (a rename misses nothing)."""
    texts = {path: path.read_text() for path in LEARNER_NOTEBOOKS + SOURCE_NOTEBOOKS}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        if doc.exists():
            texts[doc] = doc.read_text()
    for path, text in texts.items():
        for repository in re.findall(
            r"(?:colab\.research\.google\.com/github/|git\+https://github\.com/)"
            r"([\w.-]+/[\w-]+(?:\.(?!git\b)[\w-]+)*)",
            text,
        ):
            assert repository == links.REPOSITORY, (path, repository)


def _modules_the_notebooks_import():
    """Every resnet_lesson module a learner notebook's code imports (for ``from M import
    a, b`` also ``M.a`` and ``M.b``, which are modules or, if none exists, attributes)."""
    found = set()
    plain = re.compile(r"^\s*import\s+(resnet_lesson(?:\.\w+)*)", re.MULTILINE)
    from_import = re.compile(
        r"^\s*from\s+(resnet_lesson(?:\.\w+)*)\s+import\s+\(?([\w\s,]+)", re.MULTILINE
    )
    for path in LEARNER_NOTEBOOKS:
        for cell in _code_cells(path):
            found.update(plain.findall(cell.source))
            for module, names in from_import.findall(cell.source):
                found.add(module)
                found.update(
                    f"{module}.{name.split()[0]}" for name in names.split(",") if name.strip()
                )
    return found


# Runs in a subprocess: a kernel on Colab, as far as the setup cell can tell.
COLAB_KERNEL = r'''
import importlib, importlib.util, json, pkgutil, shlex, sys

sys.modules["nbgrader"] = None  # Colab has no nbgrader: any import of it raises

class NotInstalled:
    """A meta path finder that hides resnet_lesson until the fake %pip installs it."""
    installed = False
    def find_spec(self, name, path=None, target=None):
        if not self.installed and name.split(".")[0] == "resnet_lesson":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

hider = NotInstalled()
sys.meta_path.insert(0, hider)
pip_calls = []

class FakeShell:
    def run_line_magic(self, magic, line):
        pip_calls.append([magic] + shlex.split(line))
        hider.installed = True  # what a successful install means for the next import

def get_ipython():
    return FakeShell()

from IPython.core.inputtransformer2 import TransformerManager
code = TransformerManager().transform_cell(SETUP_SOURCE)
exec(compile(code, "<setup cell, first run>", "exec"), {"get_ipython": get_ipython})
first_calls = list(pip_calls)
# Run again, as after a kernel restart with the package installed: no second install.
exec(compile(code, "<setup cell, second run>", "exec"), {"get_ipython": get_ipython})

# The checks and every module the notebooks import work without nbgrader.
import resnet_lesson.checks
imported = sorted(MODULES | {f"resnet_lesson.checks.{m.name}"
                             for m in pkgutil.iter_modules(resnet_lesson.checks.__path__)})
def is_module(name):  # or an attribute, as in `from resnet_lesson.data import Split`
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent is a module, not a package
        return False

imported = [m for m in imported if is_module(m)]
for module in imported:
    importlib.import_module(module)

# A check gives its verdict: the reference model passes chapter 6's check.
import resnet_lesson
from resnet_lesson.checks import regular_block
regular_block.check(resnet_lesson.ResNetModel)
from resnet_lesson.training import training_settings
print(json.dumps({"first_calls": first_calls, "all_calls": pip_calls,
                  "imported": imported, "settings": training_settings()[0]}))
'''


@pytest.fixture(scope="module")
def colab_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("colab")  # not the repository: nothing found by cwd
    modules = _modules_the_notebooks_import()
    program = (
        f"SETUP_SOURCE = {setup_cell('ch06_regular_block').source!r}\n"
        f"MODULES = {modules!r}\n" + COLAB_KERNEL
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "TF_CPP_MIN_LOG_LEVEL", "PYTEST_CURRENT_TEST")
    }
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    return {"stdout": lines[:-1], "report": json.loads(lines[-1]), "stderr": result.stderr}


def test_setup_cell_installs_the_course_without_dependencies(colab_run):
    calls = colab_run["report"]["first_calls"]
    assert len(calls) == 1
    magic, command, *options = calls[0]
    assert (magic, command) == ("pip", "install")
    assert "--no-deps" in options
    assert options[-1] == links.install_url()
    # Installed once: rerunning the cell (after a restart, say) installs nothing.
    assert colab_run["report"]["all_calls"] == calls


def test_setup_cell_says_which_device_runs_the_chapter(colab_run):
    device_lines = [line for line in colab_run["stdout"] if "will run on the" in line]
    assert len(device_lines) == 2  # once per run of the cell
    device = "GPU" if colab_run["report"]["settings"].startswith("gpu") else "CPU"
    assert f"will run on the {device}" in device_lines[0]


def test_checks_and_notebook_modules_work_without_nbgrader(colab_run):
    imported = colab_run["report"]["imported"]
    assert "resnet_lesson.checks.regular_block" in imported
    assert any(line.startswith("\u2705 regular_block is correct") for line in colab_run["stdout"])


def test_nothing_reaches_stderr(colab_run):
    # With TF_CPP_MIN_LOG_LEVEL unset, as on Colab: the setup cell sets it and silences
    # TensorFlow's start-up lines, which nbgrader would count against a graded cell.
    assert colab_run["stderr"] == ""
