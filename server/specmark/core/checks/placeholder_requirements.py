"""placeholder-requirements: the reference is a template placeholder or empty."""

from __future__ import annotations

from ..model import Finding, RefKind, Severity
from ..refs import is_placeholder

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import CheckContext

CODE = "placeholder-requirements"
DEFAULT = Severity.WARNING
SUMMARY = "The reference is a template placeholder such as [requirement IDs], TBD, or empty."


def check(ctx: CheckContext) -> Iterator[Finding]:
    malformed = RefKind.MALFORMED
    for path, who, refs, _task in ctx.unusual_citing():  # the lines that list something odd
        for ref in refs:
            if ref.placeholder is None:
                for item in ref.items:
                    if item.kind is malformed:
                        break
                else:
                    continue  # the common case: nothing to say
            if ref.placeholder is not None:
                shown = ref.placeholder or "nothing"
                span = ref.list_span if ref.placeholder else ref.label_span
                yield Finding(
                    CODE,
                    path,
                    span,
                    f"{who}: the {ref.label} line lists {shown!s}; replace it with requirement IDs such as `1.1, 2.3`",
                )
                continue
            for item in ref.items:
                if item.kind is malformed and is_placeholder(item.text):
                    yield Finding(
                        CODE,
                        path,
                        item.span,
                        f"{who}: {item.text!r} is a placeholder; replace it with a requirement ID",
                    )
