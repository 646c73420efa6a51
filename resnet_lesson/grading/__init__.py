"""Grading: ``resnet-lesson grade`` and what nbgrader runs for the course.

- :mod:`.command`: the ``grade`` command (one notebook, a scratch course, a result);
- :mod:`.submission`: reading a learner's notebook and tidying its graded cells;
- :mod:`.autograde`: nbgrader's own autograde on one submission;
- :mod:`.feedback`: one sentence per graded cell;
- :mod:`.kernel`: the kernel started early, so TensorFlow loads while nbgrader prepares;
- :mod:`.preprocessors`: the fair-grading steps ``nbgrader_config.py`` registers;
- :mod:`.guard`: the line each graded cell runs first;
- :mod:`.class_command`: the ``grade-class`` command (a class, in parallel, resumable),
  with :mod:`.class_layout` (finding submissions), :mod:`.class_worker` (one submission,
  in a worker), :mod:`.isolation` (the sandbox), :mod:`.results_store` (what is done) and
  :mod:`.class_gradebook` (the one writer of the gradebook and ``autograded/``).

Nothing here imports TensorFlow: the notebook's kernel does.
"""
