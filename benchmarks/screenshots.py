"""Screenshots in headless Chromium: the seeds brief (the first two screens at 1280 px, and a phone at 390 px,
its first screen ending at 844 px) and the index of a night made from the seeds and tests' flood story.

    .venv/bin/python benchmarks/screenshots.py [--out benchmarks/screenshots]

Writes seeds-1280.png (1280 x 1600: two 800 px screens), seeds-390.png (390 x 1688: two 844 px screens),
night-index-1280.png and night-index-390.png (one screen each).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import Page, find_chromium  # noqa: E402

from pipeline import make_brief  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "screenshots")
    args = ap.parse_args()
    binary = find_chromium()
    if binary is None:
        print("no chromium binary found (apt-get install chromium)", file=sys.stderr)
        return 1
    brief = make_brief(ROOT / "seeds")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Page(binary) as page:
        html = Path(tmp, "brief.html")
        brief.save(tmp)
        index = _night(Path(tmp))
        shots = [(html, "seeds", 1280, 1600, False), (html, "seeds", 390, 1688, True),
                 (index, "night-index", 1280, 800, False), (index, "night-index", 390, 844, True)]
        for page_path, name, width, height, mobile in shots:
            page.open(page_path, width, height, mobile=mobile)
            out = args.out / f"{name}-{width}.png"
            page.screenshot(out)
            if shutil.which("pngquant"):  # 256 colours: a third of the size, text as sharp (apt-get install pngquant)
                subprocess.run(["pngquant", "--quality", "60-90", "--force", "--output", str(out), str(out)], check=True)
            print(f"{out}: {out.stat().st_size:,} bytes; console problems: {len(page.problems)}")
    return 0


def _night(tmp: Path) -> Path:
    """A night of two events (the seeds, and the flood story of tests/test_night_index.py): its index.html."""
    from test_night_index import FLOOD

    from pipeline.cli import main as brief

    feed = tmp / "feed"
    shutil.copytree(ROOT / "seeds", feed / "seeds")
    for name, text in FLOOD.items():
        (feed / name).write_text(text, encoding="utf-8")
    brief(["nightly", str(feed), "--out", str(tmp / "night"), "--date", "2026-11-04", "--engine", "offline", "-q"])
    return tmp / "night" / "2026-11-04" / "index.html"


if __name__ == "__main__":
    sys.exit(main())
