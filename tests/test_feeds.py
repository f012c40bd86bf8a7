"""RSS and Atom files as inputs: each entry an article with its headline, outlet, date and link."""
from __future__ import annotations

import json

from pipeline.cli import main
from pipeline.ingest.load import load_documents

BODY = ("The Alder County council voted on Tuesday to close the Eastgate Bridge for repairs after engineers found "
        "a cracked girder, officials said, and commuters were told to use the Millbrook crossing.")
# the same story in another outlet's words (the same words would make it a syndicated copy: one source)
OTHER = ("County officials shut the Eastgate Bridge indefinitely on Tuesday when inspectors turned up a fracture "
         "in a main girder; drivers will be sent over the Millbrook crossing instead, transport director Lena "
         "Okafor said.")
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Riverside Gazette</title><link>https://gazette.example/</link>
<item><title>Eastgate Bridge closed</title><link>https://gazette.example/bridge</link>
<pubDate>Tue, 03 Nov 2026 08:30:00 GMT</pubDate><description>Short teaser.</description>
<content:encoded><![CDATA[<p>{BODY}</p><p>Repairs could take weeks, the council said in a statement.</p>]]></content:encoded></item>
<item><title>Northwind pilots strike</title><link>https://gazette.example/strike</link>
<pubDate>Tue, 03 Nov 2026 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Pilots at Northwind Air began a 48-hour strike on Monday, forcing the regional carrier to cancel
180 flights and strand thousands of passengers across the coast.&lt;/p&gt;</description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Alder Valley News</title><id>urn:avn</id>
<updated>2026-11-03T10:00:00Z</updated>
<entry><title>Cracked girder closes bridge</title><id>urn:avn:1</id><link href="https://avn.example/1"/>
<published>2026-11-03T10:00:00Z</published><updated>2026-11-03T10:00:00Z</updated><author><name>L. Okafor</name></author>
<content type="html">&lt;p&gt;{OTHER}&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom_entries_are_articles(tmp_path):
    (tmp_path / "gazette.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "avn.atom").write_text(ATOM, encoding="utf-8")
    docs, warnings = load_documents(tmp_path)
    assert warnings == []
    by_title = {d.meta.title: d for d in docs}
    assert set(by_title) == {"Eastgate Bridge closed", "Northwind pilots strike", "Cracked girder closes bridge"}
    rss = by_title["Eastgate Bridge closed"]
    assert rss.meta.outlet == "Riverside Gazette" and rss.meta.url == "https://gazette.example/bridge"
    assert rss.meta.date.startswith("2026-11-03")
    assert "Repairs could take weeks" in rss.text and "<p>" not in rss.text  # full content, cleaned as HTML
    assert "Short teaser" not in rss.text
    atom = by_title["Cracked girder closes bridge"]
    assert atom.meta.outlet == "Alder Valley News" and atom.meta.author == "L. Okafor"
    assert "Millbrook crossing" in atom.text
    assert by_title["Northwind pilots strike"].text.startswith("Pilots at Northwind Air")


def test_an_xml_file_that_is_no_feed_is_a_warning(tmp_path):
    (tmp_path / "gazette.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>https://x.example/</loc></url></urlset>",
                                          encoding="utf-8")
    docs, warnings = load_documents(tmp_path)
    assert len(docs) == 2
    assert [w.path for w in warnings] == ["sitemap.xml"] and "not an RSS or Atom feed" in warnings[0].problem


def test_nightly_reads_feeds(tmp_path):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "gazette.rss").write_text(RSS, encoding="utf-8")
    (feeds / "avn.atom").write_text(ATOM, encoding="utf-8")
    assert main(["nightly", str(feeds), "--out", str(tmp_path / "out"), "--date", "2026-11-03",
                 "--engine", "offline", "-q"]) == 0
    index = json.loads((tmp_path / "out" / "2026-11-03" / "index.json").read_text(encoding="utf-8"))
    # the two bridge entries (two outlets) are one event; the strike, told once, is listed only
    assert len(index["events"]) == 1
    assert {s["outlet"] for s in index["events"][0]["sources"]} == {"Riverside Gazette", "Alder Valley News"}
    assert [s["sources"][0]["title"] for s in index["single_source"]] == ["Northwind pilots strike"]
