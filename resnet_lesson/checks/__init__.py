"""Behaviour checks with specific feedback, one module per exercise.

Each module has ``check(learner_class, thorough=False)``: the visible check cell calls
it plainly, the hidden test with ``thorough=True``, which tries only the cases the plain
call does not: the hidden test always follows the plain call in the same graded cell
(tests/test_release_sync.py checks that), so grading does not build them twice.
"""
