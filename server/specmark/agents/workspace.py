"""Finding and loading the spec an agent works on (parsed and resolved; no checks run)."""

from __future__ import annotations

import os

from ..core.analysis import (
    SpecResult,
    _parse_requirements_cached,
    detect_flavor,
    effective_config,
    parse_tasks_cached,
)
from ..core.config import Config
from ..core.coverage import Resolver
from ..core.discovery import Spec, discover
from ..core.model import factory
from ..core.project import config_for, describe_read_error, read_text


class AgentError(Exception):
    """A refusal with a message an agent can act on (exit code 2, an MCP tool error)."""


def _read(path: str, config: Config) -> str:
    try:
        return read_text(path, config.max_file_size)
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentError(f"{path}: {describe_read_error(exc)}") from None


def _read_hashed(path: str, config: Config) -> tuple[str, str]:
    """A tasks document's text and the SHA-256 of the very bytes parsed (what `set
    --expect-hash` compares with), with read_text's guards."""
    import hashlib
    import stat

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise OSError("not a regular file (a device, pipe or socket); specmark reads only regular files")
        limit = config.max_file_size
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise OSError(f"file is over max-file-size ({limit:,} bytes); raise it in .specmark.toml")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentError(f"{path}: {describe_read_error(exc)}") from None
    return (text[1:] if text.startswith("\ufeff") else text), hashlib.sha256(data).hexdigest()


class AgentSpec(SpecResult):
    """A SpecResult without checks, with the SHA-256 of each tasks document as it was read."""

    hashes: dict[str, str] = factory(dict)
    problems: list[str] = factory(list)  # documents that could not be read (the answer goes without them)


_DEFAULT = Config()
_CONFIGS: dict[tuple, Config] = {}
_ERRORS: dict[int, list] = {}  # id(config) → its ConfigErrors


def _config(path: str, explicit: str | None) -> Config:
    """The configuration for `path`, the same object while its file is unchanged: parses are
    memoised per configuration object, so a long-lived MCP server parses an unchanged
    document once."""
    from ..core.config import find_config_file

    cfg_path = explicit or find_config_file(os.path.realpath(path))
    if cfg_path is None:
        return _DEFAULT
    try:
        st = os.stat(cfg_path)
        key: tuple = (os.path.realpath(cfg_path), st.st_mtime_ns, st.st_size)
    except OSError:
        key = (cfg_path,)
    config = _CONFIGS.get(key)
    if config is None:
        config, errors = config_for(path, explicit)
        if len(_CONFIGS) > 64:
            _CONFIGS.clear()
            _ERRORS.clear()
        _CONFIGS[key] = config
        _ERRORS[id(config)] = errors
    return config


def config_warnings(config: Config) -> list[str]:
    """What was wrong in the configuration file (the defaults were kept), as `check` says it."""
    return [f"{e.source}: {e.key}: {e.message}" for e in _ERRORS.get(id(config), [])]


def find_specs(path: str, config_file: str | None = None) -> tuple[list[Spec], Config]:
    if not os.path.exists(path):
        raise AgentError(f"{path}: no such file or directory")
    config = _config(path, config_file)
    try:
        found = discover(path, config)
    except OSError as exc:
        raise AgentError(f"{path}: {describe_read_error(exc)}") from None
    specs = [s for s in found.specs if s.tasks_paths]
    if not specs and found.unreadable:
        where, why = found.unreadable[0]
        raise AgentError(f"{where}: {why}; no readable spec with a tasks document under {path}")
    if not specs:
        raise AgentError(
            f"{path}: no spec with a tasks document found (looked for tasks.md under .kiro/specs, "
            "specs/, openspec/changes …); name a spec folder or a tasks.md"
        )
    return specs, config


def load_spec(spec: Spec, config: Config) -> AgentSpec:
    """The spec's documents parsed and its references resolvable (no checks: a SpecResult
    with no coverage and no findings), and the tasks documents' hashes."""
    read = {p: _read_hashed(p, config) for p in spec.tasks_paths}
    texts = {p: text for p, (text, _sha) in read.items()}
    cfg = effective_config(config, spec.flavor)
    tasks = [parse_tasks_cached(text, p, cfg, spec.flavor) for p, text in texts.items()]
    problems: list[str] = []
    req = None
    if spec.requirements_path:
        try:
            text = _read(spec.requirements_path, config)
        except AgentError as exc:  # the plan is still usable: its requirements are not
            problems.append(f"{exc}; the cited requirements are left out")
        else:
            req = _parse_requirements_cached(text, spec.requirements_path, spec.flavor)
    flavor = detect_flavor(spec.flavor, tasks, spec.requirements_path)
    if flavor != spec.flavor:  # spec-kit told by its spec.md or T001 IDs: its glyph defaults
        cfg = effective_config(config, flavor)
        tasks = [parse_tasks_cached(text, p, cfg, flavor) for p, text in texts.items()]
    design = None
    if spec.design_path:
        from ..core.design import parse_design

        try:
            design = parse_design(_read(spec.design_path, config), spec.design_path, config.reference_labels)
        except AgentError as exc:  # an unreadable design.md only loses the design sections
            problems.append(f"{exc}; the design sections are left out")
    hashes = {p: h for p, (_t, h) in read.items()}
    return AgentSpec(flavor, tasks, req, Resolver(req), {}, [], design, hashes=hashes, problems=problems)


def spec_names(specs: list[Spec]) -> str:
    return ", ".join(s.name for s in specs)


def choose_spec(specs: list[Spec], name: str | None, config: Config) -> tuple[Spec, AgentSpec, str]:
    """(spec, its documents, why it was chosen): `--spec NAME`, the only one, the one with
    work in progress, or the first by name with work left (else the first by name)."""
    from ..core.features.next import count_progress, has_work_in_progress

    if name is not None:
        hits = [s for s in specs if s.name == name or s.folder == name]
        if not hits:
            raise AgentError(f"no spec named {name!r}; specs here: {spec_names(specs)}")
        if len(hits) > 1:
            raise AgentError(
                f"{len(hits)} specs are named {name!r} ({', '.join(s.folder for s in hits)}); name the folder instead"
            )
        return hits[0], load_spec(hits[0], config), "named with --spec"
    ordered = sorted(specs, key=lambda s: (s.name, s.folder))
    if len(ordered) == 1:
        return ordered[0], load_spec(ordered[0], config), "the only spec"
    loaded = [(s, load_spec(s, config)) for s in ordered]
    for s, r in loaded:
        if has_work_in_progress(r.tasks):
            return s, r, "has work in progress"
    for s, r in loaded:
        done, total = count_progress(r.tasks)
        if done < total:
            return s, r, "first by name with open tasks"
    return loaded[0][0], loaded[0][1], "first by name (every spec is complete)"
