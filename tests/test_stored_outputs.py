"""The outputs solutions/ stores for nbval (resnet_lesson.release.outputs): which cells
nbval compares, that each has a stored output, that a release keeps them and that the
check for generated notebooks ignores them. (nbval itself runs the solutions in
``make test``; release/nbval_plugin.py runs them as the grader does.)"""

import re
import shutil

import nbformat
import pytest

from resnet_lesson import course
from resnet_lesson.release import cells, outputs
from resnet_lesson.release import command as release
from resnet_lesson.release.chapter import build_source

CHAPTER = "ch06_regular_block"
PARAMETERS_CELL = "ch06_regular_block_whole_network"  # prints ResNet-18's parameter count


def _cell(nb, cell_id):
    return next(c for c in nb.cells if c.id == cell_id)


def _solution(chapter_id, root=course.ROOT):
    return nbformat.read(str(course.solution_notebook(chapter_id, root)), as_version=4)


@pytest.mark.parametrize("chapter_id", course.chapter_ids())
def test_every_compared_cell_has_a_stored_output(chapter_id):
    # nbval does not compare a cell whose stored execution count is empty: a tag alone
    # would pass silently.
    lacking = outputs.missing(_solution(chapter_id))
    assert not lacking, (
        f"{chapter_id}: no stored output for {lacking}: run "
        f"`resnet-lesson release --store-outputs {chapter_id}`"
    )


@pytest.mark.parametrize("chapter_id", course.chapter_ids())
def test_only_compared_cells_store_outputs(chapter_id):
    # Figures and training numbers are not compared, so not committed either.
    stored = [
        c.id
        for c in _solution(chapter_id).cells
        if c.cell_type == "code" and c.outputs and not outputs.compared(c)
    ]
    assert not stored, f"{chapter_id}: outputs stored for cells nbval ignores: {stored}"


@pytest.mark.parametrize("chapter_id", course.chapter_ids())
def test_graded_answer_and_setup_cells_are_compared_and_skipped_cells_skipped(chapter_id):
    _, nb = build_source(course.chapter_source(chapter_id))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        tags = cell.metadata.get("tags", [])
        if meta.get("solution") or cell.id.endswith("_setup"):
            assert outputs.compared(cell), cell.id
        if meta.get("grade"):
            assert outputs.compared(cell) != (cells.NBVAL_IGNORE_OUTPUT in tags), cell.id
        assert ("not-run-when-grading" in tags) == (cells.NBVAL_SKIP in tags), cell.id


def test_the_parameter_count_is_compared():
    cell = _cell(_solution(CHAPTER), PARAMETERS_CELL)
    assert outputs.compared(cell)
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert re.search(r"ResNet-18 from your block: [\d,]+ parameters", text), text


@pytest.fixture
def course_copy(tmp_path):
    """A scratch course root holding chapter 6's source, solution and release."""
    for notebook in (course.solution_notebook, course.learner_notebook):
        shutil.copytree(notebook(CHAPTER).parent, notebook(CHAPTER, tmp_path).parent)
    (tmp_path / "chapters").mkdir()
    shutil.copy2(course.chapter_source(CHAPTER), course.chapter_source(CHAPTER, tmp_path))
    return tmp_path


@pytest.mark.slow
def test_an_edited_cell_keeps_its_stored_output_for_nbval_to_compare(course_copy):
    """The demonstration's first half: a chapter edit that changes a printed count keeps
    the old output, so nbval's comparison fails until the author stores new ones."""
    source = course.chapter_source(CHAPTER, course_copy)
    before = _cell(_solution(CHAPTER, course_copy), PARAMETERS_CELL)
    source.write_text(
        source.read_text().replace(
            "build_resnet(18, image_size=64", "build_resnet(34, image_size=64"
        )
    )
    release.release(only={CHAPTER}, root=course_copy)
    after = _cell(_solution(CHAPTER, course_copy), PARAMETERS_CELL)
    assert "build_resnet(34" in after.source
    assert after.outputs == before.outputs and after.execution_count == before.execution_count
    assert release.out_of_date(root=course_copy) == []
    assert release.without_stored_outputs(root=course_copy) == {}


@pytest.mark.slow
def test_check_ignores_outputs_but_names_compared_cells_without_one(course_copy):
    path = course.solution_notebook(CHAPTER, course_copy)
    nb = nbformat.read(str(path), as_version=4)
    cell = _cell(nb, PARAMETERS_CELL)
    cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, str(path))
    assert release.out_of_date(root=course_copy) == []
    assert release.without_stored_outputs(root=course_copy) == {
        str(path.relative_to(course_copy)): [PARAMETERS_CELL]
    }


def _sanitized(text):
    """``text`` as nbval compares it under ``--nbval-sanitize-with nbval-sanitize.cfg``."""
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((course.ROOT / "nbval-sanitize.cfg").read_text())
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


@pytest.mark.parametrize(
    "gpus, nchw_runs", [([], True), (["a GPU"], True)], ids=["oneDNN CPU", "GPU"]
)
def test_the_setup_cells_output_is_the_same_on_every_machine(monkeypatch, capsys, gpus, nchw_runs):
    """The stored setup output was printed on a CPU without oneDNN (its extra line on data
    formats); what a CPU with oneDNN or a GPU prints compares equal once sanitized."""
    from resnet_lesson import data_formats, device

    stored = _cell(_solution(CHAPTER), f"{CHAPTER}_setup")
    stored_text = "".join(o.text for o in stored.outputs if o.output_type == "stream")
    assert "Data formats:" in stored_text  # the line the sanitizer must mask
    monkeypatch.setattr(device, "_GPUS", gpus)
    monkeypatch.setattr(data_formats, "nchw_conv_runs_eagerly", lambda: nchw_runs)
    monkeypatch.setattr(device.tf, "__version__", "9.99.1")
    device.describe_device()
    printed = capsys.readouterr().out
    assert printed != stored_text
    assert _sanitized(printed) == _sanitized(stored_text)
