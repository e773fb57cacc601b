"""Every sentence a person reads comes from the message catalogue (models/core/i18n.py):
the shell and the screens write no Chinese of their own, so wording is changed, and a
language added, in one place. Comments and docstrings may quote Chinese freely."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile("[\u4e00-\u9fff]")
STATEMENT_START = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
# Python 3.12 splits an f-string into tokens; its literal parts are FSTRING_MIDDLE
FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", None)


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) for string literals with Chinese in them. A string that is a
    statement on its own (a docstring) is documentation, not text on the screen."""
    tokens = [tok for tok in tokenize.generate_tokens(io.StringIO(source).readline)
              if tok.type not in (tokenize.NL, tokenize.COMMENT)]
    found = [(tok.start[0], tok.string) for tok in tokens
             if tok.type == FSTRING_MIDDLE and CJK.search(tok.string)]
    start = 0
    while start < len(tokens):
        end = start
        while tokens[end].type == tokenize.STRING:  # adjacent literals are one string
            end += 1
        if end == start:
            start += 1
            continue
        alone = ((start == 0 or tokens[start - 1].type in STATEMENT_START)
                 and tokens[end].type in (tokenize.NEWLINE, tokenize.ENDMARKER))
        if not alone:
            found += [(tok.start[0], tok.string) for tok in tokens[start:end]
                      if CJK.search(tok.string)]
        start = end
    return sorted(found)


def test_the_finder_sees_literals_and_skips_docs():
    source = ('"""模块说明"""\n'
              'X = "值班"  # 注释\n'
              'def f():\n'
              '    """函数说明"""\n'
              '    return (f"{X}台"\n'
              '            "ok")\n'
              '"前" "后"\n'
              'print("a",\n'
              '      "乙")\n')
    assert [line for line, _ in chinese_literals(source)] == [2, 5, 9]


# The demo village's made-up contents (names, addresses, items, reasons) are data
DEMO_DATA = {"kiosk/demo/people.py", "kiosk/demo/households.py", "kiosk/demo/errands.py",
             "kiosk/demo/errand_rows.py", "kiosk/demo/station.py", "kiosk/demo/visits.py",
             "kiosk/demo/village_life.py"}


def test_no_chinese_literals_in_the_shell_or_the_screens():
    found = [f"{path.relative_to(ROOT)}:{line}: {literal}"
             for package in ("kiosk", "screens") for path in sorted((ROOT / package).rglob("*.py"))
             if str(path.relative_to(ROOT)) not in DEMO_DATA
             for line, literal in chinese_literals(path.read_text(encoding="utf-8"))]
    assert found == [], "move these into models/core/i18n.py and use t():\n" + "\n".join(found)


def catalogue_keys_written_twice() -> list[str]:
    """Keys that appear twice in one dict literal of the catalogue: Python keeps the
    last silently, so a wording would change without anyone seeing it."""
    import ast
    tree = ast.parse((ROOT / "models" / "core" / "i18n.py").read_text(encoding="utf-8"))
    twice = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
            twice += sorted({key for key in keys if keys.count(key) > 1})
    return twice


def test_no_catalogue_key_written_twice():
    assert catalogue_keys_written_twice() == []
