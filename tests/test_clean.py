"""The cleaner: furniture out, story in, and an exact map back to the raw text."""
from __future__ import annotations

import random
import time
from bisect import bisect_right
from pathlib import Path

import pytest

from pipeline.ingest.clean import clean, looks_like_html
from pipeline.ingest.dates import parse_date
from pipeline.ingest.furniture import furniture

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(n: int) -> str:
    return next(SEEDS.glob(f"{n:03d}_*.txt")).read_text(encoding="utf-8")


def to_raw(offset_map, pos: int) -> int:
    keys = [c for c, _ in offset_map]
    k = max(bisect_right(keys, pos) - 1, 0)
    return offset_map[k][1] + pos - offset_map[k][0]


def assert_pure_deletion(raw: str, text: str, removals, offset_map) -> None:
    """Text cleaning deletes and nothing else: each char maps to itself, removals tile the rest exactly."""
    assert all(raw[to_raw(offset_map, i)] == ch for i, ch in enumerate(text))
    prev = 0
    kept = []
    for r in removals:
        assert r.raw_start >= prev and r.raw_start < r.raw_end, r
        assert raw[r.raw_start:r.raw_end] == r.text
        kept.append(raw[prev:r.raw_start])
        prev = r.raw_end
    kept.append(raw[prev:])
    assert "".join(kept) == text
    raw_positions = [to_raw(offset_map, i) for i in range(len(text))]
    assert raw_positions == sorted(set(raw_positions))  # strictly increasing: order kept, nothing twice


# --- the seeds -----------------------------------------------------------------------------------

FURNITURE = {
    0: ["Also Read: Zelenskyy Warns", "Also Read: Trump Calls Putin", "Tags:", "#TrumpPutinCall", "#MilitaryAid"],
    1: ["Share This Post"],
    2: ["By [AFP](#)", "AFP", "Alexei Druzhinin / POOL / TASS", "**Related article:**",
        "Russia and Ukraine Agree to Halt Attacks", "Original url:", "themoscowtimes.com", "## ", "# ", "**", "(#)"],
    3: ["Reviewed by Your Destination", "Rating: 5", "TOP-LEFT ADS"],
    4: ["Today : Mar 19, 2025"],
}

STORY = {
    0: ["In a high-stakes, two-hour phone call, US President Donald Trump and Russian President Vladimir Putin "
        "agreed that the Ukraine war must end with lasting peace",
        "- Prisoner Exchange: 175 prisoners from each side will be exchanged on Wednesday, with Russia additionally "
        "releasing 23 severely wounded Ukrainian soldiers.",
        "“It is time for Russia to show whether it really wants peace,” Sybiga said.",
        "As the world watches, the Trump-Putin peace effort could reshape the course of the Ukraine war—for better "
        "or worse."],
    1: ["Putin confirmed that a scheduled prisoner exchange on March 19 would see 175 detainees from each side "
        "returned, along with the release of 23 severely wounded Ukrainian soldiers currently receiving medical "
        "care in Russia.",
        "A symbolic cultural initiative was also floated—Putin proposed organizing hockey matches between the NHL "
        "(North America) and KHL (Russia), an idea Trump reportedly welcomed.",
        "will depend on how much each side is willing to concede—and whether Ukraine, NATO, and other key "
        "stakeholders align with the emerging U.S.-Russia framework."],
    2: ["Takeaways from Trump-Putin Call",
        "In a closely watched phone call Tuesday, U.S. President Donald Trump and Russian counterpart Vladimir Putin "
        "agreed on a 30-day ceasefire on energy infrastructure in the Ukraine war but stopped short of a full truce.",
        "\"These negotiations will begin immediately in the Middle East,\" said the White House readout.",
        "Things unsaid\n\nSome points were notable by their absence.",
        "...And hockey\n\nThe Kremlin said Trump had \"supported\" an idea from Putin \"to organize hockey matches in "
        "the U.S. and Russia between Russian and American\" pros."],
    3: ["Trump, Putin Agree To Begin Ceasefire Negotiations On Three-Hour Call\n\nPresident Donald Trump concluded",
        "Negotiations will begin immediately in the Middle East.",
        "Ukraine agreed to accept a 30-day ceasefire following negotiations with Secretary of State Marco Rubio in "
        "Saudi Arabia last week.",
        "a private home, and a storage site for children’s toys on fire in Odesa."],
    4: ["Politics\n18 March 2025\n\nTrump And Putin Hold Crucial Talks On Ukraine Conflict",
        "On March 18, 2025, US President Donald Trump and Russian President Vladimir Putin engaged in what many were "
        "calling a pivotal phone call about the future of the Ukraine conflict.",
        "They announced scheduled exchanges of 175 captives on March 19, termed by Russia as \"gestures of "
        "goodwill.”",
        "as both sides navigate through these historic and uncertain times."],
}


