"""brief.html in a real browser (headless Chromium): no console errors, the overview on the first screen,
the first items of every section within two screens at 1280 px, no sideways scrolling on a phone, every
evidence link landing on its highlighted span, evidence shown when printed. Skips where no browser is found."""
import sys
from pathlib import Path

import pytest

from pipeline import make_brief
from pipeline.brief.render import to_html

sys.path.insert(0, str(Path(__file__).parent))
from browser import Page, find_chromium  # noqa: E402
from reader_corpus import ARTICLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium; "
                                                         "BRIEF_CHROMIUM=path to use another)")
SCREEN = (1280, 800)


@pytest.fixture(scope="module")
def page():
    with Page(CHROMIUM) as p:
        yield p


def _write(brief, tmp_path, name="brief.html", extra=""):
    path = tmp_path / name
    path.write_text(to_html(brief).replace("</body>", extra + "</body>"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seeds_brief():
    return make_brief(ROOT / "seeds")


@pytest.fixture(scope="module")
def other_brief():
    return make_brief(ARTICLES)


def _layout(page):
    return page.evaluate("""(() => {
      const r = e => e.getBoundingClientRect();
      return {overview: r(document.getElementById('overview')).bottom,
              firsts: [...document.querySelectorAll('.section')].map(s => {
                 const li = s.querySelector('.item .statement'); return li ? r(li).bottom : r(s).top; }),
              scripts: document.scripts.length,
              wide: document.documentElement.scrollWidth,
              open: document.querySelectorAll('details[open]').length,
              details: document.querySelectorAll('details').length,
              dangling: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
                        .filter(id => !document.getElementById(id))};
    })()""")


@pytest.mark.parametrize("which", ["seeds", "other"])
def test_page_renders_without_errors_overview_first(page, tmp_path, which, seeds_brief, other_brief):
    brief = seeds_brief if which == "seeds" else other_brief
    del page.events[:]
    page.open(_write(brief, tmp_path), *SCREEN)
    assert page.problems == []
    got = _layout(page)
    assert got["scripts"] == 0
    assert got["overview"] <= SCREEN[1], got  # the whole overview on the first screen
    # the three sections' first items within two screens; the one-source list, where there is one, may follow
    assert len(got["firsts"]) >= 3 and max(got["firsts"][:3]) <= 2 * SCREEN[1], got
    assert got["details"] >= len(brief.items()) and got["open"] == 0  # evidence is there, folded
    assert got["wide"] <= SCREEN[0]
    assert got["dangling"] == []  # every citation, chip and evidence link lands on its place


def test_the_harness_sees_a_blocked_script(page, tmp_path, other_brief):
    """The check above can fail: a script slipped into the page is refused by its CSP and reported."""
    del page.events[:]
    page.open(_write(other_brief, tmp_path, "bad.html", '<script>document.title="x"</script>'), *SCREEN)
    for _ in range(150):  # the report comes a little after the load (seconds later on a loaded machine)
        if page.problems:
            break
        page.settle(0.2)
    assert any("Content Security Policy" in p or "Refused" in p for p in page.problems), page.problems


@pytest.mark.parametrize("which", ["seeds", "other"])
def test_phone_width_has_no_sideways_scroll(page, tmp_path, which, seeds_brief, other_brief):
    brief = seeds_brief if which == "seeds" else other_brief
    page.open(_write(brief, tmp_path), 390, 844, mobile=True)
    got = _layout(page)
    assert got["wide"] <= 390, got
    assert got["overview"] > 0


def test_every_evidence_link_lands_on_its_quote(page, tmp_path, other_brief):
    page.open(_write(other_brief, tmp_path), *SCREEN)
    links = page.evaluate("""[...document.querySelectorAll('.evidence a[href^="#s"]')].map(a => {
        const t = document.getElementById(a.getAttribute('href').slice(1));
        return [a.closest('li').querySelector('blockquote').textContent, t ? t.textContent : null, t ? t.tagName : null];
    })""")
    assert len(links) == sum(len(i.evidence) for i in other_brief.items())
    for quote, target, tag in links:
        assert tag == "MARK" and target is not None
        # the mark holds the span, or its first part when a later span crosses it
        assert quote.startswith(target) or target.startswith(quote), (quote, target)
    # following a link highlights that span
    first = page.evaluate("document.querySelector('.evidence a[href^=\"#s\"]').getAttribute('href')")
    page.evaluate(f"location.hash = {first!r}")  # what a click on the link does
    assert page.evaluate("document.querySelector('mark:target').id") == first[1:]
    assert page.evaluate("getComputedStyle(document.querySelector('mark:target')).backgroundColor") != \
        page.evaluate("getComputedStyle(document.querySelector('mark:not(:target)')).backgroundColor")


def test_copies_are_one_chip_marked_as_copies(page, tmp_path, other_brief):
    page.open(_write(other_brief, tmp_path), *SCREEN)
    chips = page.evaluate("[...document.querySelectorAll('#A1 .chip')].map(c => [c.className, c.textContent])")
    assert len(chips) == other_brief.agreements[0].independent_sources
    copies = [t for cls, t in chips if "copies" in cls]
    assert len(copies) == 1 and "Valley Courier" in copies[0] and "River Post" in copies[0] and "copy" in copies[0]


def test_print_shows_the_evidence(page, tmp_path, seeds_brief):
    page.open(_write(seeds_brief, tmp_path), *SCREEN)
    visible = "[...document.querySelectorAll('.evidence')].map(e => e.checkVisibility())"
    folded = page.evaluate(visible)
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        printed = page.evaluate(visible)
        hidden = page.evaluate("getComputedStyle(document.querySelector('.sources-full')).display")
    finally:
        page.send("Emulation.setEmulatedMedia", {"media": ""})
    assert printed and all(printed)
    assert hidden == "none"
    assert not any(folded)  # and on screen the evidence stays folded


def test_warnings_are_on_the_first_screen(page, tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    for a in ARTICLES[2:]:
        (folder / a["name"]).write_text(a["text"], encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    brief = make_brief(folder)
    assert any("notes.pdf" in w for w in brief.header.warnings)
    page.open(_write(brief, tmp_path), *SCREEN)
    got = page.evaluate("""[...document.querySelectorAll('#overview .warnings li')].map(li =>
        [li.textContent, li.getBoundingClientRect().bottom])""")
    assert any("notes.pdf" in text and bottom <= SCREEN[1] for text, bottom in got), got


def test_an_llm_brief_renders_too(page, tmp_path):
    from fake_openai_server import FakeOpenAIServer
    from scripted_llm import newsroom

    with FakeOpenAIServer(newsroom) as server:
        brief = make_brief(ARTICLES, base_url=server.base_url, model="m", cache_dir=tmp_path / "cache")
    assert brief.header.engine == "llm"
    del page.events[:]
    page.open(_write(brief, tmp_path), *SCREEN)
    assert page.problems == []
    got = _layout(page)
    assert got["overview"] <= SCREEN[1] and got["scripts"] == 0
    assert "m" in page.evaluate("document.getElementById('overview').textContent")


def test_a_brief_of_many_sources_keeps_its_overview_short(page, tmp_path):
    many = [{"text": f"Filed by correspondent number {k} for the evening edition.\n" + ARTICLES[k % 4]["text"],
             "outlet": f"Outlet {k:02d}", "name": f"o{k:02d}.txt"} for k in range(40)]
    brief = make_brief(many)
    assert len(brief.sources) == 40 and max(len(i.sources) for i in brief.items()) > 8
    page.open(_write(brief, tmp_path), *SCREEN)
    assert page.problems == []
    got = page.evaluate("""({overview: document.getElementById('overview').getBoundingClientRect().bottom,
        listed: document.querySelectorAll('#overview .srclist li').length,
        columns: document.querySelectorAll('.coverage thead th').length,
        visible: Math.max(...[...document.querySelectorAll('.item')].map(i =>
                 [...i.querySelectorAll(':scope > .chips > .chip')].length)),
        anchors: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
                 .filter(id => id && !document.getElementById(id)).length})""")
    assert got["overview"] <= SCREEN[1], got
    assert got["listed"] <= 13 and got["columns"] <= 22 and got["visible"] <= 8, got
    assert got["anchors"] == 0, got  # every link inside the page lands somewhere


def _long_named_brief():
    """Sources named by long headlines (no outlet known): the chips must shorten them at a word."""
    heads = ["Mill Street flood: 60 households leave homes after pipe failure on Sunday night",
             "Burst main under Mill Street floods cellars and forces sixty households out",
             "Families from the flooded Mill Street homes wait in the school gym for news"]
    body = ("Sixty households on Mill Street left their homes on Sunday after a water main burst under the road. "
            "The city water department said the pipe was laid in 1932 and had failed twice before. ")
    return make_brief([{"text": body + f"Report {k} ends here with a note from the desk.", "title": h}
                       for k, h in enumerate(heads)], engine="offline")


@pytest.mark.parametrize("width", [390, 1280])
def test_chips_are_never_cut_mid_word(page, tmp_path, width):
    brief = _long_named_brief()
    page.open(_write(brief, tmp_path), width, 844, mobile=width < 600)
    chips = page.evaluate("""[...document.querySelectorAll('.chip a')].map(a => [a.textContent,
        a.scrollWidth > a.clientWidth + 1 || a.closest('.chip').scrollWidth > a.closest('.chip').clientWidth + 1])""")
    assert chips and not any(cut for _, cut in chips), chips
    for text, _ in chips:
        label = text.split(" ", 1)[1]  # after the citation number
        heads = [s.title for s in brief.sources]
        # whole, or a prefix of whole words ending in an ellipsis
        assert label in heads or (label.endswith("…") and any(h.startswith(label[:-1]) and
                                                               h[len(label) - 1] == " " for h in heads)), label


def test_phone_first_screen_shows_the_first_agreement(page, tmp_path, seeds_brief):
    path = _write(seeds_brief, tmp_path)
    page.open(path, 390, 844, mobile=True)
    got = page.evaluate("""({first: document.querySelector('#agreements .item .statement').getBoundingClientRect().bottom,
        folded: !document.querySelector('.srcfold').open,
        listed: document.querySelector('.srclist li').checkVisibility()})""")
    assert got["first"] <= 844 and got["folded"] and not got["listed"], got
    page.open(path, *SCREEN)  # a wide screen lists the sources, unfolded
    assert page.evaluate("document.querySelector('.srclist li').checkVisibility()")


def test_one_source_list_uses_the_whole_width(page, tmp_path, seeds_brief):
    assert seeds_brief.single_source
    page.open(_write(seeds_brief, tmp_path), *SCREEN)
    got = page.evaluate("""({single: document.getElementById('single_source').getBoundingClientRect().width,
        all: document.querySelector('.sections').getBoundingClientRect().width,
        columns: new Set([...document.querySelectorAll('#single_source .item')].map(i =>
                 Math.round(i.getBoundingClientRect().left))).size})""")
    assert got["single"] >= 0.95 * got["all"] and got["columns"] >= 2, got


def test_the_night_index_looks_like_a_brief(page, tmp_path):
    from pipeline.cli import main
    from test_night_index import FLOOD

    feed = tmp_path / "feed"
    feed.mkdir()
    for name, text in FLOOD.items():
        (feed / name).write_text(text, encoding="utf-8")
    (feed / "lone.txt").write_text("Bandstand restored\n\nBy Ana Cruz, Coast Daily\n\nVolunteers in the village of "
                                   "Eldham finished restoring the century-old bandstand on the green after two years "
                                   "of weekend work, and the first concert is planned for June.\n", encoding="utf-8")
    assert main(["nightly", str(feed), "--out", str(tmp_path / "n"), "--date", "2026-11-04", "--engine", "offline",
                 "-q"]) == 0
    index = tmp_path / "n" / "2026-11-04" / "index.html"
    del page.events[:]
    for width in (390, 1280):
        page.open(index, width, 844, mobile=width < 600)
        assert page.problems == []
        got = page.evaluate("""({wide: document.documentElement.scrollWidth,
            events: [...document.querySelectorAll('#events .item')].map(li => li.querySelector('.counts').textContent),
            singles: [...document.querySelectorAll('#single_source .item')].map(li => li.textContent),
            badge: getComputedStyle(document.querySelector('.count.agreements')).backgroundColor,
            empty: [...document.querySelectorAll('h2')].filter(h => !h.parentElement.querySelector('li')).length})""")
        assert got["wide"] <= width, got
        assert len(got["events"]) == 1 and "independent sources" in got["events"][0], got
        assert got["singles"] and "Coast Daily" in got["singles"][0], got
        assert got["badge"] == "rgb(31, 122, 77)" and got["empty"] == 0, got  # the brief's green; no empty heading
