"""Writing grade-class's results into nbgrader's gradebook and ``autograded/``.

Only the coordinating process calls this. It writes what ``nbgrader autograde`` writes,
through nbgrader's own API, so ``generate_feedback``, ``export`` and the formgrader work
unchanged on the results: the submission (``Gradebook.add_submission``, replacing an older
one as ``autograde --force`` does), the scores of the autograded notebook (nbgrader's
``SaveAutoGrades`` preprocessor on the notebook the worker's nbgrader produced) and the
file ``autograded/<student>/<chapter>/<chapter>.ipynb``.

nbgrader's steps each commit on their own (``SaveAutoGrades`` once per cell), so a run
killed between two of them would leave a submission with part of its grades; here they
all go into one database transaction, committed at the end: a reader (``nbgrader
export``, the formgrader, a resumed run) sees a submission's old grades or its new ones,
never a mixture.
"""

import contextlib
import io
import logging
import shutil
import tempfile
import warnings
from pathlib import Path

from resnet_lesson import course as course_layout
from resnet_lesson.grading.grade_class.results_store import write_atomically
from resnet_lesson.grading.submission import GradingError


def course_config(course):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config_file = course_layout.nbgrader_config(course)
    if not config_file.exists():
        raise GradingError(
            f"{course}: no nbgrader_config.py here: run grade-class from the course root"
        )
    config = Config(PyFileConfigLoader(config_file.name, path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.setdefault("db_url", course_layout.gradebook_url(course))
    return config


def db_url(config):
    return config.CourseDirectory.db_url


@contextlib.contextmanager
def _quiet():
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's sessions
        yield


def ensure_assignment(course, config, chapter):
    """Put the chapter in the gradebook, as ``nbgrader generate_assignment`` does, unless it
    is there: generated in a scratch folder, so the course's release is not rewritten."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI

    with _quiet(), Gradebook(db_url(config), config.CourseDirectory.course_id) as gb:
        try:
            if gb.find_assignment(chapter).notebooks:
                return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory(prefix="resnet-lesson-assignment-") as scratch:
        source = Path(course) / config.CourseDirectory.source_directory / chapter
        shutil.copytree(source, Path(scratch) / config.CourseDirectory.source_directory / chapter)
        scratch_config = config.copy()
        scratch_config.CourseDirectory.root = scratch
        api = NbGraderAPI(config=scratch_config)
        api.log.setLevel(logging.ERROR)
        with _quiet():
            done = api.generate_assignment(chapter)
        if not done["success"]:
            raise GradingError(f"nbgrader could not add {chapter} to the gradebook")


class _FlushOnCommit:
    """A session whose ``commit`` only flushes (the rest is the session's own)."""

    def __init__(self, session):
        self._session = session

    def __getattr__(self, name):
        return getattr(self._session, name)

    def commit(self):
        self._session.flush()


def _classes():
    """The gradebook and preprocessors of one transaction (nbgrader imported on first use).

    nbgrader has no setting for one transaction across its steps: ``Gradebook``'s methods
    commit through ``self.db``, and ``SaveAutoGrades`` and ``AssignLatePenalties`` each
    open a ``Gradebook(db_url)`` of their own inside ``preprocess``, with no way to pass
    one in (a second connection could not write inside this transaction). So:

    - ``OneTransaction``, a ``Gradebook`` whose ``db`` commits only flush, until
      ``commit_all``;
    - the two preprocessors with ``preprocess`` rewritten to use that gradebook (their
      per-cell steps and the late-penalty plugin are nbgrader's own, inherited);
      ``preprocess`` repeats nbgrader 0.9's (pinned) apart from opening the gradebook.
    """
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties, NbGraderPreprocessor, SaveAutoGrades

    class OneTransaction(Gradebook):
        def __init__(self, db_url, course_id):
            super().__init__(db_url, course_id)
            self._session = self.db
            self.db = _FlushOnCommit(self._session)

        def commit_all(self):
            self._session.commit()

        def roll_back(self):
            self._session.rollback()

    def read_ids(preprocessor, resources):
        info = resources["nbgrader"]
        preprocessor.notebook_id = info["notebook"]
        preprocessor.assignment_id = info["assignment"]
        preprocessor.student_id = info["student"]
        preprocessor.db_url = info["db_url"]

    class SaveAutoGradesInto(SaveAutoGrades):
        def __init__(self, gradebook, **kwargs):
            super().__init__(**kwargs)
            self.gradebook = gradebook

        def preprocess(self, nb, resources):
            read_ids(self, resources)
            return NbGraderPreprocessor.preprocess(self, nb, resources)  # cell by cell

    class AssignLatePenaltiesInto(AssignLatePenalties):
        def __init__(self, gradebook, **kwargs):
            super().__init__(**kwargs)
            self.gradebook = gradebook

        def preprocess(self, nb, resources):
            read_ids(self, resources)
            self.init_plugin()
            nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
            submission = self.gradebook.find_submission(self.assignment_id, self.student_id)
            notebook = self.gradebook.find_submission_notebook(
                self.notebook_id, self.assignment_id, self.student_id
            )
            notebook.late_submission_penalty = None
            if submission.total_seconds_late > 0:
                self.log.warning(f"{submission} is {submission.total_seconds_late} seconds late")
                penalty = self.plugin_inst.late_submission_penalty(
                    self.student_id, notebook.score, submission.total_seconds_late
                )
                self.log.warning(f"Late submission penalty: {penalty}")
                if penalty is not None:
                    notebook.late_submission_penalty = self._check_late_penalty(notebook, penalty)
            self.gradebook.db.commit()
            return nb, resources

    return OneTransaction, SaveAutoGradesInto, AssignLatePenaltiesInto


def import_result(course, config, student, chapter, autograded_text):
    """Record one graded submission: gradebook rows, scores, and the autograded notebook."""
    import nbformat
    from nbgrader.api import MissingEntry

    OneTransaction, SaveAutoGradesInto, AssignLatePenaltiesInto = _classes()

    submitted = course_layout.submitted_notebook(chapter, student, course).parent
    timestamp_file = submitted / "timestamp.txt"
    extra = {"timestamp": timestamp_file.read_text().strip()} if timestamp_file.exists() else {}
    notebook = nbformat.reads(autograded_text, as_version=4)
    resources = {
        "nbgrader": {
            "db_url": db_url(config),
            "assignment": chapter,
            "notebook": chapter,
            "student": student,
        }
    }
    with _quiet(), OneTransaction(db_url(config), config.CourseDirectory.course_id) as gb:
        try:
            gb.update_or_create_student(student)
            try:
                gb.remove_submission(chapter, student)
            except MissingEntry:
                pass
            gb.add_submission(chapter, student, **extra)
            SaveAutoGradesInto(gb, config=config).preprocess(notebook, resources)
            AssignLatePenaltiesInto(gb, config=config).preprocess(notebook, resources)
        except BaseException:
            gb.roll_back()
            raise
        gb.commit_all()
    target = course_layout.autograded_notebook(chapter, student, course).parent
    target.mkdir(parents=True, exist_ok=True)
    for item in submitted.iterdir():  # what nbgrader copies along: timestamp.txt, data files
        if item.is_file() and item.suffix != ".ipynb":
            write_atomically(target / item.name, item.read_bytes())
    write_atomically(target / f"{chapter}.ipynb", nbformat.writes(notebook))


def scores(config, chapters):
    """{(student, chapter): {grade_id: score}} of every submission in the gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with _quiet(), Gradebook(db_url(config), config.CourseDirectory.course_id) as gb:
        for chapter in chapters:
            for submission in gb.find_assignment(chapter).submissions:
                for notebook in submission.notebooks:
                    found[(submission.student.id, chapter)] = {
                        grade.name: float(grade.score or 0.0) for grade in notebook.grades
                    }
    return found
