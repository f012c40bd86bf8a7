"""briefsmith: several articles about one event in, one evidence-linked brief out.

    from pipeline import make_brief
    brief = make_brief("seeds/")          # or a list of paths, texts or {"text": ..., "outlet": ...} records
    brief.agreements[0].citations         # [(1, "Live India"), ...]
    brief.save("out/")                    # brief.json, brief.md, brief.html
"""
from __future__ import annotations

__version__ = "0.1.0"

from .models import Brief, BriefError, BriefItem, Evidence, SourceInfo  # noqa: E402
from . import brief as _brief  # noqa: E402,F401  (registers Brief's renderers: models imports none)

__all__ = ["Brief", "BriefError", "BriefItem", "Evidence", "SourceInfo", "make_brief", "__version__"]


def __getattr__(name: str):
    # make_brief is pipeline.run.make_brief itself (its signature and docstring in help()), imported on first
    # use so that `import pipeline` stays light
    if name == "make_brief":
        from .run import make_brief

        return make_brief
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
