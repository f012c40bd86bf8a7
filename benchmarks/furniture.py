"""Page furniture: today's HTML cleaner against trafilatura on hand-written pages with expectations.

    .venv/bin/python benchmarks/furniture.py [PAGES_DIR ...]     # default: tests/data/pages tests/data/furniture

Each folder holds *.html pages and an EXPECTED.json ({"pages": {name: {title, site_name, author, date,
keep: [...], remove: [...]}}}). For each cleaner: furniture strings left in the text, story sentences lost,
metadata fields found (title, site name, author, date), and milliseconds per page (median of 20 runs).
trafilatura is optional (pip install trafilatura lxml_html_clean); without it only ours is measured.
"""
from __future__ import annotations

import html
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest.clean import clean  # noqa: E402


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(s or "")).strip().replace("\u2019", "'").lower()


def ours(raw: str) -> dict:
    text, _, _, meta = clean(raw, "html")
    return {"text": text, "title": meta.title, "site_name": meta.outlet, "author": meta.author, "date": meta.date}


def trafilatura_clean(raw: str) -> dict:
    import trafilatura
    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=True)
    doc = doc.as_dict() if doc is not None else {}
    return {"text": doc.get("text") or "", "title": doc.get("title"), "site_name": doc.get("sitename"),
            "author": doc.get("author"), "date": doc.get("date")}


def hybrid(raw: str) -> dict:
    """Ours, keeping only the paragraphs trafilatura also keeps (what adopting it as a filter would give)."""
    mine, theirs = ours(raw), trafilatura_clean(raw)
    kept_text = norm(theirs["text"])
    paras = [p for p in mine["text"].split("\n") if p.strip()]
    kept = [p for p in paras if norm(p) in kept_text] if kept_text else paras
    return {**mine, "text": "\n".join(kept)}


def score(page: dict, got: dict) -> dict:
    text = norm(got["text"])
    left = [s for s in page["remove"] if norm(s) in text]
    lost = [s for s in page["keep"] if norm(s) not in text]
    fields = {f: norm(str(got.get(f) or "")) == norm(page.get(f) or "") for f in ("title", "site_name", "author", "date")
              if page.get(f)}
    return {"left": left, "lost": lost, "meta": fields}


def timed(fn, raw: str, n: int = 20) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn(raw)
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main(argv: list[str]) -> int:
    dirs = [Path(a) for a in argv] or [p for p in (ROOT / "tests/data/pages", ROOT / "tests/data/furniture") if p.is_dir()]
    cleaners = {"ours": ours}
    try:
        import trafilatura  # noqa: F401
        cleaners["trafilatura"] = trafilatura_clean
        cleaners["ours+trafilatura"] = hybrid
    except ImportError:
        print("trafilatura not installed: measuring ours only")
    totals = {k: {"pages": 0, "left": 0, "remove": 0, "lost": 0, "keep": 0, "meta": 0, "fields": 0, "ms": []}
              for k in cleaners}
    for d in dirs:
        expected = json.loads((d / "EXPECTED.json").read_text())["pages"]
        for name, page in expected.items():
            raw = (d / name).read_text(encoding="utf-8")
            for k, fn in cleaners.items():
                s = score(page, fn(raw))
                t = totals[k]
                t["pages"] += 1
                t["left"] += len(s["left"])
                t["remove"] += len(page["remove"])
                t["lost"] += len(s["lost"])
                t["keep"] += len(page["keep"])
                t["meta"] += sum(s["meta"].values())
                t["fields"] += len(s["meta"])
                t["ms"].append(timed(fn, raw))
                missing_meta = [f for f, ok in s["meta"].items() if not ok]
                print(f"{k:12} {d.name}/{name}: furniture left {len(s['left'])}/{len(page['remove'])}, "
                      f"story lost {len(s['lost'])}/{len(page['keep'])}, metadata missed {missing_meta or '-'}")
                for x in s["left"]:
                    print(f"{'':14}left: {x[:90]}")
                for x in s["lost"]:
                    print(f"{'':14}lost: {x[:90]}")
    print()
    print("| cleaner | pages | furniture left | story sentences lost | metadata found | ms per page (median) |")
    print("|---|---|---|---|---|---|")
    for k, t in totals.items():
        print(f"| {k} | {t['pages']} | {t['left']}/{t['remove']} | {t['lost']}/{t['keep']} | {t['meta']}/{t['fields']} | "
              f"{statistics.median(t['ms']):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
