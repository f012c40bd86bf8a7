"""Sources are named by outlet and title: given metadata first, then the page's own tags, JSON-LD, <title>,
its heading, a source URL line, and only then the file name."""
import json
import re
from pathlib import Path

from pipeline import make_brief
from pipeline.brief.present import source_label
from pipeline.ingest.meta import html_meta, site_name, text_meta

ROOT = Path(__file__).resolve().parents[1]
BODY = ("<p>The Harbor Valley water board voted on Monday to raise household water rates by 12 percent from July, "
        "after a long public meeting at the civic center downtown.</p><p>Board chair Lena Ortiz said the increase "
        "was needed to replace old pipes laid decades ago.</p>")


def _page(head: str, body: str = BODY) -> str:
    return f"<!doctype html><html><head>{head}</head><body><article>{body}</article></body></html>"


def test_json_ld_and_title_of_a_page():
    m = html_meta(_page('<title>Rates rise 12 percent | Valley Courier</title><script type="application/ld+json">'
                        '{"@type": "NewsArticle", "headline": "Water board raises rates", "datePublished": '
                        '"2031-05-06T10:00:00Z", "publisher": {"@type": "Organization", "name": "The Valley Courier"}}'
                        "</script>"))
    assert m["title"] == "Water board raises rates" and m["outlet"] == "The Valley Courier"
    assert m["date"].startswith("2031-05-06")
    m = html_meta(_page("<title>Rates: what changes for you - Coast Daily</title>"))
    assert m["title"] == "Rates: what changes for you" and m["outlet"] == "Coast Daily"
    assert "outlet" not in html_meta(_page("<title>A title with no outlet in it at all</title>"))
    assert html_meta(_page('<script type="application/ld+json">{broken</script>')) == {}


def test_url_line_and_site_name():
    assert text_meta("Story text.\nOriginal url: <https://www.example.org/a/b>\n") == {"url": "https://www.example.org/a/b"}
    assert text_meta("No link here.") == {}
    assert site_name("https://www.harbortimes.example/news/1") == "harbortimes.example"
    assert site_name("http://127.0.0.1/x") is None and site_name("not a url") is None


def test_loaded_sources_get_outlet_and_title_before_the_file_name(tmp_path):
    (tmp_path / "a1b2c3.html").write_text(_page(
        '<title>Rates rise | Valley Courier</title><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Water board raises rates", "publisher": {"name": "The Valley Courier"}}</script>'))
    (tmp_path / "d4e5f6.html").write_text(_page('<meta property="og:site_name" content="Coast Daily">'
                                                "<title>Ignored | Other</title>", "<h1>Harbor Valley approves rise</h1>" + BODY))
    (tmp_path / "0a9b8c.txt").write_text(
        "The water board in Harbor Valley approved higher rates on Monday night after hours of debate.\n"
        "Board chair Lena Ortiz defended the rise in household water bills before a packed room.\n"
        "Source: https://www.harbortimes.example/news/rates\n")
    (tmp_path / "ffff00.txt").write_text(
        "Harbor Valley water rates rise\n\nHarbor Valley will pay more for water from July, the board decided on "
        "Monday, after residents spoke for and against the plan.\n")
    by_name = {s.name: s for s in make_brief(tmp_path).sources}
    assert (by_name["a1b2c3.html"].outlet, by_name["a1b2c3.html"].title) == ("The Valley Courier", "Water board raises rates")
    assert (by_name["d4e5f6.html"].outlet, by_name["d4e5f6.html"].title) == ("Coast Daily", "Harbor Valley approves rise")
    assert by_name["0a9b8c.txt"].outlet == "harbortimes.example"
    assert by_name["ffff00.txt"].outlet is None and source_label(by_name["ffff00.txt"]) == "Harbor Valley water rates rise"


def test_given_metadata_wins_over_the_page(tmp_path):
    (tmp_path / "x.html").write_text(_page('<meta property="og:site_name" content="Page Says"><title>T | Page Says</title>'))
    (tmp_path / "meta.json").write_text(json.dumps({"x.html": {"outlet": "Meta Says", "title": "Given title"}}))
    [s] = make_brief(tmp_path).sources
    assert (s.outlet, s.title) == ("Meta Says", "Given title")


def test_seeds_name_all_five_outlets_and_the_page_shows_them():
    brief = make_brief(ROOT / "seeds")
    outlets = [s.outlet for s in brief.sources]
    assert len(outlets) == 5 and all(outlets) and len(set(outlets)) == 5
    page, md = brief.to_html(), brief.to_markdown()
    for s in brief.sources:
        assert s.outlet in page and s.outlet in md
    # hash file names appear only as the file a source came from, never as its label on a chip
    chips = re.findall(r'<li class="chip[^"]*">(.*?)</li>', page)
    assert chips and not any(re.search(r"\d{3}_[0-9a-f]{16}\.txt", c) for c in chips)


def test_copyright_line_and_markdown_heading_of_a_text(tmp_path):
    assert text_meta("Text.\n(c) 2031 The Harbor Ledger. All rights reserved.\n")["outlet"] == "The Harbor Ledger"
    assert text_meta("COPYRIGHT \u00a9 2030-2031 Coast Daily | Privacy")["outlet"] == "Coast Daily"
    assert "outlet" not in text_meta("Copyright laws were changed in 2020, the minister said.")
    assert "outlet" not in text_meta("He said copyright 2020 rules apply.")
    (tmp_path / "p.md").write_text(
        "[Home](https://harborweekly.example/) > [News](https://harborweekly.example/news)\n\n"
        "# Water board *raises* rates\n\nThe Harbor Valley water board voted on Monday to raise household water "
        "rates by 12 percent from July, after a long meeting.\n\n(c) 2031 Harbor Weekly. All rights reserved.\n")
    [s] = make_brief(tmp_path).sources
    assert (s.outlet, s.title) == ("Harbor Weekly", "Water board raises rates")


def test_json_ld_headline_beats_a_consent_dialog_h1():
    pages = ROOT / "tests" / "data" / "pages"
    expected = json.loads((pages / "EXPECTED.json").read_text(encoding="utf-8"))["pages"]
    by_name = {s.name: s for s in make_brief(pages).sources}
    for name, e in expected.items():
        assert (by_name[name].outlet, by_name[name].title) == (e["site_name"], e["title"]), name