@pytest.mark.parametrize("n", range(5))
def test_seed_furniture_is_gone_and_story_stays(n):
    text, removals, offset_map, _ = clean(seed(n), "txt")
    for junk in FURNITURE[n]:
        assert junk not in text, junk
    for sentence in STORY[n]:
        assert sentence in text, sentence
    assert "\n\n\n" not in text and text == text.strip()
    assert not any(line != line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize("n", range(5))
def test_seed_cleaning_is_pure_deletion(n):
    raw = seed(n)
    text, removals, offset_map, _ = clean(raw, "txt")
    assert_pure_deletion(raw, text, removals, offset_map)


def test_every_story_line_of_every_seed_survives():
    # any raw line that is not furniture must be found whole in the cleaned text (markup aside)
    furniture_lines = ("Also Read:", "Tags:", "#TrumpPutinCall", "Share This Post", "By [AFP]", "Alexei Druzhinin",
                       "**Related article:**", "Original url:", "Reviewed by", "TOP-LEFT ADS", "Today : ")
    for n in range(5):
        text = clean(seed(n), "txt")[0]
        for raw_line in seed(n).split("\n"):
            line = raw_line.strip().lstrip("#").strip().replace("**", "")
            if line and not any(f in raw_line for f in furniture_lines):
                assert line in text, (n, line)


def test_seed_removal_kinds():
    kinds = {n: [r.kind for r in clean(seed(n), "txt")[1] if r.kind not in ("whitespace", "blank-lines")]
             for n in range(5)}
    assert kinds[0] == ["also-read", "also-read", "tags", "hashtags"]
    assert kinds[1] == ["share"]
    assert kinds[3] == ["rating", "ads"]
    assert kinds[4] == ["page-date"]
    assert {"byline", "photo-credit", "also-read", "source-url", "markdown-heading", "markdown-emphasis"} \
        == set(kinds[2])


def test_seed_metadata_found_while_cleaning():
    meta = {n: clean(seed(n), "txt")[3] for n in range(5)}
    assert meta[2].url == "https://www.themoscowtimes.com/2025/03/19/takeaways-from-trump-putin-call-a88409"
    assert meta[2].author == "AFP"
    assert meta[2].date == "2025-03-19"
    assert meta[2].title == "Takeaways from Trump-Putin Call"
    assert meta[0].date == "2025-03-19"  # "Washington/Moscow, March 19, 2025"
    assert meta[0].title is None  # the first line is a sentence, not a headline
    assert meta[3].title == "Trump, Putin Agree To Begin Ceasefire Negotiations On Three-Hour Call"
    assert meta[4].date == "2025-03-18"  # the dateline, not the page's "Today :"
    assert meta[4].title == "Trump And Putin Hold Crucial Talks On Ukraine Conflict"
    assert meta[1].model_dump(exclude_none=True) == {}


# --- generic rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("line, kind", [
    ("Also Read: Something else happened", "also-read"),
    ("Read more: The full story", "also-read"),
    ("RELATED: other news", "also-read"),
    ("**Related article:** [Title](https://x.y/z)", "also-read"),
    ("See also: background", "also-read"),
    ("Tags: war, peace", "tags"),
    ("#One #Two, #Three", "hashtags"),
    ("Share This Post", "share"),
    ("Share on Facebook", "share"),
    ("Facebook Twitter WhatsApp", "share"),
    ("TOP-LEFT ADS", "ads"),
    ("Advertisement", "ads"),
    ("Headline Here Reviewed by Someone on March 19, 2025 Rating: 5", "rating"),
    ("Today : Mar 19, 2025", "page-date"),
    ("Original url: <https://example.com/a>", "source-url"),
    ("https://example.com/embed/123", "bare-url"),
    ("---", "markdown-rule"),
    ("Alexei Druzhinin / POOL / TASS", "photo-credit"),
    ("Photo: Reuters", "photo-credit"),
    ("(Photo by John Smith/AFP)", "photo-credit"),
])
def test_furniture_rules(line, kind):
    assert furniture(line, header=True)[0] == kind


