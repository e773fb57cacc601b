"""The shape of the code: layers import one way, no module imports itself in a
circle, and the domain stays free of Textual."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "screens", "models")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules(package: str) -> list[str]:
    return sorted(module_name(p) for p in (ROOT / package).rglob("*.py")
                  if "migrations" not in p.parts)


def imports_of(path: Path) -> set[str]:
    """Project modules a file imports (inner imports too), resolved to module names."""
    known = {m for package in PACKAGES for m in all_modules(package)}
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in known}
    found.discard(this)
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p)
            for package in PACKAGES for p in (ROOT / package).rglob("*.py")
            if "migrations" not in p.parts}


def test_no_import_cycles():
    graph = import_graph()
    visiting, done, cycles = [], set(), []

    def visit(module):
        if module in done:
            return
        if module in visiting:
            cycles.append(visiting[visiting.index(module):] + [module])
            return
        visiting.append(module)
        for other in sorted(graph.get(module, ())):
            # a package's __init__ is not a dependency of the modules inside it
            if not module.startswith(other + "."):
                visit(other)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    assert cycles == []


def test_layers_import_one_way_in_the_source():
    """kiosk → screens → models, read from every import statement."""
    allowed = {"models": {"models"}, "screens": {"screens", "models"},
               "kiosk": {"kiosk", "screens", "models"}}
    wrong = [(module, other) for module, others in import_graph().items()
             for other in others
             if other.split(".")[0] not in allowed[module.split(".")[0]]]
    assert wrong == []


def loaded_after(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code` with `args`."""
    code = f"import sys, importlib\n{code}\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code, *args], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return set(out.split())


def loaded_top_levels(*modules: str) -> set[str]:
    loaded = loaded_after("for name in sys.argv[1:]: importlib.import_module(name)",
                          *modules)
    return {name.split(".")[0] for name in loaded}


def test_the_domain_runs_without_textual():
    loaded = loaded_top_levels(*all_modules("models"))
    assert not {"textual", "rich", "kiosk", "screens", "pypinyin"} & loaded


def test_screens_never_load_the_shell_or_pypinyin():
    loaded = loaded_top_levels(*all_modules("screens"))
    assert "kiosk" not in loaded
    assert "pypinyin" not in loaded  # search never loads it


def test_the_warm_up_loads_every_screen_module():
    """Home imports the screens once the dashboard is up; a key never waits for one."""
    loaded = loaded_after("importlib.import_module('screens.home').load_work_screens()")
    screens = {name for name in all_modules("screens") if name.count(".") == 1}
    assert screens - loaded == set()


def test_every_text_field_takes_typed_ahead_keys_in_order():
    """A plain Textual Input or TextArea resolves Backspace and Enter after the keys
    typed behind them (screens/widgets/fields.py KeysInOrder): the desk makes none."""
    plain = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for path in (ROOT / "screens").rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id in ("Input", "TextArea")]
    assert plain == []
