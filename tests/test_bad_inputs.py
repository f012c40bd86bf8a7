"""One folder full of what real input folders contain besides articles: every bad file is skipped with a
warning naming it and the problem, the good ones (the seeds among them) still load, and nothing raises."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from pipeline.ingest.load import load_documents
from pipeline.models import BriefError
from pipeline.ingest.segment import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))
BIG = 50 * 1024 * 1024
N_TINY = 10_000


def _write_big(path: Path) -> None:
    block = (b"word " * 200 + b"\n") * 1024  # ~1 MB of real text, written in blocks
    with open(path, "wb") as fh:
        written = 0
        while written < BIG:
            chunk = block[:BIG - written]
            fh.write(chunk)
            written += len(chunk)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """On tmpfs when there is one: creating 10,000 files on a busy disk is the slow part of this module."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        root = Path(tempfile.mkdtemp(prefix="briefsmith-test-", dir=shm))
        yield root
        shutil.rmtree(root, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("scratch")


@pytest.fixture(scope="module")
def bad_folder(scratch):
    root = scratch / "bad"
    root.mkdir()
    for name in SEED_FILES + ["meta.json"]:
        shutil.copy(SEEDS / name, root / name)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("   \n\t\n  \n")
    (root / "noise.txt").write_bytes(bytes(range(256)) * 4)
    (root / "report.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 64)
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (root / "latin1.txt").write_bytes("Le président a parlé à Moscou.\nLa trêve énergétique durera 30 jours.\n"
                                      .encode("latin-1"))
    _write_big(root / "huge.txt")
    tiny = root / "tiny"
    tiny.mkdir()
    for i in range(N_TINY):
        with open(tiny / f"n{i:05d}.txt", "wb") as fh:
            fh.write(f"Note {i}: the ceasefire held on day {i}.\n".encode())
    (root / "page.html").write_text(
        "<html><head><title>Truce | Wire</title><script>var ads = '<p>buy</p>';</script>"
        "<style>body{}</style></head><body><nav><ul><li>Home</li><li>World</li></ul></nav>"
        "<header>Site header</header><script>track('x')</script>"
        "<article><h1>Energy truce agreed</h1><p>The leaders agreed to a 30-day energy truce.</p>"
        "<script>more()</script><p>Talks begin in the Middle East.</p></article>"
        "<footer>Copyright</footer></body></html>")
    # 6.8 MB, one line, no stop (numbered, so it is no one phrase repeated: that is repeated.txt)
    (root / "oneline.txt").write_text(" ".join(f"ceasefire talks {k}" for k in range(300_000)) + "\n")
    (root / "repeated.txt").write_text(("ceasefire talks " * 400_000) + "\n")  # one phrase, 6.4 MB: no article
    (root / "copy_of_002.txt").write_bytes((SEEDS / SEED_FILES[2]).read_bytes())
    locked = root / "locked.txt"
    locked.write_text("Secret article text.\n")
    locked.chmod(0)
    os.symlink("loop_b", root / "loop_a")
    os.symlink("loop_a", root / "loop_b")
    os.symlink("missing-target.txt", root / "dangling.txt")
    os.symlink(".", root / "self_dir")
    outside = scratch / "outside"
    outside.mkdir()
    (outside / "elsewhere.txt").write_text("Not part of this folder.\n")
    os.symlink(outside, root / "linked_dir")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")  # opening it for reading would block forever
    (root / "russian.txt").write_text("Путин и Трамп договорились о прекращении огня на 30 дней.\n"
                                      "Переговоры начнутся немедленно.\n", encoding="utf-8")
    (root / "feed.jsonl").write_text("\n".join([
        json.dumps({"title": "A", "text": "First record text about the truce, which covers energy sites for thirty days.",
                    "source": "Wire A"}),
        '{"title": "B", "text": "broken',
        json.dumps({"title": "C", "body": "Third record text about prisoners, who will be exchanged on Wednesday morning.",
                    "outlet": "Wire C"}),
    ]) + "\n")
    yield root
    locked.chmod(0o644)


@pytest.fixture(scope="module")
def loaded(bad_folder):
    t0 = time.perf_counter()
    docs, warnings = load_documents(bad_folder)
    return docs, warnings, time.perf_counter() - t0


def _problems(warnings) -> dict[str, str]:
    out: dict[str, str] = {}
    for w in warnings:
        out[w.path] = (out[w.path] + "; " if w.path in out else "") + w.problem
    return out


def test_seeds_load_among_the_bad(loaded):
    docs, _, _ = loaded
    names = {d.name for d in docs}
    assert set(SEED_FILES) <= names
    assert "meta.json" not in names
    by_name = {d.name: d for d in docs}
    assert by_name[SEED_FILES[2]].meta.outlet == "The Moscow Times"


@pytest.mark.parametrize("name, problem", [
    ("empty.txt", "empty file"),
    ("blank.txt", "only whitespace"),
    ("noise.txt", "binary file (contains NUL bytes)"),
    ("report.txt", "binary file (PDF)"),
    ("scan.pdf", "binary file (PDF)"),
    ("photo.png", "binary file (PNG image)"),
    ("huge.txt", "too large: 52,428,800 bytes (limit 20,000,000)"),
    ("copy_of_002.txt", f"duplicate of {SEED_FILES[2]}"),
    ("loop_a", "symlink loop"),
    ("loop_b", "symlink loop"),
    ("dangling.txt", "broken symlink"),
    ("self_dir", "symlink loop"),
    ("linked_dir", "symlinked folder, not followed"),
    ("feed.jsonl", "line 2: invalid JSON"),
    ("latin1.txt", "not valid UTF-8"),
])
def test_each_bad_file_is_named_with_its_problem(loaded, name, problem):
    _, warnings, _ = loaded
    problems = _problems(warnings)
    assert name in problems, f"no warning for {name}: {sorted(problems)}"
    assert problem in problems[name]


def test_latin1_still_loads_decoded(loaded):
    docs, _, _ = loaded
    doc = next(d for d in docs if d.name == "latin1.txt")
    assert "Le président a parlé à Moscou." in doc.text
    assert "cp1252" in next(w.problem for w in loaded[1] if w.path == "latin1.txt")


def test_unreadable_file(loaded, bad_folder):
    _, warnings, _ = loaded
    if os.access(bad_folder / "locked.txt", os.R_OK):
        pytest.skip("running as root (or on a filesystem without permissions): chmod 000 does not block reading")
    assert "permission denied" in _problems(warnings)["locked.txt"]


def test_fifo_is_not_opened(loaded):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    assert "not a regular file" in _problems(loaded[1])["pipe.txt"]


def test_permission_denied_even_as_root(tmp_path, monkeypatch):
    import builtins

    import pipeline.ingest.load as load

    (tmp_path / "a.txt").write_text("Readable story.\n")
    (tmp_path / "b.txt").write_text("Locked story.\n")
    real_open = builtins.open

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("b.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(load, "open", fake_open, raising=False)
    docs, warnings = load_documents(tmp_path)
    assert [d.name for d in docs] == ["a.txt"]
    assert [(w.path, w.problem) for w in warnings] == [("b.txt", "permission denied")]


def test_html_full_of_scripts_and_nav(loaded):
    docs, _, _ = loaded
    doc = next(d for d in docs if d.name == "page.html")
    assert doc.text == ("Energy truce agreed\n\nThe leaders agreed to a 30-day energy truce.\n\n"
                        "Talks begin in the Middle East.")
    assert doc.meta.title == "Energy truce agreed"
    kinds = {r.kind for r in doc.removals}
    assert {"html-script", "html-nav", "html-header", "html-footer", "html-head"} <= kinds


def test_enormous_line_loads_and_segments_fast(loaded):
    docs, _, _ = loaded
    doc = next(d for d in docs if d.name == "oneline.txt")
    t0 = time.perf_counter()
    sentences = split_sentences(doc)
    assert time.perf_counter() - t0 < 30  # a guard against runaway (quadratic, backtracking) work, not a speed target
    assert max(len(s.text) for s in sentences) <= 2000
    assert sum(len(s.text) for s in sentences) >= len(doc.text) - len(sentences)  # only the cut spaces lost


def test_other_language_is_skipped_with_a_warning_and_records_load(loaded):
    docs, warnings, _ = loaded
    by_name = {d.name: d for d in docs}
    assert "russian.txt" not in by_name
    assert "not in English" in _problems(warnings)["russian.txt"]
    assert by_name["feed.jsonl#1"].meta.outlet == "Wire A"
    assert by_name["feed.jsonl#3"].text.startswith("Third record text about prisoners")
    assert "feed.jsonl#2" not in by_name


def test_ten_thousand_tiny_files_are_skipped_as_too_short(loaded):
    docs, warnings, _ = loaded
    assert not [d for d in docs if d.name.startswith("tiny/")]
    tiny = [w for w in warnings if w.path.startswith("tiny/")]
    assert len(tiny) == N_TINY and all("too short to be an article" in w.problem for w in tiny)


def test_nothing_else_warned(loaded):
    _, warnings, _ = loaded
    expected = {"empty.txt", "blank.txt", "noise.txt", "report.txt", "scan.pdf", "photo.png", "huge.txt",
                "copy_of_002.txt", "loop_a", "loop_b", "dangling.txt", "self_dir", "feed.jsonl", "latin1.txt",
                "locked.txt", "linked_dir", "pipe.txt", "russian.txt", "repeated.txt"}
    assert {p for p in _problems(warnings) if not p.startswith("tiny/")} <= expected
    assert "one sentence repeated 400,000 times" in _problems(warnings)["repeated.txt"]


# --- whole-run failures ---------------------------------------------------------------------------

def test_missing_path(tmp_path):
    with pytest.raises(BriefError, match=r"no such file or folder: .*nowhere"):
        load_documents(tmp_path / "nowhere")


def test_empty_folder(tmp_path):
    with pytest.raises(BriefError, match=r"no readable documents in .*: no files found"):
        load_documents(tmp_path)


def test_folder_with_one_binary_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"%PDF-1.5\n\x00\x01")
    with pytest.raises(BriefError) as e:
        load_documents(tmp_path)
    assert str(e.value) == f"no readable documents in {tmp_path}: 1 binary file skipped"


def test_folder_of_only_bad_files_summarises(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(BriefError, match=r"2 empty files, 1 binary file skipped"):
        load_documents(tmp_path)


def test_too_many_files(tmp_path):
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text(f"Story {i}.\n")
    with pytest.raises(BriefError, match=rf"too many files in {tmp_path}: more than 5 .*max_files=5"):
        load_documents(tmp_path, max_files=5)


def test_size_guard_at_a_small_limit(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 2000 + "\n")
    (tmp_path / "ok.txt").write_text("A short story.\n")
    docs, warnings = load_documents(tmp_path, max_bytes=1000)
    assert [d.name for d in docs] == ["ok.txt"]
    assert warnings[0].path == "big.txt" and "too large: 2,001 bytes (limit 1,000)" in warnings[0].problem
