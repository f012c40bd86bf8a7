"""The offline engine on the seed articles, end to end, through make_brief and the CLI."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import make_brief
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def brief():
    return make_brief(SEEDS)


def test_all_sections_filled_and_every_span_supports_its_item(brief):
    from pipeline.ground.check import item_support

    assert brief.header.engine == "offline" and "offline engine" in brief.header.engine_note
    for section in ("agreements", "divergences", "unsaid"):
        assert getattr(brief, section), f"{section} is empty"
    texts = {s.id: s.text for s in brief.sources}  # a span is read with its source, as the ground stage reads it
    for item in brief.items():
        assert item.sources and item.evidence and item.verified
        bad = [(s.evidence.quote, s.support.reason) for s in item_support(item, texts=texts) if not s.support.supported]
        assert not bad, (item.statement, bad)
    # the star-group bug: the energy-halt agreement cited the call-length sentence of another source
    energy = [i for i in brief.agreements if "30-day" in i.statement and "energy" in i.statement]
    assert energy and not any("three-hour long call" in e.quote for i in energy for e in i.evidence)


def test_prisoner_exchange_is_an_agreement_of_several_sources(brief):
    hits = [i for i in brief.agreements if re.search(r"\b175\b", i.statement)]
    assert hits, [i.statement for i in brief.agreements]
    assert hits[0].independent_sources >= 2


def test_call_length_is_a_divergence_with_each_reported_value(brief):
    item = next(i for i in brief.divergences if i.basis == "conflicting-figures" and "call" in i.statement)
    values = " ".join(v.value for v in item.variants)
    for wording in ("two-hour", "90-minute", "three-hour"):
        assert wording in values
    assert len(item.variants) == 3 and len(item.sources) == 5


def test_noted_absences_are_things_unsaid(brief):
    unsaid = " ".join(i.statement for i in brief.unsaid)
    assert "territorial concessions" in unsaid
    assert "omitted" in unsaid or "omitting" in unsaid


def test_evidence_raw_offsets_point_into_the_raw_file(brief):
    for item in brief.items():
        for ev in item.evidence:
            raw = (SEEDS / ev.source).read_text(encoding="utf-8")
            assert raw[ev.raw_start:ev.raw_end].replace("**", "") .startswith(ev.quote[:10])


def test_in_memory_texts(brief):
    texts = [s.text for s in brief.sources]
    again = make_brief(texts)
    assert again.sources[0].name == "text-1" and len(again.sources) == 5
    assert any(re.search(r"\b175\b", i.statement) for i in again.agreements)
    assert any(i.basis == "conflicting-figures" for i in again.divergences)


def test_cli_run_writes_the_brief_files(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["run", str(SEEDS), "--out", str(out)]) == 0
    assert {"brief.json", "brief.md", "brief.html", "manifest.json"} <= {p.name for p in out.iterdir()}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["engine"] == "offline" and len(manifest["inputs"]) == 5
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    data = json.loads((out / "brief.json").read_text())
    assert data["header"]["engine"] == "offline"
    assert "## Key agreements" in (out / "brief.md").read_text()


def _missing(p):
    return p / "missing"


def _empty(p):
    (p / "empty").mkdir()
    return p / "empty"


def _binary(p):
    (p / "bin").mkdir()
    (p / "bin" / "x.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    return p / "bin"


@pytest.mark.parametrize("make,expect", [(_missing, "no such file or folder"), (_empty, "no readable documents"),
                                         (_binary, "no readable documents")])
def test_bad_input_is_one_clear_line_and_keeps_the_previous_brief(tmp_path, make, expect):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = make(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(bad), "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and expect in err and "Traceback" not in err
    assert str(bad.name) in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_help_describes_commands():
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "--base-url" in proc.stdout and "--out" in proc.stdout


def test_calls_to_action_repeated_by_templates_are_not_agreements():
    story = ("The city council approved the new budget on Monday after a long debate about schools, roads and "
             "the harbour. The vote was seven to two, officials said.")
    cta = "Visit our website for exclusive offers and the latest news!"
    texts = [f"{story} {cta}", f"The council passed the city budget on Monday after a debate. {cta} Schools get "
             "more money for teachers and buildings.",
             f"{cta} Seven members backed the city budget on Monday, after a debate about roads and the harbour."]
    brief = make_brief([{"text": t, "name": f"outlet-{n}"} for n, t in enumerate(texts)])
    assert brief.agreements  # the stories themselves still agree
    assert not any("Visit our website" in i.statement for i in brief.items())


def test_same_input_same_brief_whatever_the_hash_seed(tmp_path):
    # a nightly job must be able to diff today's brief against yesterday's: nothing may follow set order
    outs = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / seed
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(SEEDS), "--out", str(out), "-q"],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        data = json.loads((out / "brief.json").read_text())
        data["header"].pop("created_at")
        data["header"].pop("timings")
        outs.append(data)
    assert outs[0] == outs[1] == outs[2]
