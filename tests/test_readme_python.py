"""README's Python examples run as written, in a folder holding a copy of seeds/ (what the README assumes)."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_python_examples():
    assert BLOCKS and any("make_brief" in b for b in BLOCKS)


def test_readme_python_examples_run(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    out = ""
    for k, block in enumerate(BLOCKS):
        script = tmp_path / f"readme_{k}.py"
        script.write_text(block, encoding="utf-8")
        r = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                           env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})  # no endpoint configured
        assert r.returncode == 0, f"README python block {k} failed:\n{block}\n{r.stderr}"
        out += r.stdout
    # what the examples print is what their comments say
    assert "[(1, 'Live India'), (2, 'ICB News')" in out and "['Town Crier', 'text-2']" in out
    # the toy example prints what README's comments say it gives, its warning included (nothing vanishes)
    assert "1 ['The council approved the budget on Tuesday by seven votes to two.']" in out
    assert "[(1, 'Town Crier'), (2, 'text-2')]" in out
    assert (tmp_path / "out" / "python" / "brief.html").is_file()
