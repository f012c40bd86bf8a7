"""segment marks headings, datelines, bylines and captions; neither engine offers them as evidence."""
import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.ingest.segment import line_role
from pipeline.run import run_pipeline
from scripted_llm import newsroom

PAGE = """Harbour Council Votes to Close the North Pier
By Maria Lindqvist and Tom Okafor
Saltmere, 4 June 2024
Photo: Saltmere Courier
The harbour council voted on Tuesday to close the north pier for repairs lasting six months.
The fishermen's guild said the closure would cost its members a season of landings.
Published: June 4, 2024 10:42 BST
The council's statement did not mention compensation for the guild's members.
"""


@pytest.mark.parametrize("line, role", [
    ("Washington/Moscow, March 19, 2025", "dateline"), ("Saltmere, 4 June 2024", "dateline"),
    ("Published: June 4, 2024 10:42 BST", "dateline"), ("By Maria Lindqvist and Tom Okafor", "byline"),
    ("Photo: Saltmere Courier", "caption"), ("The mayor at the pier on Monday (Photo by J. Ruiz)", "caption"),
    # ordinary sentences that merely start like one
    ("By the end of the year the pier will have reopened to boats.", "body"),
    ("The council met on 4 June 2024 to vote on the pier.", "body"),
    ("Photographers gathered at the pier as the vote was read out.", "body"),
])
def test_line_roles(line, role):
    assert line_role(line, heading=False) == role


def test_no_engine_cites_a_heading_byline_dateline_or_caption(tmp_path):
    furniture = ["Harbour Council Votes", "Maria Lindqvist", "4 June 2024", "Photo:", "Published:"]
    records = [{"text": PAGE, "name": "a.txt"},
               {"text": PAGE.replace("six months", "half a year").replace("Tuesday", "Tuesday evening"), "name": "b.txt"}]
    offline = run_pipeline(records, engine="offline").brief
    with FakeOpenAIServer(newsroom) as server:
        llm = run_pipeline(records, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path).brief
        prompts = "\n".join(m["content"] for r in server.requests for m in r["messages"] if m["role"] == "user")
    for brief in (offline, llm):
        quotes = [e.quote for i in brief.items() for e in i.evidence]
        assert quotes
        assert not [q for q in quotes if any(f in q for f in furniture)], quotes
    assert not any(f in prompts for f in furniture)  # never even offered to the model
    assert "voted on Tuesday to close the north pier" in prompts
