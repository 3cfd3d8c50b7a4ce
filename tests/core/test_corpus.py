"""Every real spec folder of the shared corpus (../shared/corpus beside the repository or
$SPECMARK_CORPUS, never copied into it; see tests/shared_corpus.py): analysing it raises nothing,
and its findings equal a reviewed JSON snapshot in tests/core/snapshots/<folder>.json (code, path
basename, 1-based line and column in code points, message). Regenerate with UPDATE_SNAPSHOTS=1
and review the diff line by line.

A folder whose findings have not been reviewed yet is listed in tests/core/snapshots/PENDING.txt:
it is still analysed (nothing may raise) but reported as skipped, "not yet reviewed", instead of
compared. Every folder has either a snapshot or a pending entry, never neither, and the pending
list names only folders that exist. To review one: remove it from PENDING.txt, run with
UPDATE_SNAPSHOTS=1, read the snapshot finding by finding against the files.

Each folder is analysed with the flavor of the place it was copied from (SOURCES.tsv):
`.claude/specs/…` is spec-workflow, `specs/NNN-…` spec-kit, `.kiro/specs/…` Kiro.

Every snapshot entry was read against the file it points at. A wrong finding would look like:
- unknown-requirement for an ID the requirements document does define (a parser missed a
  heading such as `### 要件27C:` or a criterion such as 5.10) — asserted below independently
  of the parser;
- uncovered-requirement for a criterion some task does reference (a reference token the
  parser did not read, e.g. `要件1〜6` or `**Validates: Requirements 3.1**`);
- missing-requirements on a Checkpoint task, on a parent whose sub-tasks carry the
  references, or on a task whose reference sits on a `**Validates:**` line;
- a task, reference or criterion taken from inside a fenced code block;
- malformed-reference on free text that means "all requirements" (`All …`, `全要件`,
  `所有需求…`), which is a whole-spec reference;
- a range that points at the wrong line or column (the snapshot pins both).
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest

from shared_corpus import CORPUS, PENDING_FILE, PENDING_REASON, SNAPSHOTS, folder_params, folders, pending
from specmark.core.config import Config
from specmark.core.discovery import flavor_of, spec_for_folder
from specmark.core.project import check_spec

UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
FOLDERS = folder_params()


def test_the_corpus_is_there(corpus):
    assert len(folders()) >= 10, f"{corpus} holds {len(folders())} folders"


def test_the_pending_list_names_existing_folders(corpus):
    gone = sorted(set(pending()) - set(folders()))
    assert not gone, f"{PENDING_FILE.name} lists folders that are not in {corpus}: {gone}"


def test_every_folder_is_reviewed_or_pending(corpus):
    waiting = pending()
    neither = [f for f in folders() if f not in waiting and not (SNAPSHOTS / f"{f}.json").exists()]
    assert not neither, (
        f"no reviewed snapshot and no {PENDING_FILE.name} entry for {neither}: review them "
        "(UPDATE_SNAPSHOTS=1) or add them to the pending list"
    )
    both = sorted(f for f in waiting if (SNAPSHOTS / f"{f}.json").exists())
    assert not both, (
        f"reviewed snapshots that are never compared, their folders still in {PENDING_FILE.name}: "
        f"{both}; remove them from the list"
    )
    orphans = sorted(p.stem for p in SNAPSHOTS.glob("*.json") if not (corpus / p.stem).is_dir())
    assert not orphans, f"snapshots of folders that are not in {corpus}: {orphans}"
    assert len(waiting) < len(folders()), "every folder is pending: nothing is compared"


def _original_folders() -> dict[str, str]:
    """folder → the folder it was copied from, e.g. `.claude/specs/auth-passwordless`."""
    out = {}
    with open(CORPUS / "SOURCES.tsv", encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            if len(row) >= 3:
                out[row[0]] = row[2].split("{")[0].rstrip("/")
    return out


# Folders in a shape specmark does not read as a spec, on purpose: discovery finds nothing in them
# (`specmark check` says so once, on stderr) and their snapshot is empty. Any other folder in which
# discovery finds nothing fails, so a discovery regression cannot pass as an empty snapshot.
NOT_SPECS = {
    # BMAD story files (`N.M.story.md`: `## Acceptance Criteria`, `## Tasks / Subtasks` with
    # `(AC: 1, 3)`) kept in docs/stories/: a convention specmark does not read
    "TimothySu2015__ToDoListBdd__stories",
}


# Folders that are not a spec folder on their own but are read where they came from: an OpenSpec
# main capability spec (a lone `openspec/specs/<capability>/spec.md`), a spec folder laid out in a
# shape specmark does not read (a plan named `task.md`). Their snapshot holds what `specmark check`
# reports on a copy in the original layout (openspec-* findings, the one spec-layout finding).
IN_PLACE = {
    "01hana__chatbot-backend__001-ai-chatbot-backend-system",
    "23492__norish__ingredient-parsing",
    "4lbi3__memento-mcp-extended__temporal-versioning",
}


def _in_place(folder: str, tmp: Path) -> list:
    """The findings of `specmark check` on a copy of the folder in its original layout."""
    import shutil

    from specmark.core.project import check_paths, unreadable_findings

    original = _original_folders()[folder]
    shutil.copytree(CORPUS / folder, tmp / original)
    out = check_paths([str(tmp)])
    assert out.config_errors == [], out.config_errors
    findings = [f for _spec, r in out.specs for f in r.findings]
    return findings + unreadable_findings(out.read_errors) + list(out.documents)


def analyse(folder: str, tmp: Path | None = None):
    """The folder's spec, result and read errors; a pending folder is analysed as far as it goes
    (nothing may raise) and then reported as skipped, whatever shape it is in. A folder of
    NOT_SPECS gives (None, None, []); one of IN_PLACE (None, its findings, []) when `tmp` is
    given. A document that cannot be decoded is a read error, and in the snapshot an
    unreadable-document finding, as in every output of `specmark check`."""
    path = CORPUS / folder
    spec = spec_for_folder(str(path), Config())
    if folder in NOT_SPECS and folder not in pending():
        assert spec is None, f"{folder}: discovery now reads it as a spec; review its findings"
        return None, None, []
    if folder in IN_PLACE and folder not in pending():
        assert spec is None, f"{folder}: discovery now reads it as a spec; review its findings"
        return None, (_in_place(folder, tmp) if tmp is not None else None), []
    errors: list = []
    if spec is not None:
        original = _original_folders().get(folder)
        if original:
            spec.flavor = flavor_of(original)
        result, errors = check_spec(spec, Config())
    if folder in pending():
        pytest.skip(f"{folder}: {PENDING_REASON}")
    assert spec is not None, f"{folder}: no tasks.md / requirements.md found"
    assert all(e.span is not None for e in errors), errors
    assert result is not None
    return spec, result, errors


def snapshot_of(findings) -> list[dict]:
    return [
        {
            "code": f.code,
            "path": os.path.basename(f.path),
            "line": f.span.line + 1,
            "col": f.span.col + 1,
            "message": f.message,
        }
        for f in findings
    ]


@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_findings_match_the_reviewed_snapshot(corpus, folder, tmp_path):
    from specmark.core.project import unreadable_findings

    _spec, result, errors = analyse(folder, tmp_path)
    if isinstance(result, list):
        got = snapshot_of(result)
    else:
        got = snapshot_of(result.findings + unreadable_findings(errors)) if result is not None else []
    snap = SNAPSHOTS / f"{folder}.json"
    if UPDATE:
        snap.parent.mkdir(parents=True, exist_ok=True)
        snap.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not snap.exists():
        pytest.fail(
            f"{folder} has no reviewed snapshot and is not in {PENDING_FILE.name}: write it with "
            "UPDATE_SNAPSHOTS=1 and review it finding by finding, or add the folder to the list"
        )
    want = json.loads(snap.read_text(encoding="utf-8"))
    assert got == want


# --- an independent reading of the requirements documents ---------------------------------------

_REQ_HEADING = re.compile(
    r"^#{2,5}\s+(?:Requirement|Req\.?|要件|需求|要求|요구사항|Требование|Requisito|Exigence|Anforderung|Yêu cầu)?"
    r"\s*(?P<id>(?:REQ|FR|NFR)-\d+|\d+[A-Z]?)\b",
    re.I,
)
_BOLD = re.compile(r"\*\*(?P<p>FR|SC|NFR|REQ)-?(?P<n>\d+(?:\.\d+)*)(?::[^*]*)?\*\*")
_PREFIXED_BULLET = re.compile(r"^\s*[-*+]\s+(?P<p>FR|NFR|SC|AC|REQ)-?(?P<n>\d+(?:\.\d+)*)\s*:")
_STORY = re.compile(
    r"^#{2,5}\s+(?:User Story|ユーザーストーリー|ユーザストーリー|用户故事|使用者故事|用戶故事|사용자 스토리)\s*(?P<n>\d+)",
    re.I,
)
_WRITTEN = re.compile(r"^\s*(?:[-*+]\s+)?(?P<id>\d+\.\d+)\s+(?:WHEN|IF|WHILE|WHERE|THE|GIVEN)\b")
_WRITTEN_BULLET = re.compile(r"^\s*[-*+]\s+(?P<id>\d+[A-Z]?\.\d+)\s")
_ITEM = re.compile(r"^(?P<n>\d+)[.)]\s")


def defined_ids(text: str) -> set[str]:
    """The IDs a requirements document defines, found with plain regular expressions: headings
    (also localised), bold FR/SC IDs and prefixed `- FR-1.1:` bullets (as `FR-1.1`, their parent
    `FR-1` too), user stories, written bugfix IDs, `- 1.1 text` bullets under requirement 1, and
    N.M for the M-th unindented numbered item of requirement N (outside fenced code)."""
    ids: set[str] = set()
    current = None
    count = 0
    fence = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        m = _REQ_HEADING.match(line)
        if m and line.lstrip("#").strip()[:1] != "":
            current, count = m.group("id").upper(), 0
            ids.add(current)
            continue
        m = _STORY.match(line)
        if m:
            ids.add(f"US{m.group('n')}")
            current = None
            continue
        if line.startswith("#"):
            continue
        for p, num in _BOLD.findall(line) + _PREFIXED_BULLET.findall(line):
            ids.add(f"{p.upper()}-{num}")
            ids.add(f"{p.upper()}-{num.split('.')[0]}")
        m = _WRITTEN.match(line)
        if m:
            ids.add(m.group("id"))
            ids.add(m.group("id").split(".")[0])
            continue
        m = _WRITTEN_BULLET.match(line)
        if m and current and m.group("id").split(".")[0].upper() == current:
            ids.add(m.group("id").upper())
            continue
        if current and _ITEM.match(line):
            count += 1
            ids.add(f"{current}.{count}")
    return ids


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_unknown_requirement_that_the_document_defines(corpus, folder):
    spec, result, errors = analyse(folder)
    if spec is None or spec.requirements_path is None:
        return
    if any(e.path == spec.requirements_path for e in errors):
        return  # an undecodable requirements document: its finding is in the snapshot
    text = Path(spec.requirements_path).read_text(encoding="utf-8")
    defined = defined_ids(text)
    for f in result.findings:
        if f.code == "unknown-requirement":
            assert f.data["id"].upper() not in defined, f


def test_the_independent_reading_finds_ids(corpus):
    """Guard for the guard: the regular expressions above do find what the corpus defines."""
    ids = defined_ids(
        (CORPUS / "inakanou__ArchiTrack__user-authentication" / "requirements.md").read_text(encoding="utf-8")
    )
    assert {"1", "16A", "27C", "27C.4", "5.10", "1.1"} <= ids
    ids = defined_ids(
        (CORPUS / "kkg-labs__nooklet-fullstack__rag-test-interface" / "requirements.md").read_text(
            encoding="utf-8"
        )
    )
    assert {"REQ-001", "REQ-002.1"} <= ids
    ids = defined_ids(
        (CORPUS / "dougis-org__dnd-tracker__005-character-management-pages" / "spec.md").read_text(
            encoding="utf-8"
        )
    )
    assert {"US1", "US5", "FR-001", "SC-005"} <= ids
    ids = defined_ids((CORPUS / "j5ik2o__takt-forge__qfind" / "requirements.md").read_text(encoding="utf-8"))
    assert {"1", "1.1", "1.4", "8.3"} <= ids
    ids = defined_ids(
        (CORPUS / "13g7895123__fitness__001-fitness-tracking" / "spec.md").read_text(encoding="utf-8")
    )
    assert {"US1", "US6", "FR-001"} <= ids
    assert {"FR-1", "FR-1.1", "AC-6.1", "1.1", "US2"} <= defined_ids(
        "### Requirement 1\n**Acceptance Criteria:**\n- 1.1 text\n"
        "**FR-1: Title**\n- **FR1.1**: x\n- AC-6.1: y\n### 用户故事 2 — 登录\n"
    )


@pytest.mark.parametrize("folder", FOLDERS)
def test_parsing_matches_the_research_notes(corpus, folder):
    """Counts from FORMATS.md (§1.5 table): checkboxes, leaves, leaves with references."""
    expected = {
        "Homas__RpiDNS__user-authentication": (47, 36, 33),
        "LeeSanderson__Yello__frontend-authentication": (33, 23, 22),
        "chiisen__KIRO__todo-list": (20, 15, 15),
        "geekzy__user-auth-service__user-authentication": (71, 59, 57),
        "inakanou__ArchiTrack__user-authentication": (34, 32, 23),
        "jp-ryuji__twitterx-api__user-authentication": (20, 20, 20),
        "kirodotdev__Kiro__github-issue-automation": (62, 52, 46),
        "kkg-labs__nooklet-fullstack__rag-test-interface": (16, 16, 16),
    }.get(folder)
    if expected is None:
        pytest.skip("not in the research table")
    _spec, result, _errors = analyse(folder)
    (doc,) = result.tasks
    boxes = [t for t in doc.tasks if t.kind == "list"]
    leaves = [t for t in boxes if t.is_leaf]
    with_refs = [t for t in leaves if t.refs or t.story]
    assert (len(boxes), len(leaves), len(with_refs)) == expected
