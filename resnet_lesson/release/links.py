"""Where the course lives: defined once, used by the Colab badges and install cells."""

REPOSITORY = "resnet-lesson/resnet-lesson"  # on GitHub
BRANCH = "main"


def install_url():
    """What ``pip install`` takes to get the course package from its repository."""
    return f"git+https://github.com/{REPOSITORY}.git@{BRANCH}"


def colab_url(notebook_path):
    """``notebook_path`` relative to the repository root, e.g. notebooks/ch06_.../x.ipynb."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{notebook_path}"


def colab_badge(notebook_path):
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(notebook_path)})"
    )
