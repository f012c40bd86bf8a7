"""Modules a newcomer can hold in their head: no module of pipeline/ over 750 lines, no function over 120."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pipeline"
MAX_MODULE, MAX_FUNCTION = 750, 120


def oversized(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root)
        if len(text.splitlines()) > MAX_MODULE:
            found.append(f"{rel}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION:
                    found.append(f"{rel}: {node.name} is {length} lines")
    return found


def test_no_module_over_750_lines_nor_function_over_120():
    assert oversized(PKG) == []


def test_the_check_catches_a_long_module_and_a_long_function(tmp_path):
    body = "\n".join(f"    x{n} = {n}" for n in range(130))
    (tmp_path / "long_function.py").write_text(f"def f():\n{body}\n", encoding="utf-8")
    (tmp_path / "long_module.py").write_text("\n".join(f"y{n} = {n}" for n in range(800)) + "\n", encoding="utf-8")
    assert oversized(tmp_path) == ["long_function.py: f is 131 lines", "long_module.py: 800 lines"]
