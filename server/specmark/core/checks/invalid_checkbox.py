"""invalid-checkbox: `[ x]`, `[]`, `[xx]`, `[y]` and the like on a task-looking line."""

from __future__ import annotations

from ..model import Finding, Severity

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import CheckContext

CODE = "invalid-checkbox"
DEFAULT = Severity.WARNING
SUMMARY = "A checkbox whose content is not a known status glyph."


def check(ctx: CheckContext) -> Iterator[Finding]:
    glyphs = " ".join(repr(g) for g in sorted(ctx.config.status_glyphs))
    for doc in ctx.tasks:
        for bad in doc.bad_checkboxes:
            fix = "[x]" if bad.inner.strip().lower() == "x" else "[ ]"
            yield Finding(
                CODE,
                doc.path,
                bad.span,
                f"[{bad.inner}] is not a checkbox; write {fix} (known status glyphs: {glyphs}), "
                f"or add the glyph to status-glyphs in .specmark.toml",
                data={"replacement": fix},
            )
