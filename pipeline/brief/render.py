"""The brief for people: Markdown (render_md) and HTML (render_html), both with numbered citations by outlet.
Article text is always escaped, so no markup or script from an article reaches a reader's page."""
from __future__ import annotations

from .present import SECTION_TITLES
from .render_html import to_html
from .render_md import md_escape, to_markdown

__all__ = ["SECTION_TITLES", "md_escape", "to_html", "to_markdown"]
