"""Grading: ``resnet-lesson grade`` and what nbgrader runs for the course.

- :mod:`.command`: the ``grade`` command (one notebook, a scratch course, a result);
- :mod:`.submission`: reading a learner's notebook and tidying its graded cells;
- :mod:`.autograde`: nbgrader's own autograde on one submission;
- :mod:`.feedback`: one sentence per graded cell;
- :mod:`.kernel`: the kernel started early, so TensorFlow loads while nbgrader prepares;
- :mod:`.preprocessors` and :mod:`.execute`: the fair-grading steps
  ``nbgrader_config.py`` registers;
- :mod:`.guard`: the line each graded cell runs first;
- :mod:`.isolation`: the sandbox (a submission's limits and namespaces, and ending what
  it left running);
- :mod:`.grade_class`: the ``grade-class`` command (a class, in parallel, resumable).

Nothing here imports TensorFlow: the notebook's kernel does.
"""
