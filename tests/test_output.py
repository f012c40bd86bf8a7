import json
import os
import subprocess
import sys

import pytest

from pipeline.brief.files import atomic_write


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "brief.json"
    target.write_text("old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.json"]  # no temp file left behind


def test_concurrent_writers_never_interleave_their_sets(tmp_path):
    # two processes write many sets at once; every set on disk must be one writer's, whole
    script = (
        "import sys, json; from pathlib import Path; from pipeline.brief.files import write_files\n"
        "tag = sys.argv[1]\n"
        "for i in range(60):\n"
        "    write_files(Path(sys.argv[2]), {'a.json': json.dumps([tag, i]).encode(), 'b.json': json.dumps([tag, i]).encode()})\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, t, str(tmp_path)]) for t in ("x", "y")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    a = json.loads((tmp_path / "a.json").read_text())
    b = json.loads((tmp_path / "b.json").read_text())
    assert a == b
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_written_files_follow_the_umask_not_mkstemps_0600(tmp_path):
    from pipeline.brief import files as output
    atomic_write(tmp_path / "brief.html", b"<p>x</p>")
    assert (tmp_path / "brief.html").stat().st_mode & 0o777 == 0o666 & ~output._UMASK != 0o600
