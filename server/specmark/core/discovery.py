"""Finding spec folders: `.kiro/specs/*/`, `.spec-workflow/specs/*/`, `.claude/specs/*/`,
spec-kit `specs/*/`, OpenSpec `openspec/changes/*/`, and any folder or file given explicitly.

The walk never follows symlinks (nor reads spec documents that link out of the root), skips
`.git`, `node_modules`, virtualenvs and configured `exclude` globs, archived OpenSpec changes
(`openspec/changes/archive/`, `openspec/archive/`; `include-archived = true` keeps them), stops at
`max-files`, and says so when it stops early or cannot read something.

Not specs: spec-kit's `checklists/` folder inside a spec (its `requirements.md` is a quality
checklist). A spec folder laid out in a way specmark does not read (a plan named `task.md`, only
a `plan.md`, only a `bugfix.md`) gets one `layout` notice naming what was found and what was
expected (`Discovery.layout`; the CLI reports it as a `spec-layout` finding).
"""

from __future__ import annotations

import os

from .config import Config
from .model import Flavor, Record, factory

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "dist",
        "build",
        "target",
        ".next",
        ".cache",
    }
)
SPEC_ROOTS = ((".kiro", "specs"), (".spec-workflow", "specs"), (".claude", "specs"), ("openspec", "changes"))


class Spec(Record):
    folder: str
    flavor: Flavor
    tasks_paths: list[str] = factory(list)
    requirements_path: str | None = None
    design_path: str | None = None

    @property
    def name(self) -> str:
        return os.path.basename(self.folder.rstrip(os.sep)) or self.folder

    @property
    def paths(self) -> list[str]:
        """Its documents: tasks, requirements, design (the design only for its references)."""
        out = list(self.tasks_paths)
        if self.requirements_path:
            out.append(self.requirements_path)
        if self.design_path:
            out.append(self.design_path)
        return out


class Discovery(Record):
    specs: list[Spec]
    truncated: str | None = None  # why the walk stopped early, if it did
    unreadable: list[tuple[str, str]] = factory(list)  # (path, why) the walk could not read
    layout: list[tuple[str, str, str]] = factory(
        list
    )  # (document, message, severity name): one per odd folder


def _parts(path: str) -> list[str]:
    """The names in a path, as pathlib's `parts` gives them past the root ("a/./b" → a, b).
    (os.path, not pathlib: `specmark check` does not import pathlib, ~9 ms of start-up.)"""
    parts = [p for p in path.replace(os.sep, "/").split("/") if p and p != "."]
    return ["/", *parts] if path.startswith(("/", os.sep)) else parts


def in_spec_root(folder: str) -> bool:
    """A folder where a spec would be: `.kiro/specs/<name>`, `specs/<name>`, `openspec/changes/<name>` …"""
    parts = _parts(folder)
    return len(parts) >= 2 and (parts[-2] == "specs" or tuple(parts[-3:-1]) in SPEC_ROOTS)


def flavor_of(folder: str) -> Flavor:
    parts = _parts(folder)
    for i, part in enumerate(parts[:-1]):
        if part == ".kiro":
            return Flavor.KIRO
        if part in (".spec-workflow", ".claude"):
            return Flavor.SPEC_WORKFLOW
        if part == "openspec" and i + 1 < len(parts) and parts[i + 1] in ("changes", "archive"):
            return Flavor.OPENSPEC
    if len(parts) >= 2 and parts[-2] == "specs" and os.path.isfile(os.path.join(folder, "spec.md")):
        return Flavor.SPEC_KIT
    if os.path.isfile(os.path.join(folder, "spec.md")) and not os.path.isfile(
        os.path.join(folder, "requirements.md")
    ):
        return Flavor.SPEC_KIT
    return Flavor.KIRO


def spec_for_folder(folder: str, config: Config, names: list[str] | None = None) -> Spec | None:
    """The spec in `folder`, or None when it holds neither a tasks nor a requirements document."""
    if names is None:
        try:
            names = os.listdir(folder)
        except OSError:
            return None
    present = set(names)
    if _is_checklists(folder):
        return None
    tasks = [os.path.join(folder, n) for n in config.tasks_documents if n in present]
    req = next((os.path.join(folder, n) for n in config.requirements_documents if n in present), None)
    if not tasks and req is None:
        return None
    if (
        not tasks
        and os.path.basename(req or "") == "spec.md"
        and (os.path.basename(os.path.dirname(folder)) != "specs" or _in_openspec(folder))
    ):
        return None  # a lone spec.md (e.g. an OpenSpec capability) is not a spec folder
    design = os.path.join(folder, "design.md") if "design.md" in present else None
    return Spec(
        folder=folder, flavor=flavor_of(folder), tasks_paths=tasks, requirements_path=req, design_path=design
    )


