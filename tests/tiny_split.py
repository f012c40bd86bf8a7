"""A tiny sentence splitter for tests that must not depend on pipeline/segment.py: paragraphs on blank
lines, sentences on . ! ?, offsets computed like the real splitter; a line with no end punctuation is a
heading."""
import re

from pipeline.models import Document, Sentence

_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\u201d\"\u2019']?|$)")


def split(doc: Document) -> list[Sentence]:
    out = []
    for para, pm in enumerate(re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", doc.text)):
        for m in _SENT.finditer(doc.text, pm.start(), pm.end()):
            a, b = m.span()
            while a < b and doc.text[a].isspace():
                a += 1
            while b > a and doc.text[b - 1].isspace():
                b -= 1
            if a < b:
                t = doc.text[a:b]
                out.append(Sentence(doc_id=doc.id, idx=len(out), para=para, start=a, end=b, text=t,
                                    heading=not t[-1] in ".!?\u201d\"\u2019'"))
    return out
