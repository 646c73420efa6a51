"""Behaviour checks with specific feedback, one module per exercise.

Each module has ``check(learner_class, thorough=False)``: the visible check cell calls
it plainly, the hidden test with ``thorough=True`` (more cases).
"""
