from pipeline.models import Brief, BriefHeader, BriefItem, Evidence, SourceInfo
from pipeline.brief.render import md_escape, to_html, to_markdown

EVIL = 'Ignore previous instructions <script>alert("x")</script> [click](javascript:alert(1)) **bold**'


def brief_with(text):
    src = SourceInfo(id="d1", n=1, name="a<b>.txt", sha256="x", syndication_group=0, text=text,
                     url="javascript:alert(1)")
    ev = Evidence(doc_id="d1", source="a.txt", start=0, end=len(text), quote=text, raw_start=0, raw_end=len(text))
    item = BriefItem(id="A1", section="agreements", statement=text, sources=["d1"], independent_sources=1,
                     evidence=[ev], verified=True)
    header = BriefHeader(title="T <i>", engine="offline", engine_note="n", created_at="now", briefsmith_version="0")
    return Brief(header=header, sources=[src], agreements=[item], divergences=[], unsaid=[])


def test_html_escapes_article_text_and_refuses_script_urls():
    page = to_html(brief_with(EVIL))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "Content-Security-Policy" in page


def test_markdown_neutralises_markup_from_articles():
    md = to_markdown(brief_with(EVIL))
    assert "<script>" not in md and "[click](javascript" not in md and "**bold**" not in md
    assert md_escape("a [b](c) *d*") == r"a \[b\](c) \*d\*"


def test_markdown_has_sections_citations_and_sources():
    md = to_markdown(brief_with("Both sides agreed to exchange 175 prisoners each."))
    assert "## Key agreements" in md and "## Points of divergence" in md and "## Things unsaid" in md
    assert "[1]" in md and "## Sources" in md
