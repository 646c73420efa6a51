"""The course's JupyterLab defaults (``lab-settings/overrides.json``, which ``make setup``
copies into the environment) name settings that the installed JupyterLab has, with
values its schemas accept: a misspelt id or key would be ignored without a word."""

import json
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

OVERRIDES = ROOT / "lab-settings" / "overrides.json"
LAB = Path(sys.prefix) / "share" / "jupyter" / "lab"


def schema_of(plugin_id):
    package, plugin = plugin_id.split(":")
    path = LAB / "schemas" / package / f"{plugin}.json"
    assert path.exists(), f"no JupyterLab setting {plugin_id} ({path})"
    return json.loads(path.read_text())


def test_the_overrides_are_valid_settings_of_the_installed_jupyterlab():
    if not (LAB / "schemas").exists():
        pytest.skip("JupyterLab is not installed in this environment")
    overrides = json.loads(OVERRIDES.read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    for plugin_id, values in overrides.items():
        schema = schema_of(plugin_id)
        assert set(values) <= set(schema["properties"]), plugin_id
        jsonschema.validate(values, schema)


def test_make_setup_put_them_where_jupyterlab_reads_them():
    installed = LAB / "settings" / "overrides.json"
    if not installed.exists():
        pytest.skip("an environment not made by `make setup`")
    assert json.loads(installed.read_text()) == json.loads(OVERRIDES.read_text())
