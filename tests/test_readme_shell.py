"""Every shell block of README.md runs as written and exits as README says, like the Python blocks do
(tests/test_readme_python.py): each command line in turn, in a folder holding copies of what README assumes
(seeds/, evals/, prompts/), with the scripted OpenAI-compatible server standing in for README's
http://127.0.0.1:8799/v1. A line's expected exit status is 0 unless its comment says `# exit N`. The two
set-up blocks (install, tests) are not run here: the newcomer run of a fresh clone does them."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

from fake_openai_server import FakeOpenAIServer
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```sh\n(.*?)^```", README, re.S | re.M)
README_URL = "http://127.0.0.1:8799/v1"
SETUP = ("pip install", "pytest")


def commands(block: str) -> list[tuple[str, int]]:
    """(command, expected exit status) for every command line of a block."""
    out = []
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        want = re.search(r"#\s*exit (\d+)", line)
        out.append((line, int(want.group(1)) if want else 0))
    return out


def test_readme_blocks_are_set_up_first_then_runnable_commands():
    assert len(BLOCKS) >= 5
    assert "pip install -e '.[test]'" in BLOCKS[0] and "pytest" in BLOCKS[1]  # what a user needs first comes first
    rest = [c for b in BLOCKS[2:] for c, _ in commands(b)]
    assert rest and not any(s in c for c in rest for s in SETUP)
    assert any(code != 0 for b in BLOCKS[2:] for _, code in commands(b))  # the exit statuses are stated, not all 0
    assert "URL" not in " ".join(rest).replace(README_URL, "")  # no placeholder a user would have to fill in


def _brief_command(tmp: Path) -> Path:
    """The installed `brief` beside this Python, else a stand-in that runs the same entry point."""
    installed = Path(sys.executable).parent / "brief"
    if installed.is_file():
        return installed.parent
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    (bin_dir / "brief").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline.cli "$@"\n')
    (bin_dir / "brief").chmod(0o755)
    return bin_dir


def test_every_readme_shell_command_exits_as_readme_says(tmp_path):
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("seeds", "evals", "prompts"):
        shutil.copytree(ROOT / name, work / name)
    env = {"PATH": f"{_brief_command(tmp_path)}:/usr/bin:/bin", "HOME": str(tmp_path / "home"),
           "PYTHONPATH": str(ROOT)}  # no endpoint configured: the offline engine unless a line names one
    ran = []
    with FakeOpenAIServer(newsroom) as server:
        for block in BLOCKS[2:]:
            for line, want in commands(block):
                cmd = line.replace(README_URL, server.base_url)
                r = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, capture_output=True, text=True,
                                   timeout=300)
                assert r.returncode == want, f"README line exited {r.returncode}, README says {want}:\n{line}\n{r.stderr[-2000:]}"
                if want:
                    assert "Traceback" not in r.stderr and r.stderr.strip(), line  # one line saying why
                ran.append(line)
    assert (work / "out" / "seeds" / "brief.html").is_file() and (work / "out" / "nightly" / "latest").exists()
    assert len(ran) >= 15


def test_readme_is_short_and_its_links_lead_somewhere():
    assert len(README.encode("utf-8")) < 26_000  # the rest lives in docs/
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README)
    local = [link for link in links if not re.match(r"https?://", link)]
    assert {"docs/llm.md", "docs/nightly.md", "docs/eval.md", "docs/design.md"} <= set(local)
    for link in local:
        assert (ROOT / link).exists(), link
    for doc in (ROOT / "docs").glob("*.md"):  # and the docs' own links
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if not re.match(r"https?://", link):
                assert (doc.parent / link).exists(), (doc.name, link)