@pytest.mark.parametrize("line", [
    "Also, the talks read well.",
    "Related talks will follow next week.",
    "The tags on the crates read: Kyiv.",
    "He ranked #1 in the polls and #2 in funding.",
    "Share prices fell 3% on Tuesday.",
    "Trump / Putin",
    "Ukraine / Russia talks",
    "Photographs by the agency showed destroyed buildings.",
    "By the numbers",
    "By Tuesday, both sides had agreed.",
    "The ads ran all week.",
    "Today the leaders spoke.",
    "X",
])
def test_story_lines_are_not_furniture(line):
    assert furniture(line, header=True) is None


def test_byline_only_near_the_top():
    raw = "Title Of Story\nBy Jane Doe\n\nBody one.\n" + "More body.\n" * 12 + "By John Roe\n"
    text, removals, _, meta = clean(raw, "txt")
    assert meta.author == "Jane Doe"
    assert "By Jane Doe" not in text and text.endswith("By John Roe")


def test_markdown_syntax_is_removed_but_text_kept():
    raw = ("# Big **bold** title #\n\nSee [the readout](https://x.y/a_b*c*) and ![img](p.png) here.\n"
           "A __strong__ and _em_ and *star* word; snake_case_name and 5 * 3 * 2 stay.\n"
           "> quoted line\n- bullet stays\n***\n[](https://empty.link)\n")
    text, removals, offset_map, _ = clean(raw, "md")
    assert text == ("Big bold title\n\nSee the readout and  here.\n"
                    "A strong and em and star word; snake_case_name and 5 * 3 * 2 stay.\n"
                    "quoted line\n- bullet stays")
    assert_pure_deletion(raw, text, removals, offset_map)
    kinds = {r.kind for r in removals}
    assert {"markdown-heading", "markdown-emphasis", "markdown-link", "markdown-image", "markdown-quote",
            "markdown-rule"} <= kinds


def test_blank_lines_and_trailing_spaces_are_deletions():
    raw = "\n\n  \nFirst line.   \n\n\n\n\nSecond\u00a0line.\t\r\n\r\n\r\n\r\nThird.\n\n\n"
    text, removals, offset_map, _ = clean(raw, "txt")
    assert text == "First line.\n\nSecond\u00a0line.\n\nThird."
    assert_pure_deletion(raw, text, removals, offset_map)


def test_invisible_characters_are_removed():
    raw = "Zero\u200bwidth and soft\u00adhyphen\ufeff stay readable."
    text, removals, offset_map, _ = clean(raw, "txt")
    assert text == "Zerowidth and softhyphen stay readable."
    assert [r.kind for r in removals] == ["invisible-char"] * 3


def test_nothing_but_furniture_cleans_to_empty():
    text, removals, _, _ = clean("Share This Post\nTags: a, b\n#x #y\n", "txt")
    assert text == "" and len(removals) == 3


def test_parse_date():
    assert parse_date("March 19, 2025") == "2025-03-19"
    assert parse_date("Washington, 18 March 2025") == "2025-03-18"
    assert parse_date("Sept. 3rd, 2024") == "2024-09-03"
    assert parse_date("2025-03-19T08:00:00Z") == "2025-03-19"
    assert parse_date("February 30, 2025") is None
    assert parse_date("no date here") is None


# --- the map property on generated inputs ------------------------------------------------------------

