"""Every navigation feature over every real spec folder of the shared corpus: no errors and
sensible, non-empty results (Kiro English/Chinese/Japanese, cc-sdd, spec-workflow, spec-kit)."""

from __future__ import annotations

import pytest

from shared_corpus import CORPUS, folder_params, skip_if_pending
from specmark.core.config import Config
from specmark.core.discovery import spec_for_folder
from specmark.core.features.navigation import common
from specmark.core.features.navigation.codelens import code_lenses
from specmark.core.features.navigation.definition import definition
from specmark.core.features.navigation.folding import folding_ranges
from specmark.core.features.navigation.hover import hover
from specmark.core.features.navigation.inlay import inlay_hints
from specmark.core.features.navigation.links import document_links
from specmark.core.features.navigation.references import references
from specmark.core.features.navigation.rename import RenameError, prepare_rename, rename
from specmark.core.features.navigation.renumber import renumber_actions
from specmark.core.features.navigation.semantic import semantic_tokens
from specmark.core.features.navigation.symbols import document_symbols, workspace_symbols
from specmark.core.project import check_spec
from specmark.core.tasks import parse_tasks

FOLDERS = folder_params()


def _load(name: str):
    spec = spec_for_folder(str(CORPUS / name), Config())
    assert spec is not None and spec.tasks_paths and spec.requirements_path
    result, errors = check_spec(spec, Config())
    if errors:  # reported as unreadable-document (its snapshot pins it); nothing to navigate
        pytest.skip(f"{name}: {errors[0].path} cannot be read ({errors[0].message})")
    assert result is not None
    return spec.tasks_paths[0], spec.requirements_path, result


def _apply(lines: list[str], edits) -> str:
    lines = list(lines)
    for e in sorted(edits, key=lambda e: (e.span.line, e.span.col), reverse=True):
        assert e.span.line == e.span.end_line
        row = lines[e.span.line]
        lines[e.span.line] = row[: e.span.col] + e.new_text + row[e.span.end_col :]
    return "\n".join(lines)


@pytest.mark.parametrize("name", FOLDERS)
def test_every_feature_on_corpus_folder(corpus, name):
    skip_if_pending(name)
    spec = spec_for_folder(str(CORPUS / name), Config())
    if spec is None:
        pytest.skip(f"{name}: no spec documents specmark reads (e.g. BMAD story files)")
    if spec.requirements_path is None:
        pytest.skip(f"{name}: no requirements document, nothing to navigate to (e.g. an OpenSpec change)")
    if not spec.tasks_paths:
        pytest.skip(f"{name}: no plan, nothing to navigate from (e.g. a bugfix.md without tasks.md)")
    tasks_path, req_path, result = _load(name)
    doc = common.tasks_doc(result, tasks_path)
    req = result.requirements
    assert doc is not None and req is not None and req.requirements
    if not any(t.refs or t.story for t in doc.tasks):
        pytest.skip(f"{name}: its plan cites no requirement, nothing links the two documents")

    # views
    lenses = code_lenses(result, tasks_path)
    assert lenses[0].span.line == 0 and " tasks done" in lenses[0].title
    req_lenses = code_lenses(result, req_path)
    assert req_lenses and all(
        lens.title == "not covered" or lens.title.startswith("covered by ") for lens in req_lenses
    )
    assert any(lens.locations for lens in req_lenses)
    assert document_symbols(result, tasks_path) and document_symbols(result, req_path)
    assert folding_ranges(result, tasks_path) and folding_ranges(result, req_path)
    assert document_links(result, tasks_path)
    # a hint shows a requirement's title (or criterion's text): none when the cited ones have none
    titled = any(
        (req_ := common.find_requirement(result, ident))[0] is not None
        and (req_[0].title or req_[1] is not None)
        for tok in common.requirement_tokens(doc)
        if tok.part != "all" and (ident := result.resolver.canonical(tok.raw))
    )
    assert bool(inlay_hints(result, tasks_path)) == titled
    assert semantic_tokens(result, tasks_path) and semantic_tokens(result, req_path)
    everything = workspace_symbols([(name, result)], "", limit=100_000)
    assert len(everything) == sum(1 for t in doc.tasks if common.task_name(t)) + len(req.requirements)

    # hover, definition and references at every reference, and across every line
    tokens = list(common.requirement_tokens(doc))
    assert tokens
    known = 0
    for tok in tokens:
        h = hover(result, tasks_path, tok.span.line, tok.span.col)
        assert h is not None and h.markdown
        if tok.part != "all" and result.resolver.canonical(tok.raw):
            known += 1
            locs = definition(result, tasks_path, tok.span.line, tok.span.col)
            assert locs and locs[0].path == req_path
            refs = references(result, tasks_path, tok.span.line, tok.span.col)
            assert any(loc.span == tok.span or loc.span.contains(tok.span.line, tok.span.col) for loc in refs)
    assert known
    for n, line in enumerate(doc.lines):
        for c in {0, len(line) // 2, len(line)}:
            hover(result, tasks_path, n, c)
            definition(result, tasks_path, n, c)
            references(result, tasks_path, n, c)
    for t in doc.tasks:
        h = hover(result, tasks_path, t.line, t.title_span.col)
        assert h is not None and "Status:" in h.markdown
    for r in req.requirements:
        h = hover(result, req_path, r.line, r.span.col)
        assert h is not None and ("overed by" in h.markdown or "Not covered" in h.markdown)

    # rename every requirement to an unused ID (or be told why not)
    # (a bugfix.md group has no ID of its own: its criteria's written IDs are renamed instead)
    renamed = 0
    targets = [(r.id, r.kind, r.line, r.id_span.col) for r in req.requirements]
    targets += [
        (c.id, "criterion", c.line, c.span.col)
        for r in req.requirements
        if r.kind == "bugfix-group"
        for c in r.criteria[:1]
        if not c.derived
    ]
    for ident, kind, line, col in targets:
        try:
            target = prepare_rename(result, req_path, line, col)
        except RenameError as exc:
            assert str(exc)
            continue
        assert target is not None and target.placeholder == ident
        fresh = (
            "US99"
            if kind == "story"
            else "9.90"
            if kind == "criterion"
            else "990"
            if ident[0].isdigit()
            else ident.split("-")[0] + "-990"
        )
        edits = rename(result, req_path, line, col, fresh)
        assert edits and edits[0].path == req_path
        renamed += 1
        if renamed >= 3:
            break
    assert renamed

    # renumbering is idempotent
    actions = renumber_actions(doc)
    if actions:
        again = parse_tasks(_apply(doc.lines, actions[0].edits), tasks_path, flavor=doc.flavor)
        assert renumber_actions(again) == []
