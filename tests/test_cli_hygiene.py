"""The command line: `brief eval` always there, one logging setup (-v/-q, each warning once, on stderr),
LLM progress on stderr when it is a terminal. LLM runs go to the scripted server over real HTTP."""
import io
import sys
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from scripted_llm import newsroom

sys.path.insert(0, str(Path(__file__).parent))
from reader_corpus import ARTICLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def story(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    for a in ARTICLES[2:]:
        (folder / a["name"]).write_text(a["text"], encoding="utf-8")
    (folder / "blank.txt").write_text("  \n", encoding="utf-8")
    return folder


def test_eval_is_always_a_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "eval" in capsys.readouterr().out


def test_a_broken_eval_harness_is_an_error_not_a_missing_command(monkeypatch, capsys, story, tmp_path):
    monkeypatch.setitem(sys.modules, "pipeline.evals.cli", None)  # importing it now raises ImportError
    assert main(["run", str(story), "--out", str(tmp_path / "o")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: cannot load the command line" in err and "evals" in err


def test_warnings_once_on_stderr_and_quiet_and_verbose(capsys, story, tmp_path):
    assert main(["run", str(story), "--out", str(tmp_path / "o")]) == 0
    out, err = capsys.readouterr()
    assert [line for line in err.splitlines() if "blank.txt" in line] == ["warning: blank.txt: empty file (only whitespace)"]
    assert "brief of 2 sources" in out and "warning:" not in out
    assert main(["run", str(story), "--out", str(tmp_path / "o"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["-q", "run", str(story), "--out", str(tmp_path / "o")]) == 0  # before the command too
    assert capsys.readouterr() == ("", "")
    assert main(["run", str(story), "--out", str(tmp_path / "o"), "-v"]) == 0
    err = capsys.readouterr().err
    assert "info: timings: load " in err and err.count("blank.txt") == 1


def test_client_warnings_are_printed_once(capsys, tmp_path):
    # a server without json_schema: the client warns as it happens, and the run lists the warning again
    with FakeOpenAIServer(newsroom, supports_json_schema=False) as server:
        code = main(["run", str(SEEDS), "--out", str(tmp_path / "b"), "--base-url", server.base_url, "--model", "m",
                     "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 0
    lines = [line for line in err.splitlines() if "json_schema" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: ")


def test_progress_on_a_terminal_only(monkeypatch, tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        args = ["run", str(SEEDS), "--out", str(tmp_path / "b"), "--base-url", server.base_url, "--model", "m",
                "--no-cache"]
        tty = Terminal()
        monkeypatch.setattr(sys, "stderr", tty)
        assert main(args) == 0
        shown = tty.getvalue()
        pipe = io.StringIO()
        monkeypatch.setattr(sys, "stderr", pipe)
        assert main(args) == 0
    assert "\rmerge: 1 of " in shown and shown.endswith("\n")
    assert "calls done" not in pipe.getvalue()


def test_verbose_shows_progress_as_lines_when_not_a_terminal(monkeypatch, tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        pipe = io.StringIO()
        monkeypatch.setattr(sys, "stderr", pipe)
        assert main(["-v", "run", str(SEEDS), "--out", str(tmp_path / "b"), "--base-url", server.base_url,
                     "--model", "m", "--no-cache"]) == 0
    assert "info: merge: 1 of " in pipe.getvalue() and "\r" not in pipe.getvalue()


def test_an_error_after_progress_starts_on_its_own_line(monkeypatch, tmp_path):
    # an endpoint that never answers fails the run once its calls are done (one call's fault would cost that
    # call only: issue 23)
    with FakeOpenAIServer(newsroom, faults=["503"] * 200) as server:
        tty = Terminal()
        monkeypatch.setattr(sys, "stderr", tty)
        code = main(["run", str(SEEDS), "--out", str(tmp_path / "b"), "--base-url", server.base_url, "--model", "m",
                     "--no-cache", "--concurrency", "1", "--retries", "0", "--merge-batch", "2"])  # several merge calls
    shown = tty.getvalue()
    assert code == 1 and "\rmerge: 1 of " in shown
    assert "\nbrief: error: " in shown  # not glued to the end of the progress line



def test_a_reader_that_leaves_early_is_no_error(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    root = Path(__file__).resolve().parents[1]
    assert main(["run", str(root / "seeds"), "--out", str(tmp_path / "b"), "-q", "--engine", "offline"]) == 0

    class GoneReader(io.StringIO):  # what stdout is once `| head` has read its fill
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", GoneReader())
    code = main(["eval", str(tmp_path / "b" / "brief.json"), "--gold", str(root / "evals/gold/seeds.json")])
    assert code == 141 and "internal error" not in capsys.readouterr().err
