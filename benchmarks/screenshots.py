"""Screenshots of the seeds brief in headless Chromium: the first two screens at 1280 px, and a phone (390 px).

    .venv/bin/python benchmarks/screenshots.py [--out benchmarks/screenshots]

Writes seeds-1280.png (1280 x 1600: two 800 px screens) and seeds-390.png (390 x 1688: two 844 px screens).
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
        for width, height, mobile in ((1280, 1600, False), (390, 1688, True)):
            page.open(html, width, height, mobile=mobile)
            out = args.out / f"seeds-{width}.png"
            page.screenshot(out)
            if shutil.which("pngquant"):  # 256 colours: a third of the size, text as sharp (apt-get install pngquant)
                subprocess.run(["pngquant", "--quality", "60-90", "--force", "--output", str(out), str(out)], check=True)
            print(f"{out}: {out.stat().st_size:,} bytes; console problems: {len(page.problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
