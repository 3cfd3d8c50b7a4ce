"""Spec discovery: the spec roots of each convention, explicit folders and files, skipped and
excluded folders, symlinks, the max-files limit; and reading specs from disk (project.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from specstrings import config

from specmark.core.config import Config
from specmark.core.discovery import discover, flavor_of
from specmark.core.project import check_paths


def touch(root: Path, *rels: str, text: str = "") -> None:
    for rel in rels:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def found(root: Path, cfg: Config | None = None):
    d = discover(str(root), cfg or Config())
    return [(os.path.relpath(s.folder, root).replace(os.sep, "/"), s.flavor) for s in d.specs]


def test_spec_roots_of_every_convention(tmp_path: Path):
    touch(
        tmp_path,
        ".kiro/specs/user-login/requirements.md",
        ".kiro/specs/user-login/tasks.md",
        ".kiro/specs/user-login/design.md",
        ".kiro/specs/bug-fix/bugfix.md",
        ".kiro/specs/bug-fix/tasks.md",
        ".spec-workflow/specs/rag/tasks.md",
        ".claude/specs/auth/requirements.md",
        "specs/005-pages/spec.md",
        "specs/005-pages/tasks.md",
        "specs/005-pages/plan.md",
        "specs/006-draft/spec.md",
        "openspec/changes/add-update/tasks.md",
        "openspec/changes/add-update/proposal.md",
        "openspec/changes/add-update/specs/cli/spec.md",
        "openspec/specs/cli/spec.md",
        "docs/plan/tasks.md",
        "README.md",
        "notes/spec.md",
    )
    assert found(tmp_path) == [
        (".claude/specs/auth", "spec-workflow"),
        (".kiro/specs/bug-fix", "kiro"),
        (".kiro/specs/user-login", "kiro"),
        (".spec-workflow/specs/rag", "spec-workflow"),
        ("docs/plan", "kiro"),  # any folder with tasks.md is a spec
        ("openspec/changes/add-update", "openspec"),  # its capability specs/*/spec.md are not
        ("specs/005-pages", "spec-kit"),
        ("specs/006-draft", "spec-kit"),  # spec-kit: a spec.md alone is a spec
    ]
    specs = {os.path.basename(s.folder): s for s in discover(str(tmp_path), Config()).specs}
    login = specs["user-login"]
    assert [os.path.basename(p) for p in login.tasks_paths] == ["tasks.md"]
    assert os.path.basename(login.requirements_path) == "requirements.md"
    assert os.path.basename(login.design_path) == "design.md"
    assert os.path.basename(specs["bug-fix"].requirements_path) == "bugfix.md"
    assert os.path.basename(specs["005-pages"].requirements_path) == "spec.md"


@pytest.mark.parametrize(
    "folder, flavor",
    [
        ("/p/.kiro/specs/x", "kiro"),
        ("/p/.spec-workflow/specs/x", "spec-workflow"),
        ("/p/.claude/specs/x", "spec-workflow"),
        ("/p/openspec/changes/x", "openspec"),
        ("/p/openspec/changes/archive/2025-01-01-x", "openspec"),
        ("/p/anything/x", "kiro"),
    ],
)
def test_flavor_of(folder, flavor):
    assert flavor_of(folder) == flavor


def test_skipped_folders(tmp_path: Path):
    touch(
        tmp_path,
        ".git/specs/a/tasks.md",
        "node_modules/pkg/tasks.md",
        ".venv/x/tasks.md",
        "build/tasks.md",
        "real/tasks.md",
    )
    assert found(tmp_path) == [("real", "kiro")]


def test_exclude_globs(tmp_path: Path):
    touch(tmp_path, "archive/old/tasks.md", "drafts/tasks.md", "live/tasks.md", "live/sub/drafts/tasks.md")
    cfg = config('exclude = ["archive/*", "drafts"]')
    assert found(tmp_path, cfg) == [("live", "kiro")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlinked_folders_are_not_followed(tmp_path: Path):
    outside = tmp_path / "outside"
    touch(outside, "spec/tasks.md")
    root = tmp_path / "root"
    touch(root, "mine/tasks.md")
    try:
        os.symlink(outside, root / "link", target_is_directory=True)
        os.symlink(root, root / "mine" / "loop", target_is_directory=True)
    except OSError:
        pytest.skip("cannot create symlinks")
    assert found(root) == [("mine", "kiro")]


def test_max_files_stops_the_walk_and_says_so(tmp_path: Path):
    for i in range(5):
        touch(tmp_path, f"s{i}/tasks.md")
    d = discover(str(tmp_path), config("max-files = 3"))
    assert d.truncated is not None
    assert "stopped after 3 files" in d.truncated and "max-files" in d.truncated
    assert discover(str(tmp_path), Config()).truncated is None


def test_custom_document_names(tmp_path: Path):
    touch(tmp_path, "a/plan.md", "a/reqs.md", "b/tasks.md")
    cfg = config('tasks-documents = ["plan.md"]\nrequirements-documents = ["reqs.md"]')
    assert found(tmp_path, cfg) == [("a", "kiro")]


def test_explicit_folder(tmp_path: Path):
    touch(tmp_path, ".kiro/specs/one/tasks.md", ".kiro/specs/two/tasks.md")
    assert found(tmp_path / ".kiro" / "specs" / "one") == [(".", "kiro")]


def test_explicit_tasks_file(tmp_path: Path):
    touch(tmp_path, "s/tasks.md", "s/requirements.md", "s/other-tasks.md")
    (spec,) = discover(str(tmp_path / "s" / "tasks.md"), Config()).specs
    assert spec.tasks_paths == [str(tmp_path / "s" / "tasks.md")]
    assert spec.requirements_path == str(tmp_path / "s" / "requirements.md")
    # any file named explicitly is read as a tasks document
    (spec,) = discover(str(tmp_path / "s" / "other-tasks.md"), Config()).specs
    assert spec.tasks_paths == [str(tmp_path / "s" / "other-tasks.md")]


def test_explicit_requirements_file(tmp_path: Path):
    touch(tmp_path, "s/tasks.md", "s/bugfix.md")
    (spec,) = discover(str(tmp_path / "s" / "bugfix.md"), Config()).specs
    assert spec.requirements_path == str(tmp_path / "s" / "bugfix.md")
    assert spec.tasks_paths == [str(tmp_path / "s" / "tasks.md")]


def test_explicit_design_file_is_its_spec(tmp_path: Path):
    touch(tmp_path, "s/tasks.md", "s/requirements.md", "s/design.md", "notes/design.md")
    (spec,) = discover(str(tmp_path / "s" / "design.md"), Config()).specs
    assert spec.tasks_paths == [str(tmp_path / "s" / "tasks.md")]
    assert spec.requirements_path == str(tmp_path / "s" / "requirements.md")
    assert spec.design_path == str(tmp_path / "s" / "design.md")
    # a design.md whose folder holds no spec: nothing to check (it was read as a tasks document)
    assert discover(str(tmp_path / "notes" / "design.md"), Config()).specs == []


def test_check_paths_of_one_spec_s_files_checks_it_once(tmp_path: Path):
    """What a pre-commit hook passes: the changed documents of a spec → that spec, once."""
    touch(tmp_path, "s/tasks.md", text="- [ ] 1. Task\n  - _Requirements: 1.1_\n")
    touch(tmp_path, "s/requirements.md", text="### Requirement 1\n1. WHEN x THE y SHALL z\n")
    touch(tmp_path, "s/design.md", text="**Validates: Requirements 1.1**\n")
    files = [str(tmp_path / "s" / n) for n in ("design.md", "requirements.md", "tasks.md")]
    res = check_paths(files)
    assert len(res.specs) == 1
    assert [f.code for _, r in res.specs for f in r.findings] == []


# --- project.py: reading specs from disk ------------------------------------------------------------


def test_check_paths_reads_and_analyses(tmp_path: Path):
    touch(tmp_path, ".kiro/specs/a/tasks.md", text="- [ ] 1. Task\n  - _Requirements: 1.9_\n")
    touch(tmp_path, ".kiro/specs/a/requirements.md", text="### Requirement 1\n1. WHEN x\n")
    res = check_paths([str(tmp_path)])
    assert res.read_errors == [] and res.config_errors == []
    ((spec, result),) = res.specs
    assert spec.name == "a"
    assert [f.code for f in result.findings] == ["uncovered-requirement", "unknown-requirement"]


def test_check_paths_reports_read_errors_and_goes_on(tmp_path: Path):
    touch(tmp_path, "good/tasks.md", text="- [ ] 1. Fine\n")
    bad = tmp_path / "bad" / "tasks.md"
    bad.parent.mkdir()
    bad.write_bytes(b"- [ ] 1. Caf\xe9\n")
    res = check_paths([str(tmp_path), str(tmp_path / "missing")])
    assert [os.path.basename(s.folder) for s, _ in res.specs] == ["good"]
    assert [(e.path, e.message) for e in res.read_errors] == [
        (str(bad), "not valid UTF-8 (byte 0xe9 at offset 12); re-save the file as UTF-8"),
        (str(tmp_path / "missing"), "no such file or directory"),
    ]


def test_check_paths_max_file_size(tmp_path: Path):
    touch(tmp_path, "s/tasks.md", text="- [ ] 1. Big\n" * 20)
    touch(tmp_path, ".specmark.toml", text="max-file-size = 100\n")
    res = check_paths([str(tmp_path)])
    (err,) = res.read_errors
    assert "over max-file-size (100)" in err.message


def test_check_paths_strips_bom_and_reads_config(tmp_path: Path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "tasks.md").write_bytes("\ufeff- [ ] 1. Task\n".encode("utf-8"))
    touch(tmp_path, ".specmark.toml", text='require-references = "none"\nwhat = 1\n')
    res = check_paths([str(tmp_path)])
    ((_spec, result),) = res.specs
    assert result.findings == []
    assert result.tasks[0].tasks[0].id_span.col == 6  # no BOM column any more
    assert [e.key for e in res.config_errors] == ["what"]


def test_spec_workflow_folder_reads_tilde_as_blocked(tmp_path: Path):
    touch(tmp_path, ".spec-workflow/specs/a/tasks.md", ".kiro/specs/b/tasks.md", text="- [~] 1. Waiting\n")
    res = check_paths([str(tmp_path)])
    statuses = {spec.name: result.tasks[0].tasks[0].status.value for spec, result in res.specs}
    assert statuses == {"a": "blocked", "b": "queued"}


# ---- folders that are not specs, archived changes, and layouts specmark does not read ------------


def layout(root: Path, cfg: Config | None = None):
    d = discover(str(root), cfg or Config())
    return [(os.path.relpath(p, root).replace(os.sep, "/"), sev) for p, _msg, sev in d.layout]


def test_spec_kit_checklists_are_not_a_second_spec(tmp_path: Path):
    touch(tmp_path, "specs/001-x/spec.md", "specs/001-x/plan.md", "specs/001-x/tasks.md")
    touch(tmp_path, "specs/001-x/checklists/requirements.md", text="# Checklist\n\n- [x] No details\n")
    assert found(tmp_path) == [("specs/001-x", "spec-kit")]
    assert layout(tmp_path) == []
    # a checklists/ folder that is not inside a spec-kit spec is not special
    touch(tmp_path, ".kiro/specs/checklists/requirements.md", ".kiro/specs/checklists/tasks.md")
    assert ("./.kiro/specs/checklists"[2:], "kiro") in found(tmp_path)


def test_archived_openspec_changes_are_skipped_unless_configured(tmp_path: Path):
    touch(
        tmp_path,
        "openspec/changes/add-sso/tasks.md",
        "openspec/changes/archive/2025-01-01-old/tasks.md",
        "openspec/archive/older/tasks.md",
    )
    assert found(tmp_path) == [("openspec/changes/add-sso", "openspec")]
    assert found(tmp_path, Config(include_archived=True)) == [
        ("openspec/archive/older", "openspec"),  # another convention's rules were applied before
        ("openspec/changes/add-sso", "openspec"),
        ("openspec/changes/archive/2025-01-01-old", "openspec"),
    ]
    # named explicitly, an archived change is checked
    assert found(tmp_path / "openspec/changes/archive") == [("2025-01-01-old", "openspec")]
    # a folder called archive elsewhere is an ordinary folder
    touch(tmp_path, "docs/archive/.kiro/specs/a/tasks.md")
    assert ("docs/archive/.kiro/specs/a", "kiro") in found(tmp_path)


def test_include_archived_is_validated():
    from specmark.core.config import KEYS, load_config_text

    assert "include-archived" in KEYS and Config().include_archived is False
    assert config("include-archived = true").include_archived is True
    cfg, errors = load_config_text('include-archived = "yes"\n', ".specmark.toml")
    assert cfg.include_archived is False
    assert [(e.key, e.message) for e in errors] == [("include-archived", "expected true or false")]


def test_a_plan_under_another_name_is_said_once(tmp_path: Path):
    touch(
        tmp_path, "specs/001-x/spec.md", "specs/001-x/plan.md", "specs/001-x/task.md", "specs/001-x/design.md"
    )
    d = discover(str(tmp_path), Config())
    ((path, message, severity),) = d.layout
    assert os.path.basename(path) == "task.md" and severity == "warning"
    assert message == (
        "a plan named task.md: specmark reads the tasks of a spec from tasks.md; "
        'rename it (or add "task.md" to tasks-documents)'
    )
    # configured, it is the plan and nothing is said
    cfg = Config(tasks_documents=("tasks.md", "task.md"))
    assert discover(str(tmp_path), cfg).layout == [] and discover(str(tmp_path), cfg).specs[0].tasks_paths


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # another case or number of the plan or of the requirements
        (
            (".kiro/specs/a/requirements.md", ".kiro/specs/a/Tasks.md"),
            [(".kiro/specs/a/Tasks.md", "warning")],
        ),
        (
            (".kiro/specs/a/tasks.md", ".kiro/specs/a/requirement.md"),
            [(".kiro/specs/a/requirement.md", "warning")],
        ),
        # only a plan, only a design: nothing specmark reads
        (("specs/002-y/plan.md",), [("specs/002-y/plan.md", "warning")]),
        ((".kiro/specs/d/design.md",), [(".kiro/specs/d/design.md", "warning")]),
        # only a bugfix.md (an early Kiro bugfix spec): said, as information
        ((".kiro/specs/b/bugfix.md",), [(".kiro/specs/b/bugfix.md", "information")]),
        (
            (".kiro/specs/b/requirements.md", ".kiro/specs/b/design.md"),
            [(".kiro/specs/b/requirements.md", "information")],
        ),
        # the usual layouts, and folders that are not spec folders: silence
        ((".kiro/specs/a/requirements.md", ".kiro/specs/a/tasks.md"), []),
        ((".kiro/specs/a/tasks.md",), []),
        (("docs/plan.md", "docs/design.md", "notes/task.md"), []),
        (("specs/architecture/design.md", "specs/api/task.md"), []),  # any project's specs/ folder
        (("openspec/changes/add-x/proposal.md", "openspec/changes/add-x/design.md"), []),
        (("openspec/specs/auth/spec.md",), []),
    ],
)
def test_layout_notices(tmp_path: Path, files, expected):
    touch(tmp_path, *files)
    assert layout(tmp_path) == expected


def test_layout_notice_is_a_finding_of_check_paths(tmp_path: Path):
    touch(tmp_path, ".kiro/specs/c/requirements.md", ".kiro/specs/c/task.md")
    res = check_paths([str(tmp_path)])
    assert [(f.code, os.path.basename(f.path), f.severity.value) for f in res.documents] == [
        ("spec-layout", "task.md", "warning")
    ]
