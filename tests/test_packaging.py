"""An installed wheel must work outside the repo: prompts and schemas travel inside it."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (whl,) = out.glob("briefsmith-*.whl")
    return whl


def test_wheel_ships_prompts_and_schemas(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for p in (ROOT / "prompts").glob("*.md"):
        assert f"pipeline/_data/prompts/{p.name}" in names
    for s in (ROOT / "schemas").glob("*.json"):
        assert f"pipeline/_data/schemas/{s.name}" in names


def test_wheel_makes_a_brief_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import json, pipeline, pipeline.resources as r, pipeline.llm.prompts as p; "
            "print(json.dumps({'file': pipeline.__file__, 'prompts': str(r.prompts_dir()), "
            "'schemas': str(r.schemas_dir()), 'prompt': p.load_prompt('extract_claims').id}))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    for key in ("file", "prompts", "schemas"):
        assert info[key].startswith(str(site)), info  # not the checkout's copies
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(ROOT / "seeds"), "--out", "b", "-q"],
                          capture_output=True, text=True, cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((work / "b" / "brief.json").read_text())["agreements"]
