"""The wording family over a folder of specs: findings per rule and per 100 statements, and
(with --list) every finding with its line, to read and judge.

    python bench/wording_report.py ../shared/corpus [--list] [--rule wording-vague]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys


def main(argv: list[str] | None = None) -> int:
    from specmark.core.checks import FAMILIES, CheckContext
    from specmark.core.checks.wording import statements
    from specmark.core.config import Config
    from specmark.core.discovery import spec_for_folder
    from specmark.core.project import check_spec

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root")
    ap.add_argument("--list", action="store_true", help="print every finding with its line")
    ap.add_argument("--rule", default=None, help="only this rule")
    args = ap.parse_args(argv)

    config = Config(wording=True)
    codes = sorted(FAMILIES["wording"])
    counts: collections.Counter[str] = collections.Counter()
    n_statements = 0
    folders = [args.root] + sorted(
        os.path.join(args.root, n) for n in os.listdir(args.root) if os.path.isdir(os.path.join(args.root, n))
    )
    for folder in folders:
        spec = spec_for_folder(folder, config)
        if spec is None:
            continue
        result, _errors = check_spec(spec, config, select=["wording"])
        if result is None:
            continue
        req = result.requirements
        if req is not None:
            ctx = CheckContext(config, spec.flavor, [], req, None)
            n_statements += sum(1 for _ in statements(ctx))
        for f in result.findings:
            if args.rule and f.code != args.rule:
                continue
            counts[f.code] += 1
            if args.list:
                line = req.lines[f.span.line] if req is not None else ""
                where = os.path.relpath(f.path, args.root)
                print(f"{where}:{f.span.line + 1}:{f.span.col + 1}: [{f.code}] {f.data.get('term')!r}")
                print(f"    {line.strip()[:220]}")
    print(f"\n{n_statements} statements (criteria and requirement statements)")
    print(f"{'rule':24} {'findings':>8} {'per 100':>8}")
    for code in codes:
        if args.rule and code != args.rule:
            continue
        per = 100 * counts[code] / n_statements if n_statements else 0.0
        print(f"{code:24} {counts[code]:8} {per:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
