"""A small made-up story, not about the seeds, for the page and Markdown tests: four outlets, one of which
runs another's article as a syndicated copy, figures that disagree, a point one outlet says was left out."""

_BASE = """The Harbor Valley water board voted on Monday to raise household water rates by 12 percent from July, after a four-hour public meeting.
Board chair Lena Ortiz said the increase was needed to replace pipes laid in the 1950s. "We cannot keep patching a system that is older than most of us," Ortiz said.
The board also approved a discount for low-income households, which will cover about 3,000 homes.
Residents who spoke at the meeting were divided. Several said the rise would hurt retirees on fixed incomes.
The utility said the new rates would raise 8 million dollars a year for repairs."""

ARTICLES = [
    {"name": "valley-courier.html", "outlet": "Valley Courier", "title": "Water board raises rates 12 percent",
     "date": "2031-05-06", "url": "https://courier.example/water-rates",
     "text": _BASE},
    # the same wire story, run by a second outlet under its own first line: a copy, not a second source
    {"name": "river-post.txt", "outlet": "River Post", "title": "Harbor Valley water rates going up",
     "date": "2031-05-06",
     "text": "From our partners at the Valley Courier.\n" + _BASE},
    {"name": "harbor-times.txt", "outlet": "Harbor Times", "title": "Rates rise after long meeting",
     "date": "2031-05-07",
     "text": """The Harbor Valley water board voted Monday to raise household water rates by 12 percent starting in July.
The vote followed a two-hour public meeting at the civic center. Board chair Lena Ortiz said old pipes from the 1950s had to be replaced.
A discount for low-income households was also approved and will cover about 3,000 homes.
The board did not say how the money would be spent if pipe costs come in lower than expected.
Opponents said the board ignored a petition signed by 1,200 residents."""},
    {"name": "coast-daily.md", "outlet": "Coast Daily", "title": "Harbor Valley approves water rate rise",
     "date": "2031-05-07",
     "text": """# Harbor Valley approves water rate rise
The Harbor Valley water board approved a 12 percent rise in household water rates on Monday.
The meeting lasted six hours and drew more than 200 residents. Board chair Lena Ortiz said the system's pipes, laid in the 1950s, were failing.
The utility said the new rates would raise 8 million dollars a year for repairs.
Ortiz said the board demands that the state share the cost of the repairs."""},
]
