#!/usr/bin/env python3
"""Generate synthetic, deterministic spec folders for the specmark benchmarks.

    python bench/gen.py OUT [--lines 300 1000 10000 100000] [--requirements 100]
                        [--criteria 10] [--seed 1] [--workspace 500]

writes, for each size N:

    OUT/.kiro/specs/bench-N/requirements.md   100 requirements x 10 criteria = 1,000 criteria
    OUT/.kiro/specs/bench-N/tasks.md          exactly N lines

The tasks.md has the shape of a real Kiro plan (see the corpus): top-level tasks `- [ ] K. Title`,
sub-tasks at 2 spaces (`  - [x] K.J Title`), details at 4 spaces, `- [ ]*` optional tasks, a
`_Requirements: a.b, c.d_` line closing every leaf task and a blank line between tasks. The
references walk through the criteria in order, so every criterion is covered once the plan has
enough leaves (about 1,000 lines); a few deliberate findings are planted (about one per 2,000
lines, at least two): an unknown criterion (`7.14`) and a leaf task without references.

With --workspace M, also writes OUT/workspace-M/.kiro/specs/spec-XXX/ (M small specs, about 60
lines of tasks and 5 x 4 criteria each) for the workspace-indexing benchmark.

Lines stay under 80 characters and the Markdown is otherwise clean, so `rumdl check` has
(almost) nothing to say either: both tools do the same amount of reporting.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

SIZES = (300, 1000, 10000, 100000)

VERBS = [
    "Implement",
    "Add",
    "Create",
    "Wire",
    "Refactor",
    "Write",
    "Validate",
    "Extend",
    "Document",
    "Configure",
    "Harden",
    "Cache",
    "Expose",
    "Migrate",
    "Test",
]
NOUNS = [
    "parser",
    "resolver",
    "index",
    "renderer",
    "scheduler",
    "exporter",
    "loader",
    "store",
    "handler",
    "client",
    "validator",
    "formatter",
    "router",
    "queue",
    "watcher",
    "reporter",
]
AREAS = [
    "issue",
    "label",
    "comment",
    "workflow",
    "config",
    "session",
    "account",
    "payment",
    "search",
    "audit",
    "upload",
    "profile",
    "billing",
    "metrics",
    "webhook",
    "template",
]
DETAILS = [
    "Handle empty input and report a clear error",
    "Keep the public interface small and typed",
    "Log failures with enough context to debug them",
    "Reuse the shared retry helper for network calls",
    "Cover the edge cases listed in the design document",
    "Return early when the feature flag is off",
    "Emit a metric for every processed item",
    "Store timestamps in UTC",
    "Add the new module to the package exports",
    "Make the operation idempotent",
]
ACTORS = [
    "Issue_Manager",
    "Label_Assigner",
    "Scheduler",
    "Exporter",
    "Config_Loader",
    "Audit_Log",
    "Search_Index",
    "Webhook_Relay",
]


def requirements_md(n_req: int, n_crit: int, rng: random.Random, title: str = "Bench") -> str:
    out = [
        "# Requirements Document",
        "",
        "## Introduction",
        "",
        f"Synthetic requirements for the {title} benchmark spec.",
        "",
        "## Requirements",
        "",
    ]
    for r in range(1, n_req + 1):
        area = rng.choice(AREAS)
        out += [
            f"### Requirement {r}: {area.capitalize()} {rng.choice(NOUNS)} {r}",
            "",
            f"**User Story:** As a maintainer, I want the {area} {rng.choice(NOUNS)}, so that work flows.",
            "",
            "#### Acceptance Criteria",
            "",
        ]
        for c in range(1, n_crit + 1):
            out.append(f"{c}. WHEN a {area} event {c} arrives, THE {rng.choice(ACTORS)} SHALL process it")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


class _Refs:
    """Cycles through every criterion ID in order (1.1 … 100.10, then again)."""

    def __init__(self, n_req: int, n_crit: int):
        self.ids = [f"{r}.{c}" for r in range(1, n_req + 1) for c in range(1, n_crit + 1)]
        self.i = 0

    def take(self, k: int) -> list[str]:
        out = []
        for _ in range(k):
            out.append(self.ids[self.i % len(self.ids)])
            self.i += 1
        return out


def _title(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} the {rng.choice(AREAS)} {rng.choice(NOUNS)}"


def tasks_md(n_lines: int, n_req: int, n_crit: int, rng: random.Random, findings: int | None = None) -> str:
    """A Kiro tasks.md of exactly `n_lines` lines (n_lines >= 12)."""
    if n_lines < 12:
        raise ValueError("a tasks.md needs at least 12 lines")
    head = ["# Implementation Plan", "", "## Tasks", ""]
    refs = _Refs(n_req, n_crit)
    lines = list(head)
    budget = n_lines - 1  # keep the final line for the closing "- [ ] K. Final checkpoint" leaf
    k = 0
    # how many leaves get a planted finding, spread evenly and deterministically
    if findings is None:
        findings = max(2, n_lines // 2000)
    blocks: list[list[str]] = []
    while True:
        k += 1
        mark = refs.i
        n_sub = rng.randint(2, 5)
        all_done = rng.random() < 0.4
        block = [f"- [{'x' if all_done else ' '}] {k}. {_title(rng)}"]
        required_open = False
        for j in range(1, n_sub + 1):
            done = all_done or rng.random() < 0.3
            optional = (not done) and rng.random() < 0.15
            box = "[x]" if done else "[ ]*" if optional else "[ ]"
            required_open |= box == "[ ]"
            block.append(f"  - {box} {k}.{j} {_title(rng)}")
            for _ in range(rng.randint(1, 4)):
                block.append(f"    - {rng.choice(DETAILS)}")
            block.append(f"    - _Requirements: {', '.join(refs.take(rng.randint(1, 3)))}_")
            if j < n_sub:
                block.append("")
        block.append("")
        # a parent is done exactly when all its required (non-optional) sub-tasks are
        block[0] = f"- [{' ' if required_open else 'x'}] {k}. {block[0].split('. ', 1)[1]}"
        if len(lines) + len(block) > budget - 3:
            k -= 1
            refs.i = mark  # the block is dropped: give its references back
            break
        blocks.append(block)
        lines += block
    # pad to exactly n_lines with a final top-level leaf task: task, details…, reference
    rest = n_lines - len(lines)
    k += 1
    tail = [f"- [ ] {k}. Final checkpoint, make sure all tests pass"]
    tail += [f"  - {DETAILS[i % len(DETAILS)]}" for i in range(rest - 2)]
    if refs.i < len(refs.ids) - 1:  # a short plan: the checkpoint covers the rest as a range
        tail.append(f"  - _Requirements: {refs.ids[refs.i]}-{refs.ids[-1]}_")
    else:
        tail.append(f"  - _Requirements: {', '.join(refs.take(2))}_")
    lines += tail
    assert len(lines) == n_lines, (len(lines), n_lines)
    # plant findings in evenly spaced reference lines
    ref_rows = [i for i, t in enumerate(lines) if t.lstrip().startswith("- _Requirements:")]
    if findings and ref_rows:
        step = max(1, len(ref_rows) // (findings + 1))
        for n, row in enumerate(ref_rows[step::step][:findings]):
            indent = lines[row][: len(lines[row]) - len(lines[row].lstrip())]
            if n % 2 == 0:  # unknown criterion: requirement 7 has no criterion 14
                lines[row] = f"{indent}- _Requirements: 7.{n_crit + 4}_"
            else:  # leaf without a reference: the line becomes a plain detail
                lines[row] = f"{indent}- {DETAILS[n % len(DETAILS)]}"
    return "\n".join(lines) + "\n"


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def generate(
    out: str,
    sizes=SIZES,
    n_req: int = 100,
    n_crit: int = 10,
    seed: int = 1,
    workspace: int = 0,
    findings: int | None = None,
) -> dict:
    """Write the bench specs (and optionally a workspace); returns {size: folder, 'workspace': root}."""
    made: dict = {}
    req_text = requirements_md(n_req, n_crit, random.Random(seed))
    for n in sizes:
        folder = os.path.join(out, ".kiro", "specs", f"bench-{n}")
        write(os.path.join(folder, "requirements.md"), req_text)
        write(
            os.path.join(folder, "tasks.md"),
            tasks_md(n, n_req, n_crit, random.Random(seed * 7919 + n), findings),
        )
        made[n] = folder
    if workspace:
        root = os.path.join(out, f"workspace-{workspace}")
        for i in range(1, workspace + 1):
            rng = random.Random(seed * 104729 + i)
            folder = os.path.join(root, ".kiro", "specs", f"spec-{i:03d}")
            write(os.path.join(folder, "requirements.md"), requirements_md(5, 4, rng, f"spec-{i:03d}"))
            write(os.path.join(folder, "tasks.md"), tasks_md(60, 5, 4, rng, findings=0))
        made["workspace"] = root
    return made


def small_spec(folder: str, lines: int = 300, seed: int = 1) -> None:
    """One spec of `lines` lines in all: requirements.md (8 requirements x 5 criteria, 103 lines)
    and a tasks.md of the rest, with two planted findings."""
    rng = random.Random(seed)
    req = requirements_md(8, 5, rng, os.path.basename(folder))
    write(os.path.join(folder, "requirements.md"), req)
    write(os.path.join(folder, "tasks.md"), tasks_md(lines - req.count("\n"), 8, 5, rng))


def repository(root: str, specs: int = 200, lines: int = 300, seed: int = 1) -> str:
    """`specs` specs of `lines` lines each under root/.kiro/specs/; returns that folder."""
    base = os.path.join(root, ".kiro", "specs")
    for i in range(1, specs + 1):
        small_spec(os.path.join(base, f"spec-{i:03d}"), lines, seed * 104729 + i)
    return base


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output folder (created)")
    ap.add_argument("--lines", type=int, nargs="+", default=list(SIZES), help="tasks.md sizes in lines")
    ap.add_argument("--requirements", type=int, default=100)
    ap.add_argument("--criteria", type=int, default=10, help="criteria per requirement")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--findings",
        type=int,
        default=None,
        help="planted findings per tasks.md (default: 1 per 2,000 lines)",
    )
    ap.add_argument(
        "--workspace", type=int, default=0, metavar="M", help="also write a workspace of M small specs"
    )
    a = ap.parse_args(argv)
    made = generate(a.out, a.lines, a.requirements, a.criteria, a.seed, a.workspace, a.findings)
    for key, folder in made.items():
        print(f"{key}: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
