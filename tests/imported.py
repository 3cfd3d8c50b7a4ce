"""What a fresh interpreter has imported after running some code: the start-up tests' probe.

Imported by name (``from imported import imported_after``): tests/ is on sys.path through its
conftest.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable


def imported_after(code: str, names: Iterable[str], *argv: str) -> list[str]:
    """Which of the modules `names` a fresh interpreter has imported once `code` has run (with
    `argv` as sys.argv[1:]), sorted."""
    probe = f"import sys\n{code}\nprint('IMPORTED', sorted(m for m in {tuple(names)!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60)
    found = [line for line in out.stdout.splitlines() if line.startswith("IMPORTED ")]
    assert out.returncode == 0 and found, out.stdout + out.stderr
    return list(ast.literal_eval(found[-1].removeprefix("IMPORTED ")))
