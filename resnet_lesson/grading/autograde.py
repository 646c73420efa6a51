"""Running nbgrader's own autograde on one submission, in a scratch course folder."""

import contextlib
import functools
import io
import logging
import os
import re
import sys
import warnings
from pathlib import Path

from resnet_lesson.course import NBGRADER_CONFIG, ROOT, gradebook_url
from resnet_lesson.grading.submission import GradingError

STUDENT = "learner"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def course_config(course, timeout):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config(PyFileConfigLoader(NBGRADER_CONFIG, path=str(ROOT)).load_config())
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = gradebook_url(course)
    # The kernel's own process output (TensorFlow's C++ start-up lines) is not part of
    # the grade; keep it out of the learner's terminal.
    config.Execute.kernel_output = str(kernel_output_path(course))
    # Every output is in by the time the last cell has run; a graceful shutdown would keep
    # the grading waiting about 1.8 s more while the kernel tears TensorFlow down.
    config.Execute.shutdown_kernel = "immediate"
    if timeout is not None:
        config.Execute.timeout = int(timeout)
        config.ExecuteWithTimeoutBudget.timeout_after_a_timeout = min(
            int(timeout), int(config.ExecuteWithTimeoutBudget.get("timeout_after_a_timeout", 30))
        )
    return config


def cell_timeout(config):
    """Seconds per cell that ``config`` gives nbgrader's Execute (nbgrader's own default
    where it gives none): the one fallback, for grade and grade-class alike."""
    from nbgrader.preprocessors import Execute

    return Execute(config=config).timeout


def kernel_output_path(course):
    return course / "kernel-output.log"


def nbgrader_environment(environ):
    """``environ`` as nbgrader needs it: this Python's bin first on PATH (nbgrader runs
    ``alembic`` from it), TensorFlow's C++ log quiet, and no pytest marker (ipykernel stops
    copying fd-level output into cells when it sees one; a grade must not depend on who
    started the grader)."""
    env = dict(environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


@contextlib.contextmanager
def grading_environment():
    """This process in :func:`nbgrader_environment`, restored afterwards."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(nbgrader_environment(saved))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _last_error_line(log):
    lines = [line.strip() for line in ANSI.sub("", log or "").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    return (errors or lines or ["(no log)"])[-1]


@functools.cache
def alembic_head():
    """The gradebook schema version, found in-process.

    nbgrader asks for it by running ``alembic heads`` as a subprocess whenever it makes a
    new gradebook (a second Python start-up per grading); this reads the same value from
    nbgrader's own migration scripts.
    """
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = AlembicConfig()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def create_gradebook(db_url):
    """A new, empty gradebook at ``db_url``, as nbgrader's ``Gradebook`` makes one: its
    tables (nbgrader's own ``Base.metadata``) and the schema version, here read
    in-process (:func:`alembic_head`).

    nbgrader has no setting for the version nor a way to skip its ``alembic heads``
    subprocess; it runs that only when the database has no tables, so a gradebook made
    here first is opened by nbgrader as an existing one. Returns False, having made
    nothing, where the version cannot be read in-process (nbgrader then makes it).
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    try:
        head = alembic_head()
    except Exception:  # another alembic layout: let nbgrader run its subprocess
        return False
    engine = create_engine(db_url, future=True)
    try:
        if inspect(engine).get_table_names():
            return False  # not new: nbgrader reads its version from it
        with engine.begin() as connection:
            Base.metadata.create_all(bind=connection)
            connection.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
            connection.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head}
            )
    finally:
        engine.dispose()
    return True


def run_autograde(course, chapter, timeout):
    from nbgrader.apps import NbGraderAPI

    config = course_config(course, timeout)
    create_gradebook(config.CourseDirectory.db_url)
    api = NbGraderAPI(config=config)
    api.log.setLevel(logging.ERROR)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's sessions
        generated = api.generate_assignment(chapter)
        if not generated["success"]:
            raise GradingError(
                f"nbgrader could not prepare {chapter}: {_last_error_line(generated['log'])}"
            )
        graded = api.autograde(chapter, STUDENT, force=True, create=True)
    if os.environ.get("RESNET_LESSON_GRADE_LOG"):  # for debugging the grader itself
        Path(os.environ["RESNET_LESSON_GRADE_LOG"]).write_text(graded["log"])
    if not graded["success"]:
        raise GradingError(
            f"nbgrader could not grade the notebook: {_last_error_line(graded['log'])}"
        )
    return config


def read_scores(config, chapter):
    from nbgrader.api import Gradebook

    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        notebook = gb.find_submission_notebook(chapter, chapter, STUDENT)
        return {
            grade.name: (float(grade.score or 0.0), float(grade.max_score))
            for grade in notebook.grades
        }