_PIECES = ["Also Read: other story", "Tags:", "#A, #B", "Share This Post", "TOP-LEFT ADS", "By [AFP](#)",
           "Original url: <https://a.b/c>", "## Sub heading", "**Bold** start and *em* end", "[link](http://u)",
           "A plain story sentence.", "Mr. Smith said 3.5 percent.", "  indented line  ", "", "", "\u00a0nbsp lead",
           "trailing tab\t", "x\r", "Today : Mar 1, 2025", "Name / POOL / TASS", "***", "> quote", "_u_ and __uu__",
           "unbalanced ** star", "[broken](link", "\u200bzero", "Привет, мир.", "snake_case words"]


@pytest.mark.parametrize("seed_no", range(200))
def test_map_is_exact_on_generated_text(seed_no):
    rnd = random.Random(seed_no)
    raw = "\n".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 25)))
    if rnd.random() < 0.3:
        raw += "\n" * rnd.randint(1, 4)
    text, removals, offset_map, _ = clean(raw, rnd.choice(["txt", "md"]))
    assert_pure_deletion(raw, text, removals, offset_map)
    assert "\n\n\n" not in text and text == text.strip()


# --- HTML ----------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><title>Trump &amp; Putin talk | Daily News</title>
<meta property="og:site_name" content="Daily News">
<meta property="article:published_time" content="2025-03-19T08:00:00Z">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://example.com/a">
<script>var x = "<p>not text</p>"; if (a < b) {}</script>
<style>p { color: red }</style>
</head>
<body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a></nav><h1>Trump &amp; Putin agree</h1></header>
<article>
<p>U.S. President Donald Trump and Vladimir Putin&rsquo;s call lasted  two
   hours. The Kremlin said &ldquo;yes&rdquo;.</p>
