"""Build time only: from the chapter sources to the notebooks the course ships.

``chapters/chNN_*.py`` (jupytext percent files) --``chapter``--> nbgrader source notebooks
in ``solutions/`` --nbgrader ``generate_assignment``--> learner notebooks in ``notebooks/``.

- ``chapter``: reads a chapter source with jupytext and expands its cells by role;
- ``cells``: the nbgrader cell kinds and the cells every chapter shares (title, setup,
  question);
- ``links``: where the course lives (Colab badges, the setup cell's install);
- ``command``: ``resnet-lesson release`` (``--check``, ``--force``, ``--store-outputs``);
- ``outputs``: the outputs solutions/ stores for nbval (kept, refreshed, checked);
- ``nbval_plugin``: the pytest plugin that runs nbval on the solutions as the grader does.

Nothing here runs in a learner's notebook.
"""
