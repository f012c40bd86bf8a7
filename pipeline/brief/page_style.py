"""The style sheet of every page briefsmith writes (the brief, and any index of briefs): one place, no script.

Wide screens show the three sections side by side, so the first items of each are on the first two
screens, and the one-source list across the whole width; a phone gets one column, with the source list
folded so the first item is on its first screen; print opens every evidence list and leaves out the
source texts.
"""

import html

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

CSS = """
:root{--ink:#1d232b;--muted:#5b6570;--line:#dde2e7;--paper:#f5f7f9;--agree:#1f7a4d;--diverge:#b45309;
--unsaid:#6d3fc0;--single:#6b7280;--mark:#fff1a8;--target:#ffc078;--link:#1c5fb8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;
max-width:1440px;padding:1rem 1.5rem 3rem;overflow-wrap:break-word}
a{color:var(--link)}
h1{font-size:1.45rem;line-height:1.25;margin:.3rem 0 .4rem}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .3rem}
.muted,.why,.meta{color:var(--muted)}
.lede{margin:.2rem 0 .6rem}
.overview{display:grid;gap:.6rem 1.5rem;background:var(--paper);border:1px solid var(--line);border-radius:8px;
padding:.7rem 1rem;margin:.4rem 0 .6rem}
.overview h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 .3rem}
.overview ol,.overview ul{margin:0;padding-left:0;list-style:none}
.overview li{margin:.1rem 0}
.srcfold>summary{list-style:none}
.srcfold>summary h2{display:inline}
.srcfold>summary::-webkit-details-marker{display:none}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 .5rem}
.count{display:inline-block;border-radius:6px;padding:.15rem .6rem;color:#fff;text-decoration:none;font-weight:600}
.count.agreements{background:var(--agree)}.count.divergences{background:var(--diverge)}.count.unsaid{background:var(--unsaid)}.count.single_source{background:var(--single)}
.n{display:inline-block;min-width:1.5em;padding:0 .3em;border-radius:4px;background:#e7ebef;color:var(--ink);
font-size:.8em;font-weight:600;text-align:center;font-variant-numeric:tabular-nums}
.warnings{color:#8a3b00}
.warnings li{font-size:.9rem}
nav.toc{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.9rem;margin:.2rem 0 .4rem}
.sections{display:grid;gap:0 1.25rem;grid-template-columns:minmax(0,1fr)}
.section h2{border-bottom:3px solid var(--line);padding-bottom:.2rem}
#agreements h2{border-color:var(--agree)}#divergences h2{border-color:var(--diverge)}#unsaid h2{border-color:var(--unsaid)}#single_source h2{border-color:var(--single)}
.items{list-style:none;margin:0;padding:0}
.item{border:1px solid var(--line);border-left:4px solid var(--line);border-radius:6px;padding:.5rem .7rem;
margin:0 0 .6rem;container-type:inline-size;scroll-margin-top:1rem}
.agreements .item{border-left-color:var(--agree)}.divergences .item{border-left-color:var(--diverge)}
.unsaid .item{border-left-color:var(--unsaid)}.single_source .item{border-left-color:var(--single)}
.item:target{box-shadow:0 0 0 3px var(--target)}
.statement{margin:0 0 .35rem}
.id{font-weight:700;color:var(--muted);margin-right:.3rem;text-decoration:none}
.chips{display:flex;flex-wrap:wrap;gap:.25rem;margin:.2rem 0;padding:0;list-style:none}
.chip{display:inline-flex;align-items:center;gap:.25rem;border:1px solid var(--line);border-radius:999px;
padding:0 .55rem 0 .2rem;font-size:.8rem;background:#fff;max-width:100%;line-height:1.35}
.chip a{overflow-wrap:anywhere}
.chip a{text-decoration:none;color:var(--ink)}
.chip .copy{color:var(--muted);font-style:italic}
.chip.copies{border-style:dashed}
.why{font-size:.82rem;margin:.2rem 0}
.flag{color:#a61b1b;font-weight:600;font-size:.85rem}
.check{font-size:.85rem;color:#8a3b00;margin:.2rem 0}
.sides{display:grid;grid-template-columns:minmax(0,1fr);gap:.4rem;margin:.4rem 0}
@container (min-width:330px){.sides{grid-template-columns:repeat(auto-fit,minmax(140px,1fr))}}
.side{background:var(--paper);border-radius:6px;padding:.35rem .5rem;font-size:.88rem}
.side .who{font-weight:600;display:block;font-size:.8rem;color:var(--diverge)}
details{margin:.25rem 0 0;font-size:.88rem}
summary{cursor:pointer;color:var(--muted)}
.evidence{list-style:none;margin:.3rem 0 0;padding:0}
.evidence li{margin:0 0 .45rem}
blockquote{margin:.1rem 0 0;padding:.1rem 0 .1rem .6rem;border-left:3px solid var(--line)}
.cite{font-size:.8rem;color:var(--muted)}
.coverage-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
table.coverage{border-collapse:collapse;font-size:.82rem;min-width:100%}
.coverage th,.coverage td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:center}
.coverage thead th{position:sticky;top:0;background:#fff;vertical-align:bottom;font-weight:600}
.coverage th.stmt,.coverage td.stmt{text-align:left;max-width:34rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.coverage tr.group th{background:var(--paper);text-align:left}
.coverage td.on{color:var(--agree);font-weight:700}
.coverage td.copy{color:var(--muted)}
.coverage tr.alone td.stmt{font-style:italic}
.coverage td.count{color:var(--muted)}
.legend{font-size:.82rem;color:var(--muted)}
.source{margin:1.2rem 0;max-width:50rem;scroll-margin-top:1rem}
.source:target h3{background:var(--target)}
.fulltext{white-space:pre-wrap;font-size:.92rem;background:var(--paper);border-radius:6px;padding:.6rem .8rem;margin:.3rem 0}
mark{background:var(--mark);color:inherit;scroll-margin-top:40vh}
mark:target{background:var(--target);outline:2px solid var(--diverge)}
sup.back{font-size:.7rem}
sup.back a{text-decoration:none}
footer{margin-top:2rem;font-size:.8rem;color:var(--muted)}
@media (min-width:601px){.srcfold::details-content{content-visibility:visible;display:block;height:auto}
.srcfold>summary{pointer-events:none}}
@media (min-width:1100px){.sections{grid-template-columns:repeat(3,minmax(0,1fr))}
.overview{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}
#single_source{grid-column:1/-1}
#single_source .items{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:0 1.25rem}}
@media (max-width:600px){body{padding:.6rem .8rem 2rem;font-size:15px}h1{font-size:1.2rem}
.overview{padding:.5rem .6rem}.chip{font-size:.78rem}
.srcfold>summary::after{content:" ▸ show";font-size:.8rem;color:var(--link)}
.srcfold[open]>summary::after{content:" ▾ hide"}}
@media print{body{max-width:none;padding:0;font-size:10.5pt}a{color:inherit;text-decoration:none}
nav.toc,.sources-full,summary,.where,sup.back{display:none}
details::details-content{content-visibility:visible;display:block;height:auto}
.item,.side,tr{break-inside:avoid}.sections{grid-template-columns:minmax(0,1fr)}
.coverage-wrap{overflow:visible;border:0}.coverage thead th{position:static}
.overview{background:none}.count{color:var(--ink);background:none!important;border:1px solid var(--ink)}}
"""


def page_head(title: str) -> str:
    """Everything of a page up to and including <body>: charset, the CSP that lets no script run, the
    viewport for phones, the title (escaped) and the style sheet. Any page briefsmith writes starts so."""
    return ("<!doctype html>\n" + '<html lang="en"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>")