def _is_checklists(folder: str) -> bool:
    """spec-kit's `<spec>/checklists/` (requirements.md there is a quality checklist of the spec,
    not a second spec): a folder so named whose parent holds spec-kit's spec.md or plan.md."""
    if os.path.basename(folder.rstrip(os.sep)) != "checklists":
        return False
    parent = os.path.dirname(folder.rstrip(os.sep)) or "."
    return any(os.path.isfile(os.path.join(parent, n)) for n in ("spec.md", "plan.md"))


def is_archived(rel_parts: list[str]) -> bool:
    """`openspec/changes/archive/…` or `openspec/archive/…`: OpenSpec's done changes."""
    for i, part in enumerate(rel_parts):
        if part != "openspec":
            continue
        rest = rel_parts[i + 1 : i + 3]
        if rest[:1] == ["archive"] or rest == ["changes", "archive"]:
            return True
    return False


def _near_misses(wanted: tuple[str, ...], present: set[str]) -> list[str]:
    """Names in `present` that look like one of `wanted` but are not it: another case, or the
    singular/plural (task.md for tasks.md, Requirement.md for requirements.md)."""
    forms = set()
    for name in wanted:
        stem = name[:-3].lower() if name.lower().endswith(".md") else name.lower()
        forms |= {stem, stem[:-1] if stem.endswith("s") else stem + "s"}
    return sorted(
        n for n in present if n not in wanted and n.lower().endswith(".md") and n[:-3].lower() in forms
    )


def layout_notice(
    folder: str, names: list[str], config: Config, spec: Spec | None, spec_folder: bool | None = None
) -> tuple[str, str, str] | None:
    """(document, message, severity) when a spec folder is laid out in a way specmark does not
    read — one per folder, or None. `spec` is what spec_for_folder made of it; `spec_folder`
    says whether the folder is a spec folder (default: it sits where specs live)."""
    present = set(names)
    if spec_folder is None:
        spec_folder = _surely_a_spec_folder(folder)
    plan = config.tasks_documents[0] if config.tasks_documents else "tasks.md"
    if spec is None or not spec.tasks_paths:
        wrong = _near_misses(config.tasks_documents, present)
        if wrong and (spec is not None or spec_folder):
            return (
                os.path.join(folder, wrong[0]),
                f"a plan named {wrong[0]}: specmark reads the tasks of a spec from "
                f'{" or ".join(config.tasks_documents)}; rename it (or add "{wrong[0]}" to tasks-documents)',
                "warning",
            )
    if spec is None or spec.requirements_path is None:
        wrong = _near_misses(config.requirements_documents, present)
        if wrong and (spec is not None or spec_folder):
            return (
                os.path.join(folder, wrong[0]),
                f"requirements named {wrong[0]}: specmark reads them from "
                f"{' or '.join(config.requirements_documents)}; rename it "
                f'(or add "{wrong[0]}" to requirements-documents)',
                "warning",
            )
    if spec is None:
        if not spec_folder or _in_openspec(folder) or _is_checklists(folder):
            return None
        found = [n for n in ("plan.md", "design.md") if n in present]
        if not found:
            return None
        return (
            os.path.join(folder, found[0]),
            f"a spec folder with {' and '.join(found)} but no {plan} and no requirements document "
            f"({', '.join(config.requirements_documents)}): nothing to check here yet",
            "warning",
        )
    if not spec.tasks_paths and spec.requirements_path and spec.flavor != Flavor.OPENSPEC:
        req = os.path.basename(spec.requirements_path)
        return (
            spec.requirements_path,
            f"{req} but no {plan} in this spec folder: its requirements are not checked for "
            f"coverage until a {plan} exists",
            "information",
        )
    return None


def _surely_a_spec_folder(folder: str) -> bool:
    """Where a tool puts its specs (`.kiro/specs/<x>`, `.spec-workflow/specs/<x>`,
    `.claude/specs/<x>`, `openspec/changes/<x>`) or a spec-kit numbered folder (`specs/001-x`):
    a plain `specs/<x>/design.md` may be any project's design notes, so it is not reported."""
    parts = _parts(folder)
    if len(parts) >= 3 and tuple(parts[-3:-1]) in SPEC_ROOTS:
        return True
    name = parts[-1] if parts else ""
    return len(parts) >= 2 and parts[-2] == "specs" and name[:3].isdigit() and name[3:4] == "-"


