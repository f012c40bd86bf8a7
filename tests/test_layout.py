"""The layout is the flow: a stage's modules import only the stages before it and the shared tools beside them."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pipeline"

# What each part of pipeline/ may import from the rest of it (itself always).
ALLOWED = {
    # Brief.to_markdown / to_html / save run the renderers brief/ registers (models.register_presenters):
    # the data model depends on no renderer
    "models": set(),
    "resources": set(),
    "jsonfile": {"models"},
    "text": {"models"},
    "llm": {"models", "resources"},
    # the one verifier (supports / same_fact): a shared tool every stage and the eval call, so it stands
    # before them all and reads only the data model, the word tools and the model client
    "verify": {"models", "text", "llm"},
    "ingest": {"models", "text", "resources", "verify"},
    "ground": {"models", "text", "ingest", "llm", "verify"},
    "claims": {"models", "text", "ingest", "ground", "llm", "verify"},
    "cluster": {"models", "text", "verify"},
    "sections": {"models", "text", "ingest", "ground", "cluster", "llm", "verify"},
    "brief": {"models", "text", "llm"},
    # the profiles (issue 21): which flow the LLM engine takes, and the verifier that judges its statements
    "profiles": {"models"},
    "engines": {"models", "claims", "sections", "llm", "profiles", "verify"},
    "schemas": {"models", "llm", "resources"},
    # cluster: -vv counts the clusters of claims (pipeline/run.py, _debug_claims), nothing else
    "run": {"__init__", "models", "ingest", "engines", "ground", "brief", "llm", "verify", "cluster", "profiles"},
    # brief: the eval reads a divergence's sides as the page names their sources (brief/present.source_labels)
    "evals": {"models", "llm", "jsonfile", "resources", "cli_args", "run", "text", "ground", "verify", "brief"},
    "cli_args": set(),
    "nightly": {"__init__", "models", "ingest", "llm", "run", "brief"},
    "cli_log": set(),
    "cli": {"__init__", "models", "cli_args", "cli_log", "run", "brief", "llm", "evals", "nightly"},
    "__init__": {"models", "run", "brief"},  # imports brief/ so that it registers Brief's renderers
}


def _part(path: Path, root: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path, root: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = list(path.relative_to(root.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = pkg[: len(pkg) - node.level + 1]
            target = base + (node.module.split(".") if node.module else [])
            if len(target) == 1:  # "from . import x" / "from .. import x"
                for alias in node.names:  # a submodule, or a name from __init__ (__version__)
                    is_module = (root / alias.name).is_dir() or (root / f"{alias.name}.py").is_file()
                    yield alias.name if is_module else "__init__"
            else:
                yield target[1]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline."):
            yield node.module.split(".")[1]


def violations(root: Path) -> list[str]:
    wrong = []
    for path in sorted(root.rglob("*.py")):
        part = _part(path, root)
        for target in _imports(path, root):
            if target != part and target not in ALLOWED.get(part, ()):
                wrong.append(f"{path.relative_to(root)} imports {target}")
    return wrong


def test_every_module_imports_only_what_comes_before_it_in_the_flow():
    assert not violations(PKG)


def test_an_arrow_back_up_is_caught(tmp_path):
    root = tmp_path / "pipeline"
    (root / "brief").mkdir(parents=True)
    (root / "run.py").write_text("from .brief.write import save\n")
    (root / "brief" / "write.py").write_text("from ..run import RunResult\nfrom ..models import Brief\n")
    assert violations(root) == ["brief/write.py imports run"]


def test_every_module_says_what_it_is_for():
    missing = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
               if not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()]
    assert not missing, missing
