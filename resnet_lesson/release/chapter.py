"""A chapter source (``chapters/chNN_name.py``) into its nbgrader source notebook.

A chapter source is a jupytext percent file: JupyterLab opens it as a notebook, and
editors and linters see plain Python. Each ``# %%`` line starts a cell; what follows it
on the line is the cell's metadata, and ``role`` says what the cell becomes::

    # %% [markdown] role="title"
    # # Chapter 6: The ResNet block

    # %% role="setup"

    # %% [markdown]
    # Prose, as markdown.

    # %% role="given" grade_id="ch06_regular_block_diagram"
    block_diagrams(kinds=("regular",))

    # %% role="answer" grade_id="regular_block"
    ### BEGIN SOLUTION
    ...
    ### END SOLUTION

    # %% role="tests" grade_id="regular_block_tests" points=3
    regular_block_check.check(ResNetModel)
    ### BEGIN HIDDEN TESTS
    regular_block_check.check(ResNetModel, thorough=True)
    ### END HIDDEN TESTS

    # %%
    EPOCHS = 3  # a code cell with no role: the learner may edit it, nothing grades it

    # %% [markdown] role="question" grade_id="regular_block_q1" correct="b"
    # Which conv of a regular block may have a stride of 2?
    #
    # - both convs
    # - only the first conv
    #
    # > Only the first conv strides; the second keeps the size.

Roles (``cells`` has the nbgrader metadata each one gets):

- ``title`` (markdown): the heading; release adds the Colab badge of the chapter's
  learner notebook below it.
- ``setup`` (empty code cell): release writes the course's setup cell there, with
  grade_id ``<chapter id>_setup``.
- ``given``: read-only code (``tags=[...]`` allowed); ``answer``: an exercise;
  ``tests``: a graded cell, ``points`` required (``tags=[...]`` allowed).
- nbval (``make test``) compares the stored output of the graded, answer and setup
  cells, and of a given cell tagged ``nbval-check-output`` (a deterministic table);
  a graded cell whose verdict reports a measurement is tagged ``nbval-ignore-output``.
- ``question`` (markdown): the prompt, the choices as a bullet list (lettered a, b, ...
  in that order), and the explanation a learner with a wrong answer reads, as a
  blockquote; ``correct`` is the letter; ``points`` (default
  ``cells.QUESTION_POINTS``). Release makes the question's prose, its answer cell
  ``<grade_id>`` and its graded test ``<grade_id>_test``. The lines of one paragraph
  or item are joined by spaces, so they can be wrapped freely.
- no role: markdown prose, or (code) a cell the learner may edit.

Only the fields above are read; jupytext's own layout fields (``lines_to_next_cell``)
are dropped, and anything else is an error, so a misspelt field does not pass silently.
"""

from pathlib import Path

import jupytext
from markdown_it import MarkdownIt

from resnet_lesson import course
from resnet_lesson.release import cells

# What jupytext writes into a cell's metadata to reproduce the file's blank lines.
JUPYTEXT_LAYOUT_FIELDS = {"lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker"}


def _one_line(text):
    """A wrapped paragraph as the single line the question's code and prose use."""
    return " ".join(line.strip() for line in text.splitlines())


def question_parts(source):
    """(prompt, choices, explanation) of a question cell's markdown.

    Parsed with markdown-it (CommonMark): the paragraphs before the bullet list are the
    prompt, each list item a choice, the blockquote after it the explanation.
    """
    prompt, choices, explanation = [], [], []
    container = None  # the top-level block the next text belongs to
    for token in MarkdownIt("commonmark").parse(source):
        if token.level == 0 and token.nesting == 1:
            container = token.type
        if token.type != "inline":
            continue
        if container == "paragraph_open" and not choices:
            prompt.append(_one_line(token.content))
        elif container == "bullet_list_open":
            choices.append(_one_line(token.content))
        elif container == "blockquote_open" and choices:
            explanation.append(_one_line(token.content))
        else:
            raise ValueError(
                f"unexpected text in a question: {token.content!r}; write the "
                "prompt, then the choices as a bullet list, then the explanation "
                "as a blockquote"
            )
    if not prompt or len(choices) < 2 or len(explanation) != 1:
        raise ValueError(
            "a question needs a prompt, at least two choices (a bullet list) and "
            f"one explanation paragraph (a blockquote after the list):\n{source}"
        )
    return "\n\n".join(prompt), choices, explanation[0]


def _title(cell, chapter_id):
    # The title's Colab badge opens the learner notebook, relative to the repository root.
    learner_path = course.learner_notebook(chapter_id, Path()).as_posix()
    return [cells.title(cell.source, learner_path)]


def _setup(cell, chapter_id):
    if cell.source.strip():
        raise ValueError(f"{chapter_id}: the setup cell is written by release; leave it empty")
    return [cells.setup_cell(chapter_id)]


def _question(cell, chapter_id, grade_id, correct, points=cells.QUESTION_POINTS):
    prompt, choices, explanation = question_parts(cell.source)
    return cells.question(grade_id, prompt, choices, correct, explanation, points)


# (cell type, role) -> (expansion, the fields it requires, the fields it may also have)
ROLES = {
    ("markdown", None): (lambda cell, _: [cells.markdown(cell.source)], set(), set()),
    ("markdown", "title"): (_title, set(), set()),
    ("markdown", "question"): (_question, {"grade_id", "correct"}, {"points"}),
    ("code", None): (lambda cell, _: [cells.code(cell.source)], set(), set()),
    ("code", "setup"): (_setup, set(), set()),
    ("code", "given"): (
        lambda cell, _, **f: [cells.given(source=cell.source, **f)],
        {"grade_id"},
        {"tags"},
    ),
    ("code", "answer"): (
        lambda cell, _, **f: [cells.answer(source=cell.source, **f)],
        {"grade_id"},
        set(),
    ),
    ("code", "tests"): (
        lambda cell, _, **f: [cells.tests(source=cell.source, **f)],
        {"grade_id", "points"},
        {"tags"},
    ),
}


def expand(cell, chapter_id):
    """The notebook cells that one cell of a chapter source stands for."""
    fields = {
        key: value for key, value in cell.metadata.items() if key not in JUPYTEXT_LAYOUT_FIELDS
    }
    role = fields.pop("role", None)
    where = f"{chapter_id}, {cell.cell_type} cell {cell.source[:40]!r}"
    if (cell.cell_type, role) not in ROLES:
        raise ValueError(
            f"{where}: no role {role!r} for a {cell.cell_type} cell "
            f"(roles: {sorted(r for t, r in ROLES if t == cell.cell_type and r)})"
        )
    build, required, optional = ROLES[cell.cell_type, role]
    if not required <= fields.keys() <= required | optional:
        raise ValueError(
            f"{where}: role {role!r} takes {sorted(required)} and optionally "
            f"{sorted(optional)}, not {sorted(fields)}"
        )
    return build(cell, chapter_id, **fields)


def build_source(path):
    """Read one chapter source; return (chapter_id, its nbgrader source notebook)."""
    path = Path(path)
    chapter_id = path.stem
    text_notebook = jupytext.read(path, fmt="py:percent")
    built = [new for cell in text_notebook.cells for new in expand(cell, chapter_id)]
    return chapter_id, cells.notebook(built)
