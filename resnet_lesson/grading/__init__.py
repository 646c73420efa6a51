"""Grading: ``resnet-lesson grade`` and what nbgrader runs for the course.

- :mod:`.command`: the ``grade`` command (one notebook, a scratch course, a result);
- :mod:`.submission`: reading a learner's notebook and tidying its graded cells;
- :mod:`.autograde`: nbgrader's own autograde on one submission;
- :mod:`.feedback`: one sentence per graded cell;
- :mod:`.kernel`: the kernel started early, so TensorFlow loads while nbgrader prepares;
- :mod:`.preprocessors`: the fair-grading steps ``nbgrader_config.py`` registers;
- :mod:`.guard`: the line each graded cell runs first.

Nothing here imports TensorFlow: the notebook's kernel does.
"""
