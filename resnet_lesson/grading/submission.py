"""Reading a learner's notebook and tidying it before nbgrader sees it.

:func:`read_notebook` turns any bad input into a one-line :class:`GradingError`;
:func:`tidy` repairs what learners do to graded cells by accident (copies, deletions,
edits of read-only cells), with a note for each thing found.
"""

import copy
import json
from pathlib import Path

from resnet_lesson import course


class GradingError(Exception):
    """The notebook could not be graded; the message says why, in one line."""


def chapter_for(path, chapter=None, root=course.ROOT):
    known = course.chapter_ids(root)
    if chapter is not None:
        if chapter not in known:
            raise GradingError(f"unknown chapter {chapter!r}; the course has: {', '.join(known)}")
        return chapter
    stem = Path(path).stem
    if stem in known:
        return stem
    # "ch06_regular_block (1).ipynb", "ch06_regular_block-Copy1.ipynb": a browser's copy
    prefixed = [c for c in known if stem.startswith(c)]
    if len(prefixed) == 1:
        return prefixed[0]
    raise GradingError(
        f"{Path(path).name}: no course notebook has this name, so there is nothing to grade "
        f"it against (expected one of: {', '.join(c + '.ipynb' for c in known)}; "
        "or pass --chapter)"
    )


def read_notebook(path):
    """The learner's notebook as nbformat v4, or GradingError saying what is wrong."""
    import nbformat

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise GradingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GradingError(f"{path}: is a folder, not a notebook") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GradingError(f"{path}: cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GradingError(
            f"{path}: not a notebook: the file is not valid JSON "
            f"({error.msg} at line {error.lineno})"
        ) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("cells"), list)
        or "nbformat" not in data
    ):
        raise GradingError(f"{path}: not a Jupyter notebook (JSON without 'cells' and 'nbformat')")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several kinds
        raise GradingError(f"{path}: not a readable Jupyter notebook ({error})") from None
    for cell in nb.cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise GradingError(f"{path}: not a readable Jupyter notebook (a cell of unknown type)")
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        cell.setdefault("metadata", {})
        cell.setdefault("source", "")
    return nb


def cell_meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) and meta.get("grade_id") else None


def _kind(meta):
    if meta.get("grade") and meta.get("locked"):
        return "test cell"
    if meta.get("solution"):
        return "answer cell"
    return "read-only cell"


def tidy(nb, release, source=None):
    """Return (notebook to grade, notes). ``release`` is the learner notebook as released.

    - a cell whose grade_id the course does not know (renamed) becomes an ordinary cell;
    - copies of a cell with the same grade_id: the last copy keeps its nbgrader role, the
      others lose it (they still run, as ordinary cells);
    - read-only and test cells missing from the submission are put back, after the
      course cell that precedes them;
    - edited or emptied read-only and test cells are noted here; nbgrader's OverwriteCells
      runs the course's version.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    notes = []
    released = {}
    order = []
    known_sources = {}
    for cell in source.cells if source is not None else []:
        meta = cell_meta(cell)
        if meta:
            known_sources[meta["grade_id"]] = cell.source.strip()
    for cell in release.cells:
        meta = cell_meta(cell)
        if meta:
            released[meta["grade_id"]] = cell
            order.append(meta["grade_id"])

    for cell in nb.cells:
        meta = cell_meta(cell)
        if meta and meta["grade_id"] not in released:
            del cell.metadata["nbgrader"]
            notes.append(
                f"a cell has the unknown grade_id '{meta['grade_id']}' (renamed?): "
                "it runs as an ordinary cell."
            )
        elif "nbgrader" in cell.get("metadata", {}) and not meta:
            del cell.metadata["nbgrader"]  # broken nbgrader metadata: an ordinary cell

    positions = {}
    for index, cell in enumerate(nb.cells):
        meta = cell_meta(cell)
        if meta:
            positions.setdefault(meta["grade_id"], []).append(index)
    for grade_id, indexes in positions.items():
        if len(indexes) > 1:
            for index in indexes[:-1]:
                del nb.cells[index].metadata["nbgrader"]
                for key in ("deletable", "editable"):
                    nb.cells[index].metadata.pop(key, None)
            kind = _kind(cell_meta(nb.cells[indexes[-1]]))
            notes.append(
                f"{kind} '{grade_id}' appears {len(indexes)} times (copied?): the "
                "last copy counts, the others run as ordinary cells."
            )

    for grade_id in order:
        course_cell = released[grade_id]
        meta = course_cell.metadata["nbgrader"]
        kind = _kind(meta)
        found = [c for c in nb.cells if (cell_meta(c) or {}).get("grade_id") == grade_id]
        if found:
            cell = found[0]
            if meta.get("locked") and cell.source.strip() not in (
                course_cell.source.strip(),
                known_sources.get(grade_id),
            ):
                state = "emptied" if not cell.source.strip() else "edited"
                notes.append(
                    f"{kind} '{grade_id}' was {state}: the course's version was run instead."
                )
            elif meta.get("locked") and cell.cell_type != course_cell.cell_type:
                notes.append(
                    f"{kind} '{grade_id}' was changed into a {cell.cell_type} cell: "
                    "the course's version was run instead."
                )
            continue
        if not meta.get("locked"):
            notes.append(
                f"{kind} '{grade_id}' is missing: its exercise is graded on "
                "whatever the other cells define."
            )
            continue
        restored = nbformat.from_dict(copy.deepcopy(dict(course_cell)))
        if restored.cell_type == "code":
            restored.outputs = []
            restored.execution_count = None
        before = order[: order.index(grade_id)]
        index = 0
        for previous in reversed(before):
            hits = [
                i
                for i, c in enumerate(nb.cells)
                if (cell_meta(c) or {}).get("grade_id") == previous
            ]
            if hits:
                index = hits[-1] + 1
                break
        nb.cells.insert(index, restored)
        notes.append(f"{kind} '{grade_id}' was missing: the course's version was put back.")
    return nb, notes
