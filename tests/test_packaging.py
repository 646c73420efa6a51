"""The course installs the same way by pip and by conda, pinned, and builds with what it needs.

The course installs two ways: ``make setup`` (pip, from pyproject.toml) and
``conda env create -f environment.yml``, which takes Python from conda and then installs
the course package itself, so the pins are written once, in pyproject.toml.
"""

import fnmatch
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; CI runs 3.11

PACKAGE = ROOT / "resnet_lesson"


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _normalized(requirement):
    """'Scikit_Learn == 1.9.1' -> 'scikit-learn==1.9.1' (PEP 503 name, no spaces)."""
    requirement = requirement.replace(" ", "")
    for i, char in enumerate(requirement):
        if char in "<>=!~;[":
            name, rest = requirement[:i], requirement[i:]
            break
    else:
        name, rest = requirement, ""
    return name.lower().replace("_", "-").replace(".", "-") + rest


def _environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_installs_the_course_package_and_repeats_no_pin():
    dependencies = _environment()["dependencies"]
    pip_lists = [entry["pip"] for entry in dependencies if isinstance(entry, dict)]
    assert pip_lists == [["-e .[dev]"]], "environment.yml must install the course itself"
    conda = [entry for entry in dependencies if isinstance(entry, str)]
    assert sorted(entry.split("=")[0] for entry in conda) == ["pip", "python"]


def test_environment_python_is_one_pyproject_allows():
    from packaging.specifiers import SpecifierSet

    conda = [entry for entry in _environment()["dependencies"] if isinstance(entry, str)]
    python = next(entry for entry in conda if entry.startswith("python="))
    allowed = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert python.split("=", 1)[1] in allowed


def test_no_dependency_is_listed_twice():
    project = _pyproject()["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    names = [_normalized(r).split("=")[0].split("[")[0] for r in requirements]
    assert len(set(names)) == len(names)


def test_dependencies_are_pinned_exactly():
    """Reproducible installs: every dependency has ==, except NumPy's range (TensorFlow
    and the other pins choose within it)."""
    project = _pyproject()["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    loose = [r for r in requirements if "==" not in r and not r.startswith("numpy")]
    assert not loose


def test_dev_extra_has_the_test_tools():
    dev = {
        _normalized(r).split("=")[0]
        for r in _pyproject()["project"]["optional-dependencies"]["dev"]
    }
    assert {"pytest", "nbval", "playwright"} <= dev


def test_console_script_points_at_a_callable():
    scripts = _pyproject()["project"]["scripts"]
    assert scripts["resnet-lesson"] == "resnet_lesson.cli:main"
    module_name, function = scripts["resnet-lesson"].split(":")
    module = __import__(module_name, fromlist=[function])
    assert callable(getattr(module, function))
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--help"])
    assert exit_info.value.code == 0


def test_installed_console_script_runs():
    """``make setup`` installed the entry point next to the interpreter."""
    script = Path(sys.executable).parent / "resnet-lesson"
    if not script.exists():
        pytest.skip(f"{script} is not installed (the package is not installed in this environment)")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for command in ("grade", "bench", "release"):
        assert command in result.stdout


def _package_files():
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def test_every_data_file_is_declared_as_package_data():
    patterns = _pyproject()["tool"]["setuptools"].get("package-data", {}).get("resnet_lesson", [])
    data = [f for f in _package_files() if not f.endswith(".py")]
    undeclared = [
        f for f in data if not any(fnmatch.fnmatch(f, f"resnet_lesson/{p}") for p in patterns)
    ]
    assert not undeclared, (
        f"add these to [tool.setuptools.package-data] in pyproject.toml: {undeclared}"
    )


@pytest.mark.slow
def test_the_wheel_holds_everything_and_works_installed_without_dependencies(tmp_path):
    """Build the wheel from a copy of the sources, as pip does, look inside, and use it.

    In pip's isolated build environment, as ``make setup``'s install: with the setuptools
    that pyproject.toml's build-system asks for (the license is an SPDX expression, which
    older setuptools, such as the one a fresh Python 3.11 venv holds, rejects)."""
    source = tmp_path / "source"
    shutil.copytree(
        PACKAGE, source / "resnet_lesson", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # pip shows the build backend's warnings even under --quiet (setuptools' deprecation
    # of `project.license` as a table was one).
    assert "BuildBackendWarning" not in result.stderr, result.stderr
    (wheel,) = (tmp_path / "dist").glob("resnet_lesson-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(
            archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt")
        )
        metadata = next(
            archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA")
        )
    missing = [f for f in _package_files() if f not in names]
    assert not missing
    assert "resnet-lesson = resnet_lesson.cli:main" in entry_points
    assert "Requires-Dist: tensorflow==2.21.0" in metadata
    assert "License-Expression: MIT" in metadata.splitlines()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # What Colab's setup cell does: install without dependencies (Colab's own TensorFlow
    # and Keras stay), then use the checks with no nbgrader anywhere.
    site = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    program = (
        "import sys\n"
        "sys.modules['nbgrader'] = None\n"
        "import resnet_lesson\n"
        "print(resnet_lesson.__file__)\n"
        "from resnet_lesson.device import describe_device\n"
        "describe_device()\n"
        "from resnet_lesson.checks import regular_block\n"
        "regular_block.check(resnet_lesson.ResNetModel)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(site)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # An NHWC-only CPU (TF_ENABLE_ONEDNN_OPTS=0 in `make test`) adds a data-formats line.
    installed_at, device_line, verdict = [line for line in lines if "Data formats" not in line][:3]
    assert Path(installed_at).is_relative_to(site)
    assert "will run on the" in device_line
    assert verdict.startswith("\u2705 regular_block is correct")
