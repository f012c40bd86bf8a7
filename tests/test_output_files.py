"""The same files from every way of writing a brief, and nothing else left in the output folders."""
import json
from pathlib import Path

from pipeline import make_brief
from pipeline.cli import main
from pipeline.models import Brief

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OTHER = [  # not about the seeds: two outlets on one council vote
    {"text": "The Harwick council approved the new library budget on Tuesday by seven votes to two after a long "
             "debate about opening hours and the cost of repairs to the old building on Mill Street.",
     "outlet": "Harwick Courier"},
    {"text": "Harwick councillors passed the library budget on Tuesday, seven votes to two, ending a long debate "
             "about opening hours and the cost of repairs to the old building on Mill Street.",
     "outlet": "Valley Post"},
]


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_save_writes_the_manifest_the_cli_writes(tmp_path):
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "cli"), "--engine", "offline", "-q"]) == 0
    paths = make_brief(str(SEEDS), engine="offline").save(tmp_path / "api")
    assert set(paths) == _names(tmp_path / "cli") == _names(tmp_path / "api")
    cli = json.loads((tmp_path / "cli" / "manifest.json").read_text(encoding="utf-8"))
    api = json.loads((tmp_path / "api" / "manifest.json").read_text(encoding="utf-8"))
    assert set(cli) == set(api)
    assert [i["sha256"] for i in api["inputs"]] == [i["sha256"] for i in cli["inputs"]]
    assert api["inputs"][0]["path"] and api["dedup"] == cli["dedup"]


def test_a_brief_read_back_saves_a_manifest_too(tmp_path):
    make_brief(OTHER, engine="offline").save(tmp_path / "a")
    again = Brief.model_validate_json((tmp_path / "a" / "brief.json").read_text(encoding="utf-8"))
    again.save(tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert [i["name"] for i in manifest["inputs"]] == [s.name for s in again.sources]
    assert manifest["outputs"].keys() == {"brief.json", "brief.md", "brief.html"}


def test_no_lock_file_is_left_in_the_output_folders(tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for k, rec in enumerate(OTHER):
        (feed / f"{k}.txt").write_text(f"{rec['outlet']} reports\n\n{rec['text']}\n", encoding="utf-8")
    assert main(["run", str(feed), "--out", str(tmp_path / "one"), "--engine", "offline", "-q"]) == 0
    assert main(["nightly", str(feed), "--out", str(tmp_path / "night"), "--date", "2026-11-04",
                 "--engine", "offline", "-q"]) in (0, 4)
    left = [p for p in tmp_path.rglob("*") if p.name.endswith(".lock") or p.name.startswith(".")]
    assert not left, left
    assert (tmp_path / "night" / "2026-11-04" / "index.json").is_file()
