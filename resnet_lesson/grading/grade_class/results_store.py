"""What grade-class has finished, kept so that a killed run resumes where it stopped.

For each submission the store holds, under ``.grade-class/<student>/<chapter>/``:

- ``<sha256>.json``: the grader's result for the notebook with that content hash (scores,
  feedback, notes) and the autograded notebook, written once the grader returned;
- ``imported``: the hash whose result is in the gradebook and ``autograded/``, written last.

Each file is written to a temporary name and renamed over the old one (``os.replace``),
so a file is either absent or complete, whenever the run is killed. Only the coordinating
process writes here.
"""

import json
import os
import tempfile
from pathlib import Path

STORE = ".grade-class"


def write_atomically(path, data):
    """Write bytes or text to ``path`` so that it is never seen half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = data.encode() if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class ResultsStore:
    def __init__(self, course):
        self.root = Path(course) / STORE

    def _folder(self, submission):
        return self.root / submission.student / submission.chapter

    def result(self, submission):
        """The stored result for this exact notebook content, or None."""
        path = self._folder(submission) / f"{submission.digest}.json"
        try:
            return json.loads(path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def save_result(self, submission, result):
        folder = self._folder(submission)
        write_atomically(folder / f"{submission.digest}.json", json.dumps(result))
        for old in folder.glob("*.json"):  # results of earlier versions of the notebook
            if old.stem != submission.digest:
                old.unlink(missing_ok=True)

    def imported(self, submission):
        try:
            return (self._folder(submission) / "imported").read_text() == submission.digest
        except FileNotFoundError:
            return False

    def mark_imported(self, submission):
        write_atomically(self._folder(submission) / "imported", submission.digest)
