"""What the parts of ``resnet-lesson bench`` share: the course's solution notebooks,
progress lines and a description of the machine they ran on."""

import os
import platform

from resnet_lesson import course


def solution_notebooks():
    return [course.solution_notebook(chapter_id) for chapter_id in course.chapter_ids()]


def say(message, quiet=False):
    if not quiet:
        print(message, flush=True)


def environment_line():
    import importlib.metadata as md

    versions = []
    for package in ("keras", "keras-hub", "tensorflow", "jax", "nbgrader", "nbclient"):
        try:
            versions.append(f"{package} {md.version(package)}")
        except md.PackageNotFoundError:
            pass
    return (
        f"python {platform.python_version()}, {', '.join(versions)}; "
        f"{os.cpu_count()} CPU cores; {platform.machine()}"
    )


def load_average():
    """The 1, 5 and 15 minute load averages (None where the system has none)."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None
