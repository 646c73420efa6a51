"""``resnet-lesson grade-class``: a whole class, graded in parallel, isolated, resumable.

- :mod:`.command`: the command (the coordinator, the only writer of the gradebook);
- :mod:`.layout`: finding the submissions;
- :mod:`.worker`: one submission, graded in a child of its thread's warm grader
  (:mod:`.warm_grader`, which imports nbgrader once per worker), in the sandbox of
  ``grading/isolation.py``;
- :mod:`.results_store`: what is done, so a killed run resumes;
- :mod:`.gradebook`: the one writer of the gradebook and ``autograded/``.
"""
