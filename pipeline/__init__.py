"""briefsmith: several articles about one event in, one evidence-linked brief out."""
from __future__ import annotations

__version__ = "0.1.0"

from .models import Brief, BriefError  # noqa: E402


def make_brief(inputs, **kwargs) -> Brief:
    """Make a brief from a folder, a list of paths, or a list of texts. See pipeline.run.make_brief."""
    from .run import make_brief as _make_brief

    return _make_brief(inputs, **kwargs)


__all__ = ["Brief", "BriefError", "make_brief", "__version__"]
