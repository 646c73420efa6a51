"""Saved studies: the JSON files that ``scripts/run_*_study.py`` write, read back for the
chapters that draw them. A copy of the course without a study file still runs: the
chapter then says that no saved study came with it."""

import json
from pathlib import Path


def read_saved_study(path):
    """The study saved at ``path`` (a dict), or None when this copy has no such file."""
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else None
