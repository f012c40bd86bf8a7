"""The brief: sections and sources assembled into the Brief, its Markdown and HTML, and the files of a run.

Importing this package gives models.Brief its to_markdown, to_html and save (registered below, imported on
first use so that `import pipeline` stays light): the data model itself imports no renderer.
"""
from __future__ import annotations

from ..models import register_presenters


def _to_markdown(brief):
    from .render import to_markdown

    return to_markdown(brief)


def _to_html(brief):
    from .render import to_html

    return to_html(brief)


def _save(brief, folder):
    from .write import save_brief

    return save_brief(brief, folder)


register_presenters(to_markdown=_to_markdown, to_html=_to_html, save=_save)
