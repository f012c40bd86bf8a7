"""One naming path for `brief run` and the night's index; bylines name outlets; the index reads like a brief
(plurals right, nothing empty, the brief's style sheet)."""
import json
from pathlib import Path

from pipeline.brief.page_style import CSS
from pipeline.brief.present import source_label
from pipeline.cli import main
from pipeline.ingest.meta import byline, html_meta
from pipeline.models import SourceInfo
from pipeline.nightly.index import to_html, to_markdown

ROOT = Path(__file__).resolve().parents[1]
FLOOD = {  # not about the seeds: a burst main, told three ways, with bylines
    "a.txt": "Mill Street flood: 60 households leave homes after pipe failure\n\nBy Dana Reyes, Harwick Courier\n\n"
             "Sixty households on Mill Street left their homes on Sunday after a water main burst under the road. "
             "The city water department said the pipe was laid in 1932 and had failed twice before. "
             "Crews closed the street between the bridge and the school while pumps cleared the cellars.\n",
    "b.txt": "Burst main floods Mill Street\n\nBy Sam Ortiz | The Valley Post\n\n"
             "A burst water main flooded Mill Street on Sunday and sixty households left their homes. "
             "The city water department said the pipe dated from 1932 and had failed twice before. "
             "The street stays closed between the bridge and the school while pumps clear the cellars.\n",
    "c.txt": "Mill Street families wait to go home\n\nBy Lee Park, Staff Writer\n\n"
             "Families from sixty households on Mill Street waited in the school gym on Monday after Sunday's flood. "
             "The water department said the 1932 pipe had failed twice before and would be replaced this summer. "
             "Pumps were still clearing cellars between the bridge and the school.\n",
}


def _feed(tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for name, text in FLOOD.items():
        (feed / name).write_text(text, encoding="utf-8")
    return feed


def test_bylines_name_outlets_and_authors():
    assert byline("Headline\n\nBy Dana Reyes, Harwick Courier\n\nText.") == {"author": "Dana Reyes",
                                                                         "outlet": "Harwick Courier"}
    assert byline("**By Sam Ortiz and A. Li | The Valley Post**")["outlet"] == "The Valley Post"
    assert byline("By Dana Reyes for the Harwick Courier")["outlet"] == "Harwick Courier"
    # a role, a date or no outlet after the name is no outlet
    assert byline("By Lee Park, AFP")["outlet"] == "AFP"
    for line in ("By Lee Park, Staff Writer", "By Lee Park, March 3, 2026", "By [AFP](#)", "By the way, it rained.",
                 "By Lee Park, LONDON"):
        assert byline(line) == {}, line
    page = "<html><body><h1>Flood</h1><p class='by'>By <a href='/d'>Dana Reyes</a>, Harwick Courier</p></body></html>"
    assert html_meta(page)["outlet"] == "Harwick Courier"


def test_brief_and_night_index_name_sources_alike(tmp_path):
    feed = _feed(tmp_path)
    assert main(["run", str(feed), "--out", str(tmp_path / "one"), "--engine", "offline", "-q"]) == 0
    brief = json.loads((tmp_path / "one" / "brief.json").read_text(encoding="utf-8"))
    labels = {s["name"]: source_label(SourceInfo(**s)) for s in brief["sources"]}
    assert labels["a.txt"] == "Harwick Courier" and labels["b.txt"] == "The Valley Post"
    assert labels["c.txt"] == "Mill Street families wait to go home"  # a staff writer names no outlet
    html = (tmp_path / "one" / "brief.html").read_text(encoding="utf-8")
    assert "only Mill Street flood: 60 households" not in html  # no reason names a source by its headline

    assert main(["nightly", str(feed), "--out", str(tmp_path / "night"), "--date", "2026-11-04",
                 "--engine", "offline", "-q"]) == 0
    night = tmp_path / "night" / "2026-11-04"
    index = json.loads((night / "index.json").read_text(encoding="utf-8"))
    md = (night / "index.md").read_text(encoding="utf-8")
    page = (night / "index.html").read_text(encoding="utf-8")
    for s in index["events"][0]["sources"]:
        assert f"   - {labels[s['name']]}" in md.replace("\\", "")
        assert f"<b>{labels[s['name']]}</b>" in page
    assert "a.txt" not in md  # a file name only where nothing better is known


def test_seeds_without_meta_json_are_named_alike(tmp_path):
    feed = tmp_path / "seeds"
    feed.mkdir()
    for p in (ROOT / "seeds").glob("*.txt"):
        (feed / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["run", str(feed), "--out", str(tmp_path / "one"), "--engine", "offline", "-q"]) == 0
    assert main(["nightly", str(feed), "--out", str(tmp_path / "n"), "--date", "2026-11-04", "--engine", "offline",
                 "-q"]) == 0
    brief = json.loads((tmp_path / "one" / "brief.json").read_text(encoding="utf-8"))
    md = (tmp_path / "n" / "2026-11-04" / "index.md").read_text(encoding="utf-8").replace("\\", "")
    for s in brief["sources"]:
        name = source_label(SourceInfo(**s))
        assert f"   - {name}\n" in md or f"   - {name}: " in md
        assert f"{s['name']}: {s['name']}" not in md  # a file name is not repeated as its own title


def _data(counts, singles=(), warnings=()):
    ev = {"id": "e1", "slug": "flood", "folder": "flood", "title": "Flood", "status": "ok", "error": None,
          "kept_from": None, "independent_sources": 2, "counts": counts, "members": ["d1", "d2"],
          "sources": [{"id": "d1", "name": "a.txt", "title": "Flood", "outlet": "Harwick Courier", "url": None},
                      {"id": "d2", "name": "b.txt", "title": None, "outlet": None, "url": None}],
          "link": "flood/brief.html"}
    return {"date": "2026-11-04", "briefsmith_version": "t", "finished_at": "now", "status": {"ok": 1, "failed": 0,
            "budget": 0}, "events": [ev], "single_source": list(singles), "warnings": list(warnings)}


def test_index_counts_read_right_and_nothing_is_empty():
    data = _data({"agreements": 1, "divergences": 1, "unsaid": 0})
    md, page = to_markdown(data), to_html(data)
    assert CSS in page  # the brief's own style sheet
    for text in (md, page.replace(CSS, "")):
        assert "1 agreement" in text and "1 divergence" in text and "0 things unsaid" in text
        assert "1 divergences" not in text and "1 events" not in text and "1 agreements" not in text
        assert "Single-source" not in text and "warning" not in text.lower()
    lone = {"id": "e2", "slug": "x", "title": "Lone", "members": ["d3"],
            "sources": [{"id": "d3", "name": "lone.txt", "title": "Lone story", "outlet": "Coast Daily"}]}
    data = _data({"agreements": 2, "divergences": 0, "unsaid": 1}, [lone], ["x.pdf: binary file"])
    md, page = to_markdown(data), to_html(data)
    for text in (md, page):
        assert "Single-source articles" in text and "Coast Daily" in text and "x.pdf: binary file" in text