def _in_openspec(folder: str) -> bool:
    """Inside `openspec/specs/` or `openspec/changes/` (capability specs live there)."""
    parts = _parts(folder)
    return any(
        p == "openspec" and nxt in ("specs", "changes") for p, nxt in zip(parts, parts[1:], strict=False)
    )


def discover(root: str, config: Config) -> Discovery:
    """Every spec folder under `root` (a folder) — or the spec of `root` if it is a file."""
    if os.path.isfile(root):
        folder = os.path.dirname(os.path.abspath(root)) or "."
        spec = spec_for_folder(folder, config)
        if os.path.basename(root) == "design.md" and "design.md" not in config.tasks_documents:
            # the design document of its folder's spec (what a pre-commit hook passes when only
            # design.md changed): that spec, checked whole; nothing when the folder is no spec
            return Discovery([spec] if spec is not None else [])
        if spec is None:
            spec = Spec(folder=folder, flavor=flavor_of(folder))
        base = os.path.basename(root)
        if base in config.requirements_documents and base not in config.tasks_documents:
            spec.requirements_path = os.path.abspath(root)
            spec.tasks_paths = [p for p in spec.tasks_paths]
        elif os.path.abspath(root) not in spec.tasks_paths:
            spec.tasks_paths = [os.path.abspath(root)]
        return Discovery([spec])
    root_abs = os.path.abspath(root)
    specs: list[Spec] = []
    count = 0
    truncated = None
    real_root = os.path.realpath(root_abs)
    unreadable: list[tuple[str, str]] = []
    wanted = set(config.tasks_documents) | set(config.requirements_documents) | {"design.md"}

    def cannot_list(exc: OSError) -> None:
        unreadable.append((exc.filename or root_abs, (exc.strerror or str(exc)).lower()))

    layout: list[tuple[str, str, str]] = []
    skip_archive = not config.include_archived

    # os.walk yields root_abs, then root_abs + os.sep + names: a folder's path relative to the
    # root is what follows that prefix (os.path.relpath's answer, without its two abspath calls)
    prefix = root_abs if root_abs.endswith(os.sep) else root_abs + os.sep
    exclude = config.exclude
    for dirpath, dirnames, filenames in os.walk(root_abs, onerror=cannot_list, followlinks=False):
        rel = dirpath[len(prefix) :] if dirpath != root_abs else "."
        archive_here = skip_archive and "archive" in dirnames and is_archived(_parts(dirpath) + ["archive"])
        # (os.walk itself descends into no symbolic link: followlinks=False)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not (archive_here and d == "archive")
            and not (exclude and _excluded(os.path.join(rel, d), config))
        )
        count += len(filenames)
        if count > config.max_files:
            truncated = (
                f"stopped after {config.max_files} files under {root}; "
                f"raise max-files in .specmark.toml or name a smaller folder"
            )
            break
        # no folder below root_abs that the walk enters is a symbolic link, so each one's real
        # path is real_root followed by `rel`: inside the root (os.path.realpath here cost 7
        # lstat calls per folder, a twentieth of checking 200 specs)
        # a spec document that is a symbolic link out of the root is not read (and said so)
        names = [
            f for f in filenames if f not in wanted or not _links_out(os.path.join(dirpath, f), real_root)
        ]
        for f in set(filenames) - set(names):
            unreadable.append(
                (os.path.join(dirpath, f), "a symbolic link out of the workspace; not followed")
            )
        spec = spec_for_folder(dirpath, config, names)
        if spec is not None:
            specs.append(spec)
        notice = layout_notice(dirpath, names, config, spec)
        if notice is not None:
            layout.append(notice)
    specs.sort(key=lambda s: s.folder)
    layout.sort()
    return Discovery(specs, truncated, unreadable, layout)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _links_out(path: str, real_root: str) -> bool:
    return os.path.islink(path) and not _inside(os.path.realpath(path), real_root)


def _excluded(rel: str, config: Config) -> bool:
    import fnmatch  # only with exclude globs configured

    rel = rel.replace(os.sep, "/").lstrip("./")
    return any(
        fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(os.path.basename(rel), pat) for pat in config.exclude
    )
