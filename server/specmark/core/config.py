"""Configuration: `.specmark.toml` or `[tool.specmark]` in pyproject.toml (and, in the
server, the `specmark` section of `workspace/configuration`).

Every option is documented in docs/configuration.md. An invalid key or value becomes a
`ConfigError` (file, key, why) and the default is kept for it; the rest still applies.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

from .codes import CODES
from .lexicon import TABLES
from .model import Record, Severity, Status, factory

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from types import ModuleType


def _tomllib() -> ModuleType:
    """tomllib, imported when a TOML file is read (`specmark check` without a config never does)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    module: ModuleType = tomllib  # tomli has no type information
    return module


CONFIG_FILES = (".specmark.toml", "specmark.toml")

SEVERITY_NAMES = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFORMATION,
    "info": Severity.INFORMATION,
    "hint": Severity.HINT,
    "off": None,
}

DEFAULT_GLYPHS = {
    " ": Status.TODO,
    "x": Status.DONE,
    "X": Status.DONE,
    "-": Status.IN_PROGRESS,
    "~": Status.QUEUED,
}

# checkpoints (and their steps) are verification, not work that traces to a requirement
DEFAULT_EXEMPT = (
    r"^checkpoint\b",
    r"^final checkpoint\b",
    r"^(?:最终|最終)?(?:检查点|檢查點)",
    r"^(?:最終)?チェックポイント",
    r"^(?:최종 )?체크포인트",
)


class ConfigError(Record, frozen=True):
    source: str  # file path, or "workspace/configuration"
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.key}: {self.message}"


class Config(Record, frozen=True, eq=False):
    """Hashable by identity, so parse results can be memoised per configuration."""

    severity: dict[str, Severity | None] = factory(dict)  # overrides only
    require_references: str | None = None  # leaf | all | none; None = per-convention default
    exempt_titles: tuple[str, ...] = DEFAULT_EXEMPT
    requirements_documents: tuple[str, ...] = ("requirements.md", "bugfix.md", "spec.md")
    tasks_documents: tuple[str, ...] = ("tasks.md",)
    status_glyphs: dict[str, Status] = factory(lambda: dict(DEFAULT_GLYPHS))
    explicit_glyphs: frozenset[str] = frozenset()  # glyphs the user configured (kept as given)
    reference_labels: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_files: int = 20000
    max_file_size: int = 5_000_000
    inlay_hints: bool = False
    wording: bool = False  # the opt-in wording-* family (core/checks/wording)
    wording_terms: dict[str, tuple[str, ...]] = factory(dict)  # extra terms per wording table; "ignore"
    include_archived: bool = False  # OpenSpec changes under openspec/changes/archive/, openspec/archive/

    def severity_of(self, code: str, default: Severity) -> Severity | None:
        if code in self.severity:
            return self.severity[code]
        return default

    def exempt(self, title: str) -> bool:
        return _exempt_regex(self.exempt_titles).search(title) is not None


@lru_cache(maxsize=64)
def _exempt_regex(patterns: tuple[str, ...]) -> re.Pattern[str] | _AnyOf:
    """All exempt-title patterns as one compiled alternation (case-insensitive)."""
    if not patterns:
        return re.compile(r"(?!)")
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)
    except re.error:  # e.g. inline global flags, which only work at the start of a pattern
        return re.compile(patterns[0], re.I) if len(patterns) == 1 else _AnyOf(patterns)


class _AnyOf:
    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = [re.compile(p, re.I) for p in patterns]

    def search(self, text: str) -> re.Match[str] | None:
        return next((m for p in self.patterns if (m := p.search(text))), None)


