"""Configuration: .specmark.toml, [tool.specmark] in pyproject.toml, editor settings; every
option; invalid keys and values are reported as (file, key, why) and the default is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from specstrings import md

from specmark.core.config import (
    DEFAULT_EXEMPT,
    KEYS,
    Config,
    apply_settings,
    find_config_file,
    load_config_file,
    load_config_text,
)
from specmark.core.model import Severity, Status


def load(toml: str, source: str = ".specmark.toml"):
    return load_config_text(md(toml), source)


def test_defaults():
    cfg = Config()
    assert cfg.severity == {}
    assert cfg.require_references is None
    assert cfg.exempt_titles == DEFAULT_EXEMPT
    assert cfg.requirements_documents == ("requirements.md", "bugfix.md", "spec.md")
    assert cfg.tasks_documents == ("tasks.md",)
    assert cfg.status_glyphs == {
        " ": Status.TODO,
        "x": Status.DONE,
        "X": Status.DONE,
        "-": Status.IN_PROGRESS,
        "~": Status.QUEUED,
    }
    assert cfg.reference_labels == () and cfg.exclude == ()
    assert (cfg.max_files, cfg.max_file_size, cfg.inlay_hints) == (20000, 5_000_000, False)
    assert cfg.exempt("Checkpoint - Ensure all tests pass")
    assert cfg.exempt("Final Checkpoint")
    assert not cfg.exempt("Write the checkpoint logic")


def test_every_option():
    cfg, errors = load("""
        require-references = "all"
        exempt-titles = ["^docs:", "^chore:"]
        requirements-documents = ["reqs.md"]
        tasks-documents = ["plan.md", "tasks.md"]
        reference-labels = ["Traces", "Refs"]
        exclude = ["archive/*", "drafts"]
        max-files = 100
        max-file-size = 2048
        inlay-hints = true

        [severity]
        missing-requirements = "error"
        status-mismatch = "off"
        task-order = "info"
        uncovered-requirement = "HINT"

        [status-glyphs]
        "/" = "in-progress"
        "~" = "blocked"
        "-" = "off"
    """)
    assert errors == []
    assert cfg.require_references == "all"
    assert cfg.exempt_titles == ("^docs:", "^chore:")
    assert cfg.requirements_documents == ("reqs.md",)
    assert cfg.tasks_documents == ("plan.md", "tasks.md")
    assert cfg.reference_labels == ("Traces", "Refs")
    assert cfg.exclude == ("archive/*", "drafts")
    assert (cfg.max_files, cfg.max_file_size, cfg.inlay_hints) == (100, 2048, True)
    assert cfg.severity == {
        "missing-requirements": Severity.ERROR,
        "status-mismatch": None,
        "task-order": Severity.INFORMATION,
        "uncovered-requirement": Severity.HINT,
    }
    assert cfg.severity_of("status-mismatch", Severity.INFORMATION) is None
    assert cfg.severity_of("duplicate-task-id", Severity.ERROR) is Severity.ERROR
    assert cfg.status_glyphs["/"] is Status.IN_PROGRESS
    assert cfg.status_glyphs["~"] is Status.BLOCKED
    assert "-" not in cfg.status_glyphs and cfg.status_glyphs["x"] is Status.DONE


def test_underscores_and_camel_case_keys():
    cfg, errors = apply_settings(
        Config(),
        {"requireReferences": "none", "max_files": 7, "inlayHints": True},
        "workspace/configuration (specmark)",
    )
    assert errors == []
    assert (cfg.require_references, cfg.max_files, cfg.inlay_hints) == ("none", 7, True)


@pytest.mark.parametrize(
    "toml, key, why",
    [
        ("colour = true", "colour", "unknown option; known options: exclude, exempt-titles"),
        (
            'require-references = "some"',
            "require-references",
            'invalid value \'some\'; use "leaf", "all" or "none"',
        ),
        ('severity = "error"', "severity", "expected a table"),
        (
            '[severity]\nno-such-check = "error"',
            "severity.no-such-check",
            "unknown check code; known codes: dependency-cycle, dependency-not-done, duplicate-requirement-id",
        ),
        (
            '[severity]\ntask-order = "loud"',
            "severity.task-order",
            "invalid severity 'loud'; use error, warning, information, hint or off",
        ),
        ("[severity]\ntask-order = 1", "severity.task-order", "invalid severity 1"),
        ('exempt-titles = "Checkpoint"', "exempt-titles", "expected a list of strings"),
        ('exempt-titles = ["(unclosed"]', "exempt-titles", "invalid regular expression '(unclosed'"),
        ("tasks-documents = [1, 2]", "tasks-documents", "expected a list of strings"),
        ('status-glyphs = ["x"]', "status-glyphs", "expected a table"),
        ('[status-glyphs]\n"xx" = "done"', "status-glyphs.xx", "a glyph is one character other than [ and ]"),
        ('[status-glyphs]\n"]" = "done"', "status-glyphs.]", "a glyph is one character"),
        (
            '[status-glyphs]\n"?" = "maybe"',
            "status-glyphs.?",
            "invalid status 'maybe'; use one of blocked, done, in-progress, queued, todo or off",
        ),
        ("max-files = 0", "max-files", "expected a positive integer"),
        ("max-file-size = true", "max-file-size", "expected a positive integer"),
        ('inlay-hints = "yes"', "inlay-hints", "expected true or false"),
    ],
)
def test_invalid_settings_are_reported_and_defaults_kept(toml, key, why):
    sets_mode = toml.startswith("require-references")
    text = toml if sets_mode else 'require-references = "none"\n' + toml
    cfg, errors = load_config_text(text + "\n", "proj/.specmark.toml")
    (err,) = errors
    assert err.source == "proj/.specmark.toml"
    assert err.key == key
    assert why in err.message
    assert str(err) == f"proj/.specmark.toml: {key}: {err.message}"
    # the bad setting keeps its default ...
    attr = key.split(".")[0].replace("-", "_")
    if hasattr(Config, attr) or attr in ("severity", "status_glyphs"):
        assert getattr(cfg, attr) == getattr(Config(), attr)
    # ... and the valid setting next to it still applies
    assert cfg.require_references == (None if sets_mode else "none")


def test_one_bad_severity_keeps_the_good_ones():
    cfg, errors = load("""
        [severity]
        task-order = "error"
        unknown-requirement = "fatal"
    """)
    assert [e.key for e in errors] == ["severity.unknown-requirement"]
    assert cfg.severity == {"task-order": Severity.ERROR}


def test_invalid_toml():
    cfg, errors = load_config_text("severity = [", "broken.toml")
    (err,) = errors
    assert (err.source, err.key) == ("broken.toml", "-")
    assert err.message.startswith("not valid TOML")
    assert cfg.severity == {} and cfg.require_references is None


def test_vscode_extension_settings_are_not_errors():
    """VS Code sends every `specmark.*` setting, the extension's own ones too."""
    sent = {
        "server": {"path": "", "pythonPath": "", "extraArgs": []},
        "files": ["**/tasks.md"],
        "trace": {"server": "off"},
        "statusBar": {"enabled": True},
        "severity": {"task-order": "off"},
    }
    cfg, errors = apply_settings(Config(), sent, "workspace/configuration (specmark)")
    assert errors == []
    assert cfg.severity == {"task-order": None}
    # in a project file they are misplaced
    _cfg, errors = load_config_text('files = ["x.md"]\n', ".specmark.toml")
    assert [(e.key, e.message) for e in errors] == [
        ("files", "an editor setting (specmark.files in the editor), not a project option")
    ]


