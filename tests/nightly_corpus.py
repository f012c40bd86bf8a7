"""Small hand-written news events (none about the seeds) for the nightly tests: each event told by several
outlets in their own words, plus a lone article no other outlet carried."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EVENTS = {
    "bridge": [
        ("Riverside Gazette", "2026-11-03", "Eastgate Bridge shut after engineers find crack in main girder",
         "The Eastgate Bridge over the Alder River was closed to all traffic on Monday after inspectors found a "
         "crack in one of its main steel girders, the county transport department said. About 40,000 vehicles "
         "cross the bridge every day. Engineers from Halvorsen Structural will spend the week measuring the "
         "damage. Commuters were told to use the Millbrook crossing, which adds around twenty minutes to the "
         "trip. The department did not say when the bridge would reopen."),
        ("Alder Valley News", "2026-11-03", "Cracked girder closes Eastgate Bridge indefinitely",
         "County officials closed the Eastgate Bridge indefinitely on Monday when a routine inspection turned "
         "up a fracture in a main girder. Transport director Lena Okafor said the crack was 'serious but "
         "contained' and that no one had been hurt. Roughly 40,000 drivers use the span daily and will be "
         "sent over the Millbrook crossing instead. Halvorsen Structural has been hired to assess the girder. "
         "Okafor gave no date for reopening."),
        ("Metro Daily", "2026-11-04", "Commuters face long detours as Eastgate Bridge stays closed",
         "Drivers faced long queues on Tuesday, a day after the Eastgate Bridge across the Alder River was "
         "shut because inspectors discovered a cracked girder. The county said the detour via the Millbrook "
         "crossing was adding up to half an hour at peak times. Transport director Lena Okafor said engineers "
         "from Halvorsen Structural were on site. Local businesses near the bridge said trade had already "
         "fallen. The county has not said how long the closure will last."),
    ],
    "strike": [
        ("Coastal Herald", "2026-11-03", "Northwind Air pilots walk out, grounding 180 flights",
         "Pilots at Northwind Air began a 48-hour strike on Monday, forcing the regional carrier to cancel 180 "
         "flights and strand thousands of passengers. The pilots' union says wages have fallen behind "
         "inflation for three years. Northwind chief executive Marco Tellier called the walkout 'reckless' and "
         "said the airline's latest offer of a 9 percent raise was fair. Talks are due to resume on Thursday. "
         "Passengers were offered refunds or rebooking."),
        ("Business Wire Weekly", "2026-11-03", "Strike by Northwind pilots cancels scores of regional routes",
         "A two-day strike by Northwind Air pilots cancelled about 180 departures on Monday. The union is "
         "demanding a 15 percent pay rise, while management has offered 9 percent over two years. Chief "
         "executive Marco Tellier said the stoppage would cost the company millions. Union spokesperson Priya "
         "Raman said pilots had 'run out of patience' after months of talks. Negotiators plan to meet again "
         "on Thursday."),
        ("The Islander", "2026-11-04", "Travellers stranded as Northwind Air strike enters second day",
         "Hundreds of travellers slept at Port Haven airport as a strike by Northwind Air pilots entered its "
         "second day on Tuesday. The regional airline has cancelled around 180 flights. Union spokesperson "
         "Priya Raman said pilots wanted pay that kept pace with living costs. Northwind said it had offered "
         "a raise of 9 percent and urged the union to return to talks, which are set for Thursday. Some "
         "passengers said they had not been told about refunds."),
    ],
}
LONE = ("Hill Country Post", "2026-11-03", "Volunteers restore century-old village bandstand",
        "Volunteers in the village of Larkspur finished restoring its century-old bandstand on Sunday after two "
        "years of weekend work. The group raised money through bake sales and a raffle. The first concert on "
        "the restored stage is planned for the spring, organisers said, and the parish council will pay for "
        "new lighting around the green.")


def write_events(folder: Path, events=("bridge", "strike"), lone: bool = True) -> dict[str, str]:
    """Write the events' articles as .txt files with a meta.json; returns {file name: event}."""
    folder.mkdir(parents=True, exist_ok=True)
    meta, gold = {}, {}
    items = [(e, a) for e in events for a in EVENTS[e]] + ([("lone", LONE)] if lone else [])
    for k, (event, (outlet, date, title, text)) in enumerate(items):
        name = f"{event}_{k:02d}.txt"
        (folder / name).write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        meta[name] = {"title": title, "outlet": outlet, "date": date}
        gold[name] = event
    (folder / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return gold


def acceptance_feed(folder: Path, evaldata: Path) -> dict[str, str]:
    """The issue's acceptance feed: the seeds, 20 documents of each SummHay topic, the hand-written events and
    evals/corpora/harbor-blast when it is there. Returns {file name relative to `folder`: event}."""
    gold = {f"hand/{k}": v for k, v in write_events(folder / "hand").items()}
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    gold.update({f"seeds/{p.name}": "seeds" for p in (ROOT / "seeds").glob("*.txt")})
    for k in (1, 2):
        docs = json.loads((evaldata / "summhay" / f"topic_news{k}.json").read_text(encoding="utf-8"))["documents"]
        (folder / f"topic{k}").mkdir()
        for d in docs[:20]:
            (folder / f"topic{k}" / f"{d['document_id']}.txt").write_text(d["document_text"], encoding="utf-8")
            gold[f"topic{k}/{d['document_id']}.txt"] = f"topic{k}"
    harbor = ROOT / "evals" / "corpora" / "harbor-blast"
    if harbor.is_dir():
        shutil.copytree(harbor, folder / "harbor-blast")
        gold.update({f"harbor-blast/{p.name}": "harbor" for p in harbor.iterdir()
                     if p.is_file() and p.suffix in (".txt", ".md", ".html")})
    return gold
