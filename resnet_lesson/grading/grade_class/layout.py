"""Finding a class's submissions in nbgrader's layout.

nbgrader keeps each learner's copy at ``submitted/<student>/<chapter>/<chapter>.ipynb``
(``nbgrader collect`` and ``zip_collect`` put them there); each is identified here by the
SHA-256 of its bytes, so a resubmitted (changed) notebook is told apart from one that was
already graded.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from resnet_lesson import course as course_layout


@dataclass(frozen=True)
class Submission:
    student: str
    chapter: str
    path: Path
    digest: str  # SHA-256 of the notebook file

    @property
    def key(self):
        return f"{self.student}/{self.chapter}"


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def find_submissions(course, chapters):
    """Every ``submitted/<student>/<chapter>/<chapter>.ipynb`` of ``chapters``, by student."""
    found = []
    for chapter in chapters:
        every_student = str(course_layout.chapter_notebook("*", chapter))
        for path in sorted(course_layout.submitted_folder(course).glob(every_student)):
            student = path.parent.parent.name
            if student.startswith("."):
                continue
            found.append(Submission(student, chapter, path, digest(path)))
    return sorted(found, key=lambda s: (s.student, s.chapter))
