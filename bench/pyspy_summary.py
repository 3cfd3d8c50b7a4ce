#!/usr/bin/env python3
"""Summarise py-spy's collapsed stacks (`py-spy record --format raw`): inclusive and self time
per function, as a share of all samples.

    python bench/pyspy_summary.py STACKS.txt [--only specmark] [--top 40] [--under FUNC]

--under keeps only the samples whose stack contains FUNC (e.g. `State.result` to see one
analysis, `completion` for completion requests), and shares are then relative to those.
"""

from __future__ import annotations

import argparse
import collections
import re

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*?)(?::\d+)?\)$")


def frames_of(stack: str) -> list[str]:
    out = []
    for f in stack.split(";"):
        m = FRAME.match(f)
        out.append(f"{m.group('file')}:{m.group('func')}" if m else f)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stacks")
    ap.add_argument("--only", default="", help="list only functions whose file:function contains this")
    ap.add_argument("--under", default="", help="keep only samples whose stack contains this")
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args(argv)
    total: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    package: collections.Counter = collections.Counter()
    n = 0
    with open(a.stacks, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or " " not in line:
                continue
            stack, count = line.rsplit(" ", 1)
            frames = frames_of(stack)
            if a.under and not any(a.under in f for f in frames):
                continue
            c = int(count)
            n += c
            for f in set(frames):
                total[f] += c
            own[frames[-1]] += c
            package[frames[-1].split("/")[0].split(":")[0]] += c
    print(f"{n} samples" + (f" under {a.under!r}" if a.under else ""))
    print("\ninclusive (function and what it calls)")
    shown = 0
    for f, c in total.most_common():
        if a.only in f:
            print(f"  {100 * c / n:5.1f}%  {f}")
            shown += 1
            if shown >= a.top:
                break
    print("\nself (the function's own code)")
    for f, c in own.most_common(min(a.top, 25)):
        print(f"  {100 * c / n:5.1f}%  {f}")
    print("\nself by top-level package / file")
    for f, c in package.most_common(12):
        print(f"  {100 * c / n:5.1f}%  {f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