KEYS = {
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
# settings of the editor extensions themselves (specmark.server.path, specmark.files, …): the
# editor sends them along in the `specmark` section; the server has no use for them
CLIENT_KEYS = {"server", "files", "trace", "status-bar"}


def _str_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def apply_settings(base: Config, data: object, source: str) -> tuple[Config, list[ConfigError]]:
    """Overlay a settings table on `base`; returns the new config and the errors found."""
    errors: list[ConfigError] = []
    changes: dict[str, object] = {}
    if not isinstance(data, dict):
        return base, [ConfigError(source, "specmark", "expected a table of settings")]
    for key, value in data.items():
        norm = key.replace("_", "-")
        # camelCase from editors: requireReferences → require-references
        norm = re.sub(r"(?<=[a-z])([A-Z])", lambda m: "-" + m.group(1).lower(), norm)
        if norm in CLIENT_KEYS:
            if source.endswith(".toml"):
                errors.append(
                    ConfigError(
                        source, key, f"an editor setting (specmark.{key} in the editor), not a project option"
                    )
                )
            continue
        if norm not in KEYS:
            errors.append(
                ConfigError(source, key, f"unknown option; known options: {', '.join(sorted(KEYS))}")
            )
            continue
        if norm == "severity":
            if not isinstance(value, dict):
                errors.append(
                    ConfigError(source, key, 'expected a table such as { missing-requirements = "error" }')
                )
                continue
            sev = dict(base.severity)
            for code, level in value.items():
                if code not in CODES:
                    errors.append(
                        ConfigError(
                            source,
                            f"severity.{code}",
                            f"unknown check code; known codes: {', '.join(sorted(CODES))}",
                        )
                    )
                elif not isinstance(level, str) or level.lower() not in SEVERITY_NAMES:
                    errors.append(
                        ConfigError(
                            source,
                            f"severity.{code}",
                            f"invalid severity {level!r}; use error, warning, information, hint or off",
                        )
                    )
                else:
                    sev[code] = SEVERITY_NAMES[level.lower()]
            changes["severity"] = sev
        elif norm == "require-references":
            if value not in ("leaf", "all", "none"):
                errors.append(
                    ConfigError(source, key, f'invalid value {value!r}; use "leaf", "all" or "none"')
                )
            else:
                changes["require_references"] = value
        elif norm in (
            "exempt-titles",
            "requirements-documents",
            "tasks-documents",
            "reference-labels",
            "exclude",
        ):
            items = _str_list(value)
            if items is None:
                errors.append(ConfigError(source, key, "expected a list of strings"))
                continue
            if norm == "exempt-titles":
                bad = [p for p in items if not _valid_regex(p)]
                if bad:
                    errors.append(ConfigError(source, key, f"invalid regular expression {bad[0]!r}"))
                    continue
            changes[norm.replace("-", "_")] = items
        elif norm == "status-glyphs":
            if not isinstance(value, dict):
                errors.append(ConfigError(source, key, 'expected a table such as { "~" = "blocked" }'))
                continue
            glyphs = dict(base.status_glyphs)
            for glyph, meaning in value.items():
                valid = {s.value for s in Status}
                if not isinstance(glyph, str) or len(glyph) != 1 or glyph in "[]\n":
                    errors.append(
                        ConfigError(
                            source, f"status-glyphs.{glyph}", "a glyph is one character other than [ and ]"
                        )
                    )
                elif meaning == "off":
                    glyphs.pop(glyph, None)
                elif meaning not in valid:
                    errors.append(
                        ConfigError(
                            source,
                            f"status-glyphs.{glyph}",
                            f"invalid status {meaning!r}; use one of {', '.join(sorted(valid))} or off",
                        )
                    )
                else:
                    glyphs[glyph] = Status(meaning)
            changes["status_glyphs"] = glyphs
            changes["explicit_glyphs"] = base.explicit_glyphs | {g for g in value if isinstance(g, str)}
        elif norm in ("max-files", "max-file-size"):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                errors.append(ConfigError(source, key, "expected a positive integer"))
            else:
                changes[norm.replace("-", "_")] = value
        elif norm == "wording":
            if not isinstance(value, bool):
                errors.append(ConfigError(source, key, "expected true or false"))
            else:
                changes["wording"] = value
        elif norm == "wording-terms":
            known = {*TABLES, "ignore"}
            if not isinstance(value, dict):
                errors.append(ConfigError(source, key, 'expected a table such as { vague = ["snappy"] }'))
                continue
            terms = dict(base.wording_terms)
            for name, items in value.items():
                listed = _str_list(items)
                if name not in known:
                    errors.append(
                        ConfigError(
                            source,
                            f"wording-terms.{name}",
                            f"unknown word list; known: {', '.join(sorted(known))}",
                        )
                    )
                elif listed is None:
                    errors.append(ConfigError(source, f"wording-terms.{name}", "expected a list of strings"))
                else:
                    terms[name] = listed
            changes["wording_terms"] = terms
        elif norm in ("inlay-hints", "include-archived"):
            if not isinstance(value, bool):
                errors.append(ConfigError(source, key, "expected true or false"))
            else:
                changes[norm.replace("-", "_")] = value
    return base._replace(**changes), errors


def _valid_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


# Paths here are strings (os.path), not pathlib: `specmark check` does not import pathlib, which
# pulls in urllib.parse and ipaddress (about 9 ms of its start-up).


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def find_config_file(start: str | os.PathLike[str]) -> str | None:
    """The nearest `.specmark.toml` (or a pyproject.toml with [tool.specmark]) at or above
    `start` (a folder or a file; str or path-like)."""
    start = os.path.abspath(os.fspath(start))
    folder = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject):
            tomllib = _tomllib()
            try:
                data = tomllib.loads(_read(pyproject))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                data = {}
            if isinstance(data.get("tool"), dict) and "specmark" in data["tool"]:
                return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config_file(
    path: str | os.PathLike[str], base: Config | None = None
) -> tuple[Config, list[ConfigError]]:
    """Read a config file (str or path-like): `.specmark.toml` or a pyproject.toml."""
    base = base or Config()
    path = os.fspath(path)
    try:
        text = _read(path)
    except (OSError, UnicodeDecodeError) as exc:
        return base, [ConfigError(path, "-", f"cannot read the file: {exc}")]
    return load_config_text(text, path, base, pyproject=os.path.basename(path) == "pyproject.toml")


def load_config_text(
    text: str, source: str, base: Config | None = None, pyproject: bool = False
) -> tuple[Config, list[ConfigError]]:
    base = base or Config()
    tomllib = _tomllib()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return base, [ConfigError(source, "-", f"not valid TOML ({exc}); using the defaults")]
    if pyproject:
        data = data.get("tool", {}).get("specmark", {})
    return apply_settings(base, data, source)