def test_settings_must_be_a_table():
    _cfg, errors = apply_settings(Config(), ["not", "a", "table"], "workspace/configuration (specmark)")
    assert [(e.key, e.message) for e in errors] == [("specmark", "expected a table of settings")]


def test_every_documented_key_is_known():
    assert KEYS == {
        "severity",
        "require-references",
        "exempt-titles",
        "requirements-documents",
        "tasks-documents",
        "status-glyphs",
        "reference-labels",
        "exclude",
        "max-files",
        "max-file-size",
        "inlay-hints",
        "wording",
        "wording-terms",
        "include-archived",
    }


# --- files -------------------------------------------------------------------------------------------


def test_pyproject_tool_specmark(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        md("""
        [project]
        name = "x"

        [tool.specmark]
        require-references = "all"
        bogus = 1

        [tool.specmark.severity]
        task-order = "off"
    """),
        encoding="utf-8",
    )
    sub = tmp_path / "specs" / "one"
    sub.mkdir(parents=True)
    found = find_config_file(sub)
    assert found == str(tmp_path / "pyproject.toml")
    cfg, errors = load_config_file(found)
    assert cfg.require_references == "all"
    assert cfg.severity == {"task-order": None}
    assert [(e.source, e.key) for e in errors] == [(str(found), "bogus")]


def test_pyproject_without_tool_specmark_is_skipped(tmp_path: Path):
    (tmp_path / ".specmark.toml").write_text('require-references = "none"\n', encoding="utf-8")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "pkg"\n', encoding="utf-8")
    assert find_config_file(inner) == str(tmp_path / ".specmark.toml")


def test_nearest_file_wins_and_specmark_toml_beats_pyproject(tmp_path: Path):
    (tmp_path / ".specmark.toml").write_text("", encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.specmark]\n", encoding="utf-8")
    (tmp_path / "a" / ".specmark.toml").write_text("", encoding="utf-8")
    assert find_config_file(inner) == str(tmp_path / "a" / ".specmark.toml")
    assert find_config_file(inner / "tasks.md") == str(tmp_path / "a" / ".specmark.toml")


def test_project_file_wins_over_editor_settings(tmp_path: Path):
    """The server applies the editor's `specmark` settings first, then the project file."""
    editor, errors = apply_settings(
        Config(), {"requireReferences": "none", "inlayHints": True}, "workspace/configuration (specmark)"
    )
    assert errors == []
    path = tmp_path / ".specmark.toml"
    path.write_text('require-references = "all"\n', encoding="utf-8")
    cfg, errors = load_config_file(path, editor)
    assert errors == []
    assert cfg.require_references == "all"  # set in both: the project file wins
    assert cfg.inlay_hints is True  # set only in the editor: kept


def test_unreadable_config_file(tmp_path: Path):
    path = tmp_path / ".specmark.toml"
    path.write_bytes(b'require-references = "\xff"\n')
    cfg, errors = load_config_file(path)
    (err,) = errors
    assert err.source == str(path) and "cannot read the file" in err.message
    assert cfg.require_references is None


def test_spec_workflow_tilde_respects_an_explicit_setting():
    from specmark.core.analysis import effective_config
    from specmark.core.config import load_config_text
    from specmark.core.model import Status

    explicit, _ = load_config_text('[status-glyphs]\n"~" = "queued"\n', "t.toml")
    default, _ = load_config_text("", "t.toml")
    assert effective_config(explicit, "spec-workflow").status_glyphs["~"] is Status.QUEUED
    assert effective_config(default, "spec-workflow").status_glyphs["~"] is Status.BLOCKED


def test_an_empty_task_is_named_without_a_line_number():
    """Findings of a block parsed on its own are moved to the block's place: a line number in the
    message would stay the block's (the long fuzz profile found it)."""
    from specmark.core.tasks import parse_tasks

    doc = parse_tasks("# Plan\n- [ ] \n")
    assert doc.tasks[0].label == "An untitled task"
