"""nbgrader settings for the course; nbgrader reads this file from the repository root.

Each chapter is one nbgrader assignment: solutions/<chapter>/<chapter>.ipynb is the
source (solutions and hidden tests), notebooks/<chapter>/<chapter>.ipynb the release.
"""

import os

c = get_config()  # noqa: F821  (nbgrader provides get_config)

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = here
c.CourseDirectory.course_id = "resnet-lesson"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# The stub a learner sees in place of each solution.
c.ClearSolutions.code_stub = {"python": "# CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# nbgrader gives zero to a test cell with *any* stderr output. TensorFlow's C++ start-up
# lines are not the learner's fault: silence them before the kernel imports TensorFlow
# (the kernel inherits this environment) and keep fd-level output out of the cells
# (Execute.extra_arguments, below).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
c.Execute.timeout = 120  # seconds per cell: a looping answer is stopped after this
c.Execute.shutdown_kernel = "immediate"
# After a reply (or after interrupting a looping cell) nbgrader waits this long for the
# cell's last output; its 4 s default made a busy machine abandon the whole notebook.
c.Execute.iopub_timeout = 30

# A learner who deletes a graded cell must not lose (or gain) points silently:
# nbgrader restores missing cells from the gradebook.
c.OverwriteCells.add_missing_cells = True

# Fair autograding (resnet_lesson/grading/preprocessors.py and execute.py,
# docs/grading-threat-model.md):
# each graded cell first re-loads the course's checking code from disk and stops if the
# notebook replaced numpy/Keras/builtin functions; a looping cell is interrupted after
# Execute.timeout and the cells after it get
# ExecuteWithTimeoutBudget.timeout_after_a_timeout; stderr in a
# graded cell that raised nothing (a warning from a correct answer) does not cost points.
try:
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        GetGrades,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from resnet_lesson.grading.execute import NOT_RUN_WHEN_GRADING, ExecuteWithTimeoutBudget
    from resnet_lesson.grading.kernel import KERNEL_ARGUMENTS
    from resnet_lesson.grading.preprocessors import (
        FairStderr,
        GuardGradedCells,
        StripHiddenTests,
        UnguardGradedCells,
    )
except ImportError as error:  # nbgrader run outside the course's environment
    print(f"nbgrader_config.py: course preprocessors not loaded ({error})")
else:
    # No fd-level output in cells; no ipykernel note about unencrypted local TCP.
    c.Execute.extra_arguments = KERNEL_ARGUMENTS
    c.Autograde.autograde_preprocessors = [
        GuardGradedCells,
        ExecuteWithTimeoutBudget,
        FairStderr,
        UnguardGradedCells,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    # (ExecuteWithTimeoutBudget reads every Execute setting above, and adds
    # timeout_after_a_timeout, 30 s by default)
    # Chapter 12's graded training cell trains the learner's network (about 2 minutes of
    # two cores by design, more on a busy grader): the course's code, not a loop to stop.
    c.ExecuteWithTimeoutBudget.graded_cell_timeouts = {"your_resnet_training_tests": 600}
    # The Validate button (stock nbgrader Execute, under a Validator) skips the ungraded
    # experiments too: minutes of training that no check needs. Only there: grading
    # decides itself which tagged cells it may skip (never a graded or an answer cell).
    c.Validator.Execute.skip_cells_with_tag = NOT_RUN_WHEN_GRADING

    # Feedback: the learner sees each check's verdict and score, never the hidden tests.
    # An autograded notebook holds them (nbgrader ran them there); StripHiddenTests
    # removes them, markers included, before the HTML is written. nbgrader's own
    # preprocessors for feedback (GetGrades, CSSHTMLHeaderPreprocessor) stay.
    c.GenerateFeedback.preprocessors = [StripHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
