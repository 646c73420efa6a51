"""Exercises ask for thinking: no chapter gives its solution away.

For every chapter, the non-trivial lines of its solutions (between ``### BEGIN SOLUTION``
and ``### END SOLUTION`` in solutions/) must appear neither in the learner notebook's
visible prose (its markdown outside the collapsed ``<details>`` hints) nor in any
sentence the checks can say (the string literals of ``resnet_lesson/checks``). A line
also counts as given away when only its right-hand side (``x = <this>``) or its returned
expression (``return <this>``) is quoted. Whitespace and backticks are ignored, so
"`conv2` + `shortcut`" counts as ``conv2 + shortcut``.

Cheap: it reads JSON and Python sources, no TensorFlow (well under a second).
"""

import ast
import json
import re
import textwrap

import pytest
from conftest import ROOT, chapter_ids

from resnet_lesson.course import learner_notebook, solution_notebook

CHECKS = ROOT / "resnet_lesson" / "checks"
# Shorter than this (whitespace removed), a line says nothing a contract would not say:
# ``else:``, ``pass``, ``return logits``, ``4 * filters``.
TRIVIAL_LENGTH = 13
DETAILS = re.compile(r"<details\b.*?</details>", re.DOTALL | re.IGNORECASE)


def _normalized(text):
    return re.sub(r"[\s`]+", "", text)


def _cells(notebook_path):
    return json.loads(notebook_path.read_text())["cells"]


def _solution_regions(chapter):
    """The code between the solution markers of each answer cell, dedented."""
    for cell in _cells(solution_notebook(chapter)):
        if not cell["metadata"].get("nbgrader", {}).get("solution"):
            continue
        source = "".join(cell["source"])
        for region in re.findall(
            r"### BEGIN SOLUTION\n(.*?)^\s*### END SOLUTION", source, re.M | re.S
        ):
            yield textwrap.dedent(region)


def _bare(node):
    """A name, a constant, or a tuple of them: what a contract names anyway."""
    if isinstance(node, ast.Tuple):
        return all(_bare(element) for element in node.elts)
    return node is None or isinstance(node, ast.Name | ast.Constant)


def _pieces(statement):
    """What of one statement would give it away: a simple statement whole, a compound
    statement's header expression, and an assigned or returned value on its own. An
    assignment or return of bare names (``return pre_activated, shortcut``) is the
    contract itself, not a line to copy."""
    if isinstance(statement, ast.If | ast.While):
        yield statement.test
    elif isinstance(statement, ast.For):
        yield statement.iter
    elif isinstance(statement, ast.With):
        yield from (item.context_expr for item in statement.items)
    elif isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Return):
        if not _bare(statement.value):
            yield statement
            yield statement.value
    elif not isinstance(statement, ast.FunctionDef | ast.ClassDef | ast.Try):
        yield statement


def solution_fragments(chapter):
    """{normalized fragment: the solution statement it comes from} for one chapter."""
    fragments = {}
    for region in _solution_regions(chapter):
        for statement in ast.walk(ast.parse(region)):
            if not isinstance(statement, ast.stmt):
                continue
            line = ast.get_source_segment(region, statement).splitlines()[0].strip()
            for piece in _pieces(statement):
                if _bare(piece):
                    continue
                normalized = _normalized(ast.get_source_segment(region, piece))
                if len(normalized) >= TRIVIAL_LENGTH:
                    fragments[normalized] = line
    return fragments


def visible_prose(chapter):
    """The learner notebook's markdown with the collapsed hints taken out."""
    markdown = [
        "".join(cell["source"])
        for cell in _cells(learner_notebook(chapter))
        if cell["cell_type"] == "markdown"
    ]
    return DETAILS.sub("", "\n\n".join(markdown))


def hints(chapter):
    """The learner notebook's collapsed hints, all of them."""
    markdown = "\n\n".join(
        "".join(cell["source"])
        for cell in _cells(learner_notebook(chapter))
        if cell["cell_type"] == "markdown"
    )
    return "\n".join(DETAILS.findall(markdown))


def check_sentences():
    """Every string literal of the checks that is not a docstring: what they can say."""
    sentences = []
    for path in sorted(CHECKS.glob("*.py")):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                # The literal parts of an f-string, with a gap where each value goes.
                parts = [v.value if isinstance(v, ast.Constant) else "\0" for v in node.values]
                sentences.append((path.name, "".join(parts)))
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                sentences.append((path.name, node.value))
    return sentences


CHAPTERS_WITH_EXERCISES = [c for c in chapter_ids() if solution_fragments(c)]


def test_some_chapters_have_solutions_to_protect():
    assert len(CHAPTERS_WITH_EXERCISES) >= 9


@pytest.mark.parametrize("chapter", CHAPTERS_WITH_EXERCISES)
def test_no_solution_line_in_the_visible_prose(chapter):
    prose = _normalized(visible_prose(chapter))
    given_away = sorted({line for f, line in solution_fragments(chapter).items() if f in prose})
    assert not given_away, f"{chapter}'s prose (outside the hints) gives away {given_away}"


@pytest.mark.parametrize("chapter", CHAPTERS_WITH_EXERCISES)
def test_the_hints_give_at_most_half_of_the_solution(chapter):
    """Hints climb from the idea to a partial step: they may quote a first line or an
    API call, never most of the answer."""
    quoted = _normalized(hints(chapter))
    fragments = solution_fragments(chapter)
    lines = set(fragments.values())
    given_away = sorted({line for f, line in fragments.items() if f in quoted})
    assert len(given_away) <= len(lines) / 2, f"{chapter}'s hints give away {given_away}"


@pytest.mark.parametrize("chapter", CHAPTERS_WITH_EXERCISES)
def test_no_solution_line_in_a_check_sentence(chapter):
    sentences = [(name, _normalized(text)) for name, text in check_sentences()]
    given_away = sorted(
        {
            (name, line)
            for fragment, line in solution_fragments(chapter).items()
            for name, sentence in sentences
            if fragment in sentence
        }
    )
    assert not given_away, f"check sentences quote {chapter}'s solution: {given_away}"


def test_the_hints_are_taken_out_and_values_count_on_their_own():
    """The test's own parts: a hint hides its text; a quoted value is found."""
    prose = "Goal.\n\n<details><summary>Hint 3</summary>\n\n`return conv2 + shortcut`\n</details>"
    assert "conv2" not in DETAILS.sub("", prose)
    [statement] = ast.parse("conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)").body
    pieces = [_normalized(ast.unparse(piece)) for piece in _pieces(statement)]
    assert "self.custom_conv2d(pre_activated2,filters,3,1)" in pieces
    assert "conv2+shortcut" in _normalized("add them, `conv2` + `shortcut`")
