"""The course website: the learner notebooks, run top to bottom, as a Jupyter Book 2 site.

- ``execute``: runs each learner notebook once, into a build folder (never ``notebooks/``);
- ``build``: ``resnet-lesson site``: writes the MyST project (the chapters, the chapter
  table, the papers cited) and has ``jupyter-book build --html`` render it;
- ``theme``: the site template ``jupyter-book`` starts to render the pages (the course's
  own, on this machine: the stock theme is downloaded at build time, which needs a
  network the course does not assume);
- ``render``: MyST's page tree (mdast) to HTML, for ``theme``.

Nothing here runs in a learner's notebook.
"""
