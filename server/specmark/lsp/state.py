"""Server state: open documents (the truth), files on disk (the rest), and analysis results.

Open documents win over the disk. Parsed documents are cached per (document version) for
open files and per (mtime, size) for files on disk; a spec's analysis is cached on the keys
of its documents, so a request that follows an edit reuses the analysis the edit triggered.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextlib import nullcontext
from functools import lru_cache

from pygls import uris

from ..core import openspec
from ..core.analysis import SpecResult, analyze_docs, detect_flavor, effective_config
from ..core.cache import KeyedCache
from ..core.checks import CheckContext, run_checks
from ..core.config import Config, ConfigError, apply_settings, find_config_file, load_config_file
from ..core.coverage import Resolver
from ..core.design import DESIGN_CODES, DESIGN_NAME, DesignDoc, parse_design
from ..core.discovery import Spec, discover, flavor_of, in_spec_root, spec_for_folder
from ..core.document import Document
from ..core.features.progress import Plan
from ..core.features.toggle import done_habit
from ..core.incremental import SPEC_CODES, TasksAnalyzer, merged_coverage
from ..core.incremental.analyzer import collector_paused
from ..core.model import DocKind, Finding, Record, RequirementsDoc, TasksDoc, factory
from ..core.project import describe_read_error, error_span, read_text
from ..core.requirements import parse_requirements_by_section
from ..core.tasks import parse_tasks

log = logging.getLogger("specmark")


def uri_to_path(uri: str) -> str:
    path = uris.to_fs_path(uri) if uri.startswith("file:") else None
    return os.path.normpath(path) if path else uri


# each diagnostic pointing into another document asks for its URI
@lru_cache(maxsize=256)
def path_to_uri(path: str) -> str:
    if "://" in path or path.startswith("untitled:"):
        return path
    return uris.from_fs_path(path) or path


class Published(Record):
    version: int | None
    key: str
    result_id: str


class State(Record, eq=False):
    docs: dict[str, Document] = factory(dict)  # path → open document
    base_config: Config = factory(Config)
    client_settings: dict = factory(dict)
    config: Config = factory(Config)
    config_errors: list[ConfigError] = factory(list)
    roots: list[str] = factory(list)
    specs: dict[str, Spec] = factory(dict)  # folder → spec (discovered)
    discovery_note: str | None = None
    _disk: dict[str, tuple[float, int, str | None, str | None]] = factory(dict)
    # a file on disk as a Document, kept while its text is the one `_disk` holds (diagnostics
    # ask for the lines of requirements.md on every edit of tasks.md)
    _disk_docs: KeyedCache[Document] = factory(KeyedCache)  # path; same=(text,)
    # (path, message) of files on disk read for the first time (or changed) that could not be read
    # or decoded: the server tells the user once per such file version (window/showMessage)
    disk_errors: list[tuple[str, str]] = factory(list)
    # path → the parsed tasks or requirements document; equal=(document key, kind, flavor)
    _parsed: KeyedCache[TasksDoc | RequirementsDoc] = factory(KeyedCache)
    # path → design.md's references; equal=(document key, id(config))
    _designs: KeyedCache[DesignDoc] = factory(KeyedCache)
    _results: KeyedCache[SpecResult] = factory(KeyedCache)  # folder; equal=(spec key,)
    published: dict[str, Published] = factory(dict)  # path → last diagnostics
    _analyzers: dict[str, TasksAnalyzer] = factory(dict)  # tasks path → incremental engine
    # requirements path (or "-") → its Resolver; same=(requirements document,)
    _resolvers: KeyedCache[Resolver] = factory(KeyedCache)
    # folder → findings per document path; equal=(spec key,)
    _findings: KeyedCache[dict[str, list[Finding]]] = factory(KeyedCache)
    _folders: KeyedCache[Spec] = factory(KeyedCache)  # folder → spec on disk; equal=(stamp,)
    # folder → spec-wide findings; same=(requirements, resolver, config, flavor), equal=(coverage,)
    _spec_checks: KeyedCache[tuple[Finding, ...]] = factory(KeyedCache)
    # folder → design.md findings; same=(design, requirements, resolver, config), equal=(flavor,)
    _design_checks: KeyedCache[list[Finding]] = factory(KeyedCache)
    # A tasks document opened with at least this many lines gets its first findings from the
    # whole-document analysis (one parse and one run of the checks: about half the cost of
    # cutting it into blocks and checking each); its incremental engine is built afterwards
    # (`build_engines`, which the server runs once the diagnostics are out), or by the next
    # analysis if that comes first. `unbuilt`: the documents waiting for their engine;
    # `on_unbuilt`: called when one is added (the server schedules `build_engines`).
    whole_first_lines: int = 20_000
    unbuilt: set[str] = factory(set)
    on_unbuilt: Callable[[], None] | None = None

    # ---- configuration -------------------------------------------------------------------
    def load_config(self, client_settings: dict | None = None) -> list[ConfigError]:
        """Client settings first, the project file on top (the project file wins)."""
        if client_settings is not None:
            self.client_settings = client_settings
        errors: list[ConfigError] = []
        cfg, errs = apply_settings(Config(), self.client_settings or {}, "workspace/configuration (specmark)")
        errors += errs
        for root in self.roots[:1]:
            found = find_config_file(root)
            if found is not None:
                cfg, errs = load_config_file(found, cfg)
                errors += errs
        self.config = cfg
        self.config_errors = errors
        self._parsed.clear()
        self._designs.clear()
        self._results.clear()
        self._findings.clear()
        self._analyzers.clear()
        self.unbuilt.clear()
        self._folders.clear()
        self._spec_checks.clear()
        self._design_checks.clear()
        return errors

    # ---- documents -------------------------------------------------------------------------
    def kind_of(self, path: str) -> DocKind | None:
        name = os.path.basename(path)
        if name in self.config.tasks_documents:
            return DocKind.TASKS
        if name in self.config.requirements_documents:
            return DocKind.REQUIREMENTS
        if name == DESIGN_NAME:
            return DocKind.DESIGN
        return None

    def open(self, uri: str, text: str, version: int | None) -> str:
        path = uri_to_path(uri)
        # keep a leading BOM: the client's positions count it (the parsers shift line 0 for it);
        # stripping it here moved every edit on line 0 one character left ("- [ ]" → "- x ]")
        self.docs[path] = Document.from_text(uri, text, version)
        return path

    def close(self, uri: str) -> str:
        path = uri_to_path(uri)
        self.docs.pop(path, None)
        self._parsed.pop(path)
        self._designs.pop(path)
        return path

    def document(self, path: str) -> Document | None:
        """The open document, or the file on disk as a Document (version None)."""
        doc = self.docs.get(path)
        if doc is not None:
            return doc
        text = self.disk_text(path)
        if text is None:
            self._disk_docs.pop(path)
            return None
        return self._disk_docs.cached(
            path, lambda: Document.from_text(path_to_uri(path), text, None), same=(text,)
        )

    def disk_text(self, path: str) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        cached = self._disk.get(path)
        if cached and cached[0] == st.st_mtime and cached[1] == st.st_size:
            return cached[2]
        text = error = None
        try:
            text = read_text(path, self.config.max_file_size)
        except (OSError, UnicodeDecodeError) as exc:
            error = describe_read_error(exc)
            log.warning("cannot read %s: %s", path, error)
            # a file that is not UTF-8-clean is still analysed, with replacement characters
            if isinstance(exc, UnicodeDecodeError):
                try:
                    with open(path, "rb") as fh:
                        text = fh.read().decode("utf-8", "replace")
                except OSError:
                    text = None
            if self.kind_of(path) is not None:
                line = error_span(exc).line + 1
                how = "read with replacement characters" if text is not None else "left out"
                self.disk_errors.append((path, f"line {line}: {error} (until then it is {how})"))
        self._disk[path] = (st.st_mtime, st.st_size, text, error)
        return text

    def forget_disk(self, path: str) -> None:
        self._disk.pop(path, None)
        self._disk_docs.pop(path)
        self._parsed.pop(path)
        self._designs.pop(path)
        self._folders.pop(os.path.dirname(path))

    def _doc_key(self, path: str):
        doc = self.docs.get(path)
        if doc is not None:
            return ("open", doc.version, id(doc))
        try:
            st = os.stat(path)
        except OSError:
            return None
        return ("disk", st.st_mtime, st.st_size)

    def parsed(self, path: str, kind: str, flavor: str):
        key = self._doc_key(path)
        if key is None:
            return None
        hit = self._parsed.get(path, equal=(key, kind, flavor))
        if hit is not None:
            return hit
        doc = self.document(path)
        if doc is None:
            return None
        lines = doc.lines
        if kind == "tasks":
            parsed: TasksDoc | RequirementsDoc = parse_tasks(
                lines, path, effective_config(self.config, flavor), flavor
            )
        else:
            # section by section: an edit re-parses the section it touched
            parsed = parse_requirements_by_section(doc.bodies, path, flavor)
        return self._parsed.put(path, parsed, equal=(key, kind, flavor))

    # ---- specs ---------------------------------------------------------------------------------
    def spec_of(self, path: str) -> Spec:
        folder = os.path.dirname(path)
        # the folder's listing, read again only when the folder changed (an entry was added,
        # removed or renamed: its mtime moves); every edit asks for it
        stamp: tuple[int | None, int]
        try:
            stamp = (os.stat(folder).st_mtime_ns, id(self.config))
        except OSError:
            stamp = (None, id(self.config))
        base = self._folders.get(folder, equal=(stamp,))
        if base is None:
            found = (
                spec_for_folder(folder, self.config)
                if stamp[0] is not None and os.path.isdir(folder)
                else None
            )
            base = self._folders.put(
                folder,
                found if found is not None else Spec(folder=folder, flavor=flavor_of(folder)),
                equal=(stamp,),
            )
        spec = base._replace(tasks_paths=list(base.tasks_paths))
        # `path` and the open documents that are not on disk (yet) still belong to their
        # folder's spec
        for p in (path, *(o for o in self.docs if os.path.dirname(o) == folder)):
            k = self.kind_of(p)
            if k == "tasks" and p not in spec.tasks_paths:
                spec.tasks_paths.append(p)
            elif k == "requirements" and spec.requirements_path is None:
                spec.requirements_path = p
            elif k == "design" and spec.design_path is None:
                spec.design_path = p
        return spec

    def result(self, path: str, incremental: bool = True) -> SpecResult | None:
        """The analysis of the spec `path` belongs to (cached on its documents' versions): put
        together from the incremental engines when they have it (`incremental`), else
        `analyze_docs` over the whole documents."""
        if self.kind_of(path) is None:
            return None
        spec = self.spec_of(path)
        if spec is None:
            return None
        key = self._spec_key(spec)
        hit = self._results.get(spec.folder, equal=(key,))
        if hit is not None:
            return hit
        result = self._incremental_result(path, spec) if incremental else None
        if result is not None:
            return self._results.put(spec.folder, result, equal=(key,))
        tasks = [d for p in spec.tasks_paths if (d := self.parsed(p, "tasks", spec.flavor)) is not None]
        req = (
            self.parsed(spec.requirements_path, "requirements", spec.flavor)
            if spec.requirements_path
            else None
        )
        if not tasks and req is None:
            return None
        result = analyze_docs(tasks, req, self.config, spec.flavor, design_doc=self._design(spec))
        return self._results.put(spec.folder, result, equal=(key,))

    def _incremental_result(self, path: str, spec: Spec) -> SpecResult | None:
        """The spec's analysis as `analyze_docs` gives it, from the incremental engines of its
        tasks documents (their blocks put together: `whole_doc`, `coverage`) and the findings
        of the last edit, or None when one of them fell back to the whole document. A request
        after an edit then costs the blocks that moved, not a parse of the whole plan."""
        if not spec.tasks_paths or ("openspec" in path and openspec.document_kind(path) is not None):
            return None
        found = self.findings(path)  # brings the engines up to date (memoised per version)
        tasks: list[TasksDoc] = []
        coverage = {}
        for p in spec.tasks_paths:
            if self.document(p) is None:
                continue  # as `parsed`: a tasks document that cannot be read is left out
            engine = self._analyzers.get(p)
            doc = engine.whole_doc() if engine is not None else None
            cov = engine.coverage() if engine is not None else None
            if doc is None or cov is None:
                return None
            tasks.append(doc)
            coverage[p] = cov
        if not tasks:
            return None
        req, resolver = self.requirements_of(path)
        assert resolver is not None
        flavor = detect_flavor(spec.flavor, [], req.path if req else None)
        findings = sorted((f for fs in found.values() for f in fs), key=Finding.sort_key)
        return SpecResult(flavor, tasks, req, resolver, coverage, findings, self._design(spec))

    def _spec_key(self, spec: Spec) -> tuple:
        return (
            tuple((p, self._doc_key(p)) for p in spec.tasks_paths),
            (
                spec.requirements_path,
                self._doc_key(spec.requirements_path) if spec.requirements_path else None,
            ),
            (spec.design_path, self._doc_key(spec.design_path) if spec.design_path else None),
            id(self.config),
        )

    def _resolver(self, req: RequirementsDoc | None) -> Resolver:
        """One Resolver per requirements document version (the engine's caches key on it)."""
        return self._resolvers.cached("-" if req is None else req.path, lambda: Resolver(req), same=(req,))

    def findings(self, path: str) -> dict[str, list[Finding]]:
        """Findings of the spec `path` belongs to, per document path — incrementally: an edit
        re-analyses only the blocks of tasks.md it touched (core/incremental/)."""
        if "openspec" in path and openspec.document_kind(path) is not None:
            return {path: self._openspec_findings(path)}
        if self.kind_of(path) is None:
            return {}
        spec = self.spec_of(path)
        if spec is None:
            return {}
        key = self._spec_key(spec)
        hit = self._findings.get(spec.folder, equal=(key,))
        if hit is not None:
            return hit
        cold = self._whole_first(spec)
        out = None if cold else self._incremental_findings(spec)
        if out is None:
            # a first whole analysis, as the engine's first cut: every object made outlives
            # the call (the collector stays on when the engine fell back on an edit)
            with collector_paused() if cold else nullcontext():
                result = self.result(path, incremental=False)
            if cold:
                self.unbuilt.update(cold)
                if self.on_unbuilt is not None:
                    self.on_unbuilt()
            out = {}
            if result is not None:
                for f in result.findings:
                    out.setdefault(f.path, []).append(f)
        return self._findings.put(spec.folder, out, equal=(key,))

    def _whole_first(self, spec: Spec) -> list[str]:
        """The open tasks documents of `spec` to analyse whole before building their engines:
        those without an engine and with `whole_first_lines` lines or more, analysed for the
        first time. [] when any tasks document of the spec does not qualify (an engine builds
        itself in the incremental analysis: the spec is analysed one way)."""
        out = []
        for p in spec.tasks_paths:
            if p in self._analyzers:
                continue
            doc = self.docs.get(p)
            if doc is None:
                continue
            if p in self.unbuilt or len(doc.bodies) < self.whole_first_lines:
                return []
            out.append(p)
        return out

    def build_engines(self) -> None:
        """Build the incremental engines of `unbuilt` (each spec analysed as an edit would
        analyse it): the next edit then re-analyses only the blocks it touches. The findings
        of the version analysed whole stay (the engine's are the same)."""
        paths, self.unbuilt = self.unbuilt, set()
        for path in sorted(paths):
            if path not in self.docs or path in self._analyzers:
                continue  # closed, or built by an analysis since
            spec = self.spec_of(path)
            key = self._spec_key(spec)
            out = self._incremental_findings(spec)
            if out is not None and self._findings.get(spec.folder, equal=(key,)) is None:
                self._findings.put(spec.folder, out, equal=(key,))  # a version not analysed yet

    def _incremental_findings(self, spec: Spec) -> dict[str, list[Finding]] | None:
        req = (
            self.parsed(spec.requirements_path, "requirements", spec.flavor)
            if spec.requirements_path
            else None
        )
        flavor = detect_flavor(spec.flavor, [], req.path if req else None)
        cfg = effective_config(self.config, flavor)
        resolver = self._resolver(req)
        out: dict[str, list[Finding]] = {}
        covering: list[tuple[str, frozenset[str], bool]] = []  # (tasks path, covered IDs, whole spec)
        for p in spec.tasks_paths:
            doc = self.document(p)
            if doc is None:
                continue
            engine = self._analyzers.get(p)
            if engine is None:
                engine = self._analyzers[p] = TasksAnalyzer(p)
                self.unbuilt.discard(p)
                # a whole parse of it (whole_first_lines) is not read again: requests read the
                # engine's blocks once the result made from it is outdated
                self._parsed.pop(p)
            got = engine.analyze(doc.bodies, cfg, flavor, req, resolver)
            if got is None:
                return None
            findings, covered, whole = got
            out[p] = findings
            covering.append((p, covered, whole))  # the engine's set: the same object while unchanged
        if req is not None:
            # the spec-wide checks read only the requirements and what is covered: most edits
            # leave both alone
            same = (req, resolver, self.config, flavor)
            spec_findings = self._spec_checks.get(spec.folder, same, (tuple(covering),))
            if spec_findings is None:
                # the spec-wide checks (SPEC_CODES) read the requirements and the coverage, one
                # entry per tasks document, never the tasks: no document put together for them
                # (the engine's merged_doc copies every task: 80 ms and 21 MB at 100,000 lines)
                coverage = {p: merged_coverage(covered, whole) for p, covered, whole in covering}
                ctx = CheckContext(self.config, flavor, [], req, resolver, coverage)
                spec_findings = tuple(run_checks(ctx, within=SPEC_CODES))
                self._spec_checks.put(spec.folder, spec_findings, same, (tuple(covering),))
            if req.path in out:  # configured to be its own requirements document: keep both
                out[req.path] = sorted(out[req.path] + list(spec_findings), key=Finding.sort_key)
            else:
                out[req.path] = list(spec_findings)
        design = self._design(spec)
        if design is not None and design.path not in out:
            # design.md's references, checked against the requirements (a small document: all of
            # it), again only when one of them changed: most edits are in tasks.md
            design_same = (design, req, resolver, self.config)
            design_findings = self._design_checks.get(spec.folder, design_same, (flavor,))
            if design_findings is None:
                ctx = CheckContext(self.config, flavor, [], req, resolver, {}, [design])
                design_findings = run_checks(ctx, within=DESIGN_CODES)
                self._design_checks.put(spec.folder, design_findings, design_same, (flavor,))
            out[design.path] = list(design_findings)
        return out

    def design_of(self, path: str) -> DesignDoc | None:
        """The design.md of the spec `path` belongs to, its references parsed (open or on disk)."""
        spec = self.spec_of(path) if self.kind_of(path) else None
        return self._design(spec) if spec is not None else None

    def _design(self, spec: Spec) -> DesignDoc | None:
        design_path = spec.design_path
        if design_path is None:
            return None
        key = self._doc_key(design_path)
        if key is None:
            return None
        hit = self._designs.get(design_path, equal=(key, id(self.config)))
        if hit is not None:
            return hit
        doc = self.document(design_path)
        if doc is None:
            return None
        design = parse_design(doc.lines, design_path, self.config.reference_labels)
        return self._designs.put(design_path, design, equal=(key, id(self.config)))

    def requirements_of(self, path: str) -> tuple[RequirementsDoc | None, Resolver | None]:
        spec = self.spec_of(path) if self.kind_of(path) else None
        if spec is None:
            return None, None
        req = (
            self.parsed(spec.requirements_path, "requirements", spec.flavor)
            if spec.requirements_path
            else None
        )
        return req, self._resolver(req)

    def _engine(self, path: str) -> TasksAnalyzer | None:
        """The incremental engine of tasks document `path` with the current version analysed
        (the spec's analysis is brought up to date first: `findings` is memoised on the
        documents' versions, so this is free between edits), or None when the last analysis
        fell back to the whole document."""
        self.findings(path)
        engine = self._analyzers.get(path)
        return engine if engine is not None and engine.last_ok else None

    def progress_view(self, path: str) -> Plan | SpecResult | None:
        """What core.features.progress needs (tasks docs, coverage, requirements), from the
        incremental engine's blocks when it has them, else from the full analysis."""
        if self.kind_of(path) is None:
            return None
        spec = self.spec_of(path)
        engines = [self._engine(p) for p in spec.tasks_paths]
        ready = [e for e in engines if e is not None and e.last]
        if spec.tasks_paths and len(ready) == len(engines):
            req, _ = self.requirements_of(path)
            coverage = {}
            for p, e in zip(spec.tasks_paths, ready, strict=True):
                blocks = e.last
                covered = set().union(*(b.covered for b in blocks)) if blocks else set()
                coverage[p] = merged_coverage(covered, any(b.whole for b in blocks))
            return Plan(tasks=[b.doc for e in ready for b in e.last], coverage=coverage, requirements=req)
        return self.result(path)

    def _whole_doc(self, path: str) -> TasksDoc | None:
        result = self.result(path)
        return next((t for t in result.tasks if t.path == path), None) if result else None

    def block_view(self, path: str, start: int, end: int) -> tuple[TasksDoc | None, int]:
        """(TasksDoc, line offset) for requests on lines start..end of an open tasks document:
        the block the incremental engine parsed when the lines lie in one, else the full parse."""
        engine = self._engine(path) if path in self.docs else None
        block = engine.block_at(start) if engine is not None else None
        if block is not None and end < block.end:
            return block.doc, block.start
        return self._whole_doc(path), 0

    def whole_tasks(self, path: str) -> TasksDoc | None:
        """An open tasks document as one TasksDoc (IDs, titles, statuses, hierarchy, `_Depends:`
        lines, the dependency graph's lines) without a full analysis when the incremental
        engine has it; else from the full analysis."""
        engine = self._engine(path) if path in self.docs else None
        doc = engine.merged_doc() if engine is not None else None
        return doc if doc is not None else self._whole_doc(path)

    def done_habit(self, path: str) -> str | None:
        """The done glyph (x or X) a tasks document uses most, over the whole document: a
        toggle computed on one block (block_view) must not write `x` into an `X` document."""
        engine = self._engine(path) if path in self.docs else None
        if engine is not None:
            return engine.done_habit()
        doc = self._whole_doc(path)
        return done_habit(doc.tasks) if doc else None

    def _openspec_findings(self, path: str) -> list[Finding]:
        """An OpenSpec capability spec, delta spec or proposal: checked whole (they are small),
        against the base spec or the change's deltas as they are open or on disk."""
        doc = self.document(path)
        if doc is None:
            return []

        def read(other: str) -> str | None:
            d = self.document(other)
            return d.text if d is not None else None

        return openspec.document_findings(path, doc.text, read, self.config)

    def paths_of_result(self, path: str) -> list[str]:
        found = openspec.document_kind(path) if "openspec" in path else None
        if found is not None:
            # a capability spec's deltas (and a change's proposal) follow its edits
            root = found[1]
            return [path] + [p for p in self.docs if p != path and p.startswith(root + os.sep)]
        spec = self.spec_of(path)
        return spec.paths if spec else [path]

    def discover(self) -> int:
        specs: dict[str, Spec] = {}
        notes = []
        for root in self.roots:
            found = discover(root, self.config)
            if found.truncated:
                notes.append(found.truncated)
            notes.extend(
                f"cannot read the spec folder {folder}: {why}"
                for folder, why in found.unreadable
                if in_spec_root(folder)
            )
            # a spec folder laid out in a way specmark does not read (the CLI's spec-layout
            # warnings; the information ones are left to `specmark check`)
            notes.extend(
                f"{doc}: {message}" for doc, message, severity in found.layout if severity == "warning"
            )
            for spec in found.specs:
                specs[spec.folder] = spec
        self.specs = specs
        self.discovery_note = "; ".join(notes) or None
        return len(specs)
