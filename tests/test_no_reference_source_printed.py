"""No chapter prints the source of its own exercise's reference method (issue 23).

A given cell may show how to call an earlier exercise's method
(``contracts.print_contracts``), never the chapter's own method's code: neither by asking
for it (``print_contracts``, ``inspect.getsource``, ``??``) nor in a stored output. Reads
the chapter sources and the stored outputs of solutions/; imports the model for its
source.
"""

import inspect
import json
import re

import pytest

from resnet_lesson import course, preprocessing
from resnet_lesson.model import ResNetModel

EXERCISES = [e for e in course.EXERCISES if e.method]
# Shorter lines (``return logits``, ``else:``) say nothing a contract would not, nor does
# a line without an assignment or a return (an argument list a signature also shows).
DISTINCTIVE_LENGTH = 30
# The reference's ``preprocess`` hands its work to these (``resized_shape``, which
# chapter 10 prints, is given to the learner, not part of the answer).
DELEGATES = {
    "preprocess": (
        preprocessing.preprocess_image,
        preprocessing.resize_preserving_aspect,
        preprocessing.center_crop,
        preprocessing.random_crop_and_flip,
    )
}
STATEMENT = re.compile(r"^(return\b|[\w.,\s\[\]]+=[^=])")


def _body_lines(method):
    """The reference method's distinctive statements (assignments, returns), stripped;
    docstring and comments left out."""
    functions = (getattr(ResNetModel, method), *DELEGATES.get(method, ()))
    source = "\n".join(inspect.getsource(f).split("\n", 1)[1] for f in functions)
    source = re.sub(r'"""(.*?)"""', "", source, flags=re.S)
    lines = (line.strip() for line in source.splitlines())
    return [line for line in lines if len(line) >= DISTINCTIVE_LENGTH and STATEMENT.match(line)]


def _cells(chapter):
    return json.loads(course.solution_notebook(chapter).read_text())["cells"]


def _shown_text(cell):
    """What a cell's stored outputs print."""
    text = []
    for output in cell.get("outputs", []):
        text.append("".join(output.get("text", "")))
        text.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.chapter for e in EXERCISES])
def test_no_cell_asks_for_the_chapters_own_method(exercise):
    method = re.escape(exercise.method)
    asks = re.compile(
        rf"print_contracts\([^)]*[\"']{method}[\"']|getsource\([^)]*\b{method}\b|\b{method}\?\?"
    )
    for cell in _cells(exercise.chapter):
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            continue  # the answer cell defines the method; it prints nothing of the reference
        source = "".join(cell["source"])
        assert not asks.search(source), f"{exercise.chapter} shows {exercise.method}: {source}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.chapter for e in EXERCISES])
def test_no_stored_output_holds_the_reference_code(exercise):
    lines = _body_lines(exercise.method)
    assert lines, f"{exercise.method} has no line to look for"
    for cell in _cells(exercise.chapter):
        shown = _shown_text(cell)
        printed = [line for line in lines if line in shown]
        assert not printed, f"{exercise.chapter} prints {exercise.method}'s code: {printed}"


def test_a_printed_line_of_the_reference_would_be_found():
    """The test's own part: the line it looks for is one the reference really has."""
    assert any("block_layer(" in line for line in _body_lines("model_layers"))
