"""A graded notebook, from ``resnet-lesson grade`` to grade-class's gradebook: one type,
serialised here and nowhere else.

``resnet-lesson grade --json`` prints :meth:`GradedResult.summary`; grade-class's worker
writes :meth:`GradedResult.record` (the summary with the notes and the seconds), which
the coordinator stores and reports. :meth:`GradedResult.not_graded` is the result of a
notebook the grader could not grade at all: 0 on every graded cell, and why.
"""

from dataclasses import dataclass, field


@dataclass
class GradedResult:
    notebook: str
    chapter: str
    exercises: dict = field(default_factory=dict)  # grade_id -> {score, max_score, feedback}
    notes: list = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def not_graded(cls, notebook, chapter, points, because):
        """0 on every graded cell (``points``: {grade_id: its points}), ``because``."""
        exercises = {
            grade_id: {"score": 0.0, "max_score": float(most), "feedback": f"not graded: {because}"}
            for grade_id, most in points.items()
        }
        return cls(notebook, chapter, exercises, [f"the notebook could not be graded: {because}"])

    def totals(self):
        """(score, max_score) over every graded cell."""
        entries = self.exercises.values()
        return float(sum(e["score"] for e in entries)), float(sum(e["max_score"] for e in entries))

    def summary(self):
        """What ``resnet-lesson grade --json`` prints."""
        score, max_score = self.totals()
        return {
            "notebook": self.notebook,
            "score": score,
            "max_score": max_score,
            "exercises": self.exercises,
        }

    def record(self):
        """The summary with the notes and the seconds: what grade-class keeps."""
        return {**self.summary(), "notes": self.notes, "seconds": self.seconds}
