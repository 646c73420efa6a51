"""Chapter 12's paste helper: the answer cells of the learner's earlier chapter notebooks.

The chapter 12 notebook itself never reads them (nbgrader grades it alone): the learner
pastes them into the class, and the checks judge what was pasted.
"""

import json
import sys
from pathlib import Path

from resnet_lesson import course


def answer_cells(chapter_id, notebooks=None):
    """The source of each answer cell in the learner's notebook of ``chapter_id``."""
    notebooks = Path(notebooks) if notebooks else Path.cwd().parent
    path = course.chapter_notebook(notebooks, chapter_id)
    if not path.exists():
        return path, None
    cells = json.loads(path.read_text())["cells"]
    return path, [
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code"
        and cell.get("metadata", {}).get("nbgrader", {}).get("solution")
        and "quiz.answering" not in "".join(cell["source"])
    ]


def print_answers(notebooks=None, stream=None):
    """Print, chapter by chapter, the exercise cells of your notebooks 2 to 11.

    ``notebooks`` is the folder that holds the chapter folders (by default the parent of
    the folder this notebook runs in). Only reads: nothing is changed.
    """
    stream = stream or sys.stdout
    for exercise in course.EXERCISES:
        path, sources = answer_cells(exercise.chapter, notebooks)
        print(f"# ---- {exercise.method or exercise.check}: {exercise.chapter} ----", file=stream)
        if sources is None:
            print(f"# (no notebook at {path})", file=stream)
            continue
        for source in sources:
            print(source, file=stream)
        print(file=stream)