<h2><strong>What&#39;s next</strong></h2>
<p>Also Read: <a href="/x">Something else</a></p>
<p>Advertisement</p>
<ul><li>Ceasefire talks: begin soon.</li><li>Prisoner swap: 175 each.<br>More later.</li></ul>
<p>Tom &amp; Jerry&nbsp;were &foo; there.<script>track()</script> Then they left.</p>
</article>
<aside>Most read: stuff</aside>
<footer>(c) 2025 Daily News</footer>
<form><input name=q><button>Search</button></form>
</body></html>
"""


def assert_html_map(raw: str, text: str, offset_map) -> None:
    """Copied chars map to themselves; the rest are breaks, collapsed whitespace or decoded entities."""
    for i, ch in enumerate(text):
        r = raw[to_raw(offset_map, i)]
        assert r == ch or (ch.isspace() and (r.isspace() or r in "<&")) or r == "&", (i, ch, r)


def test_html_text_and_structure():
    text, removals, offset_map, meta = clean(HTML, "html")
    assert text == ("U.S. President Donald Trump and Vladimir Putin’s call lasted two hours. The Kremlin said “yes”."
                    "\n\nWhat's next\n\nCeasefire talks: begin soon.\n\nPrisoner swap: 175 each.\nMore later."
                    "\n\nTom & Jerry were &foo; there. Then they left.")
    assert_html_map(HTML, text, offset_map)
    for junk in ("not text", "color: red", "Home", "World", "Most read", "Copyright", "Search", "Also Read",
                 "Something else", "Advertisement", "track()"):
        assert junk not in text
    kinds = {r.kind for r in removals}
    assert {"html-head", "html-header", "html-script", "html-aside", "html-footer", "html-form", "html-heading",
            "also-read", "ads", "html-markup"} <= kinds
    for r in removals:
        assert HTML[r.raw_start:r.raw_end] == r.text
    spans = sorted((r.raw_start, r.raw_end) for r in removals)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # never overlapping


def test_html_metadata():
    meta = clean(HTML, "html")[3]
    assert meta.title == "Trump & Putin agree"
    assert meta.outlet == "Daily News"
    assert meta.date == "2025-03-19"
    assert meta.url == "https://example.com/a"
    assert meta.author == "Jane Doe"


def test_html_copied_runs_point_into_the_markup():
    text, _, offset_map, _ = clean(HTML, "html")
    i = text.index("Then they left.")  # fine in a test: the map under test is computed, not searched
    j = to_raw(offset_map, i)
    assert HTML[j:j + len("Then they left.")] == "Then they left."


def test_html_without_head_end_and_unclosed_tags():
    raw = "<html><head><title>T</title><body><p>First para<p>Second para <b>bold</b> end<div>Third"
    text, removals, offset_map, meta = clean(raw, "html")
    assert text == "First para\n\nSecond para bold end\n\nThird"
    assert meta.title == "T"
    assert_html_map(raw, text, offset_map)


def test_html_only_scripts_cleans_to_empty():
    assert clean("<html><script>a()</script><nav>menu</nav></html>", "html")[0] == ""


def test_html_is_sniffed_in_records_and_texts():
    assert looks_like_html("<p>One</p><p>Two</p>")
    assert not looks_like_html("Plain text with a < b and c > d.")
    assert clean("<p>One</p><p>Two</p>", "json")[0] == "One\n\nTwo"
    assert clean("<p>One</p><p>Two</p>", "text")[0] == "One\n\nTwo"


@pytest.mark.parametrize("seed_no", range(60))
def test_html_map_on_generated_markup(seed_no):
    rnd = random.Random(seed_no)
    bits = ["<p>", "</p>", "<div>", "</div>", "<br>", "<b>", "</b>", "<script>x<y</script>", "<!-- c -->",
            "&amp;", "&nbsp;", "&#8217;", "&bogus;", "word", "Two words", "  spaced   out\n text ", "\n",
            "<h2>", "</h2>", "<nav>menu</nav>", "Also Read: x", "<li>", "</li>", "Déjà vu"]
    raw = "".join(rnd.choice(bits) for _ in range(rnd.randint(0, 40)))
    text, removals, offset_map, _ = clean(raw, "html")
    assert_html_map(raw, text, offset_map)
    assert text == text.strip() and "\n\n\n" not in text
    for r in removals:
        assert raw[r.raw_start:r.raw_end] == r.text


@pytest.mark.parametrize("raw, text, title", [
    ('<p title="a>b">Text &amp; more</p>', "Text & more", None),
    ("<p>1 < 2 & 3 > 2</p>", "1 < 2 & 3 > 2", None),
    ("<title>Outside</title><p>Body</p>", "Body", "Outside"),
    ("<header><h1>Head <b>line</b></h1></header><p>Body.</p>", "Body.", "Head line"),
    ("<p>a<!-- c --> b</p>", "a b", None),
    ("<![CDATA[x]]><p>y</p>", "y", None),
    ("<P CLASS=x>Upper</P><BR/><Script>x()</SCRIPT><p>z</p>", "Upper\n\nz", None),
    ("<p>x<br/>y</p>", "x\ny", None),
    ("<svg/><p>after svg</p>", "after svg", None),
    ("<p>Tom&nbsp;&amp;&nbsp;Jerry</p>", "Tom & Jerry", None),
    ("<nav><nav>inner</nav>still nav</nav><p>X</p>", "X", None),
    ('<p>a<img src="data:image/png;base64,' + "A" * 20000 + '">b</p>', "ab", None),
    ("<p>a</p><script>never closed", "a", None),
    ("<p>a</p><!-- never closed <p>b</p>", "a", None),
])
def test_html_tokenizer_cases(raw, text, title):
    got, removals, offset_map, meta = clean(raw, "html")
    assert got == text and meta.title == title
    assert_html_map(raw, got, offset_map)


@pytest.mark.parametrize("raw, fmt", [
    ("*a " * 200_000, "md"),
    ("_a " * 200_000, "md"),
    ("[a](" * 200_000, "md"),
    ("[" * 500_000 + "](", "md"),
    ("Also Read: " + "x " * 1_000_000, "txt"),
    ("<p>x</p>" + "<a " * 100_000, "html"),
    ("<p>x</p>" + "</a " * 100_000, "html"),
    ("<p>x</p><nav>" + "<nav " * 100_000, "html"),
    ("<p>" + '<a t="' * 100_000, "html"),
])
def test_pathological_inputs_stay_linear(raw, fmt):
    t0 = time.perf_counter()
    text, _, offset_map, _ = clean(raw, fmt)
    assert time.perf_counter() - t0 < 30  # a guard against runaway (quadratic, backtracking) work, not a speed target
    if fmt != "html":
        assert all(raw[to_raw(offset_map, i)] == text[i] for i in range(0, len(text), 997))
