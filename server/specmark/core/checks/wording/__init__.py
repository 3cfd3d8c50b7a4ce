"""The `wording-*` rule family: deterministic wording checks of acceptance criteria and
requirement statements (EARS, INCOSE). Opt-in: off unless `wording = true` is configured,
a rule's severity is set, or the rule is selected (`specmark check --select wording`).

Each rule is a module of this package with the usual CODE, DEFAULT and SUMMARY, and
`IN_FAMILY` (whether `wording = true` turns it on); its check is `rule_check(CODE)`. The rules share one pass over each
statement (`hits`, memoised by the statement's text and what decides its reading), so typing
in one criterion re-reads that criterion only.

What is read: every acceptance criterion of requirements.md / bugfix.md (the bugfix
"current behaviour" clauses describe the defect and are exempt from the modal and EARS
rules), spec-kit's functional requirements (`**FR-001**: The system MUST …`) and success
criteria. Text inside backticks is never read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from ... import lexicon
from ...model import Finding, Flavor, Record, Span
from ...text import lazy

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ...config import Config
    from .. import CheckContext

    # a term table: language → terms; the configured extra terms: table key → terms
    Terms = Mapping[str, tuple[str, ...]]

FAMILY = "wording"

_CJK = lazy(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_KANA = lazy(r"[\u3040-\u30ff]")
_LATIN_WORD = lazy(r"[A-Za-z]{2,}")
_CODE_SPAN = lazy(r"`[^`]*`|\"[^\"]*\"|“[^”]*”|「[^」]*」")
_CURRENT_BEHAVIOUR = lazy(r"current|defect|actual|現在|现状|現狀|当前|當前|現状", re.I)


class Hit(Record):
    """One finding of one rule inside a statement: offsets into the statement's text."""

    code: str
    start: int
    end: int
    message: str
    term: str


def language_of(text: str) -> str:
    """ "ja", "zh", "en", or "" (another language: only the language-neutral rules apply)."""
    if _CJK.search(text):
        return "ja" if _KANA.search(text) else "zh"
    words = _LATIN_WORD.findall(text)
    if not words:
        return ""
    english = sum(1 for w in words if w.lower() in _ENGLISH_HINTS)
    return "en" if english * 4 >= len(words) else ""


_ENGLISH_HINTS = frozenset(
    "the a an shall must should will when while if then where and or of to for with is are be "
    "system user users when not that this it in on by from as any each all can may".split()
)


def _blank_code(text: str) -> str:
    """The text with inline code and quoted strings replaced by spaces (offsets kept): what a
    requirement quotes (a message, a value) is not its wording."""
    if "`" not in text and '"' not in text and "“" not in text and "「" not in text:
        return text
    blanked: str = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
    return blanked


@lru_cache(maxsize=512)
def _term_pattern(terms: tuple[str, ...], cjk: bool) -> re.Pattern[str] | None:
    if not terms:
        return None
    parts = sorted({t for t in terms if t}, key=len, reverse=True)
    body = "|".join(re.escape(t) for t in parts)
    if cjk:
        return re.compile(f"(?:{body})")
    # whole words: not inside a longer word, not joined by a hyphen to one
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)


def _terms(table: Terms, lang: str, extra: Terms, key: str) -> tuple[str, ...]:
    base = table.get(lang, ())
    added = tuple(t for t in extra.get(key, ()) if t)
    return base + added if lang == "en" or added else base


def _find(
    text: str, table: Terms, lang: str, extra: Terms, key: str, ignore: frozenset[str]
) -> Iterator[re.Match[str]]:
    pattern = _term_pattern(_terms(table, lang, extra, key), lang in ("zh", "ja"))
    if pattern is None:
        return
    for m in pattern.finditer(text):
        if m.group(0).lower() not in ignore:
            yield m


_EN_MODAL = lazy(r"(?<![\w-])(shall|must)(?![\w-])", re.I)
_EN_WEAK_ONLY_MODAL = lazy(r"(?<![\w-])(will|is required to|are required to)(?![\w-])", re.I)
_CLAUSE_KEY = lazy(r"(?:^|(?<=[,;:]\s)|(?<=[,;:]))\s*(WHILE|WHEN|WHERE|IF)\b")
_AFTER_MODAL_KEY = lazy(r"(?<![\w-])(WHILE|WHEN|WHERE|IF)(?![\w-])")
# a pronoun opening the statement: after a WHEN/IF clause the pronoun usually has its antecedent
# there ("WHEN the helper runs THEN it SHALL …"), which no pattern can tell apart from one without
_PRONOUN_SUBJECT = lazy(
    r"^\s*(?P<p>" + "|".join(lexicon.PRONOUNS) + r")\s+(?:shall|must|should|will)\b",
    re.I,
)
_SCENARIO = lazy(r"^[\W_]*(?:given|假如|假设|前提)\b", re.I)
_MENTION = lazy(r"(?:\b(?:a|an|the|as|como|um|uma|un|une|el|la|le|comme|als)\s+)$", re.I)
_PERMISSION = lazy(r"\b(?:can|may|could|might)\b", re.I)
_SQL = lazy(r"\bSELECT\b.*\bFROM\b|\bIF (?:NOT )?EXISTS\b|\bWHERE\s+\w+\s*(?:=|<|>|IN\b|LIKE\b)")
_SHALL_NOT = lazy(r"(?<![\w-])(?:shall|must)\s+not\s+(?P<obj>[a-z][a-z ]*)", re.I)


@lru_cache(maxsize=16384)
def hits(
    text: str, kind: str, ears: bool, terms_key: tuple[tuple[str, tuple[str, ...]], ...] = ()
) -> tuple[Hit, ...]:
    """Every wording hit in one statement. `kind`: "criterion", "functional" (a requirement
    statement such as spec-kit's FR), "current" (a bugfix current-behaviour clause: no modal
    expected), "success" (a measurable outcome: no modal expected), "scenario" (a Given/When/Then
    acceptance scenario: no modal expected). `ears`: the convention
    writes EARS (Kiro, cc-sdd, spec-workflow)."""
    extra = dict(terms_key)
    ignore = frozenset(t.lower() for t in extra.get("ignore", ()))
    text_c = _blank_code(text)
    lang = language_of(text_c)
    out: list[Hit] = []
    if not lang:
        lang = ""

    def add(code: str, start: int, end: int, message: str) -> None:
        out.append(Hit(code, start, end, message, text[start:end]))

    # -- wording-tbd (every language; TBD, TODO … are written in Latin letters everywhere)
    for lg in {"en", lang} - {""}:
        for m in _find(text_c, lexicon.TBD, lg, extra, "tbd", ignore):
            word = m.group(0)
            if lg == "en" and word.isalpha() and len(word) <= 5 and word != word.upper():
                continue  # "todo" as a word, "Tbd": only the capitalised markers are markers
            if _MENTION.search(text_c, 0, m.start()):
                continue  # "document it as TODO", "a TBD marker": the marker is mentioned, not left
            add(
                "wording-tbd",
                m.start(),
                m.end(),
                f"'{word}' leaves the criterion undecided; write the decision, or move the open question out of the requirement",
            )

    if lang:
        needs_modal = kind in ("criterion", "functional")
        # -- modals
        if needs_modal:
            if lang == "en":
                binding = _EN_MODAL.search(text_c) or _EN_WEAK_ONLY_MODAL.search(text_c)
                extra_binding = _find(text_c, {"en": ()}, "en", extra, "binding", ignore)
                binding = binding or next(iter(extra_binding), None)
            else:
                # a weak modal may contain a binding one (应该 ⊃ 应): blank the weak ones first;
                # English SHALL/MUST inside CJK text (Kiro keeps the EARS keywords) binds too
                blanked = text_c
                for m in _find(text_c, lexicon.WEAK, lang, extra, "weak", ignore):
                    blanked = blanked[: m.start()] + " " * (m.end() - m.start()) + blanked[m.end() :]
                binding = _EN_MODAL.search(text_c) or next(
                    iter(_find(blanked, lexicon.BINDING, lang, extra, "binding", ignore)), None
                )
            if binding is None and not text_c.rstrip().endswith((":", "：")):  # a list follows
                weak = list(_find(text_c, lexicon.WEAK, lang, extra, "weak", ignore))
                if weak:
                    m = weak[0]
                    add(
                        "wording-no-modal",
                        m.start(),
                        m.end(),
                        f"'{m.group(0)}' is not binding; a requirement says what the system SHALL (or MUST) do",
                    )
                elif lang == "en":
                    stripped = len(text) - len(text.lstrip())
                    add(
                        "wording-no-modal",
                        stripped,
                        len(text.rstrip()),
                        "the criterion has no SHALL or MUST; state what the system SHALL do",
                    )
        # -- EARS clause order (English, EARS conventions, criteria with SHALL)
        if ears and kind == "criterion" and lang == "en" and not _SQL.search(text_c):
            modal = re.search(r"(?<![\w-])SHALL(?![\w-])", text_c)
            if modal:
                after = _AFTER_MODAL_KEY.search(text_c, modal.end())
                if after and re.search(r"(?<![\w-])SHALL(?![\w-])", text_c[after.end() :]):
                    after = None  # a second EARS sentence: wording-compound's finding, not an order one
                if after:
                    add(
                        "wording-ears-pattern",
                        after.start(),
                        after.end(),
                        f"'{after.group(1)}' comes after SHALL; EARS puts the condition first: "
                        f"'{after.group(1)} <condition>, THE <system> SHALL <response>'",
                    )
                else:
                    keys = [(m.group(1), m.start(1)) for m in _CLAUSE_KEY.finditer(text_c[: modal.start()])]
                    order = {"WHERE": 0, "WHILE": 1, "WHEN": 2, "IF": 2}
                    for (k1, _p1), (k2, p2) in zip(keys, keys[1:], strict=False):
                        if order[k2] < order[k1]:
                            add(
                                "wording-ears-pattern",
                                p2,
                                p2 + len(k2),
                                f"'{k2}' after '{k1}': EARS orders the clauses WHERE, WHILE, WHEN/IF, then SHALL",
                            )
                            break
        # -- vague terms
        for m in _find(text_c, lexicon.VAGUE, lang, extra, "vague", ignore):
            add(
                "wording-vague",
                m.start(),
                m.end(),
                f"'{m.group(0)}' is vague: it cannot be tested; name a measurable property "
                "(a number with a unit, a named standard, an observable result)",
            )
        for m in _find(text_c, lexicon.ESCAPE, lang, extra, "escape-clause", ignore):
            clause = text_c[
                max(text_c.rfind(",", 0, m.start()), text_c.rfind(";", 0, m.start())) + 1 : m.start()
            ]
            if lang == "en" and _PERMISSION.search(clause):
                continue  # "the user can reopen it if needed": the condition is the actor's, not the system's
            add(
                "wording-escape-clause",
                m.start(),
                m.end(),
                f"'{m.group(0)}' lets the requirement be met by doing nothing; state when it applies, or drop it",
            )
        for m in _find(text_c, lexicon.OPEN_ENDED, lang, extra, "open-ended", ignore):
            add(
                "wording-open-ended",
                m.start(),
                m.end(),
                f"'{m.group(0)}' leaves the list open; list every case, or name the rule that decides",
            )
        for m in _find(text_c, lexicon.UNBOUNDED, lang, extra, "unbounded", ignore):
            add(
                "wording-unbounded",
                m.start(),
                m.end(),
                f"'{m.group(0)}' has no bound; name a measurable one, e.g. 'within 200 ms' or 'in 99.9 % of requests'",
            )
        # -- compound: two binding modals, or and/or
        if needs_modal and lang == "en":
            modals = list(_EN_MODAL.finditer(text_c))
            if len(modals) >= 2:
                m = modals[1]
                add(
                    "wording-compound",
                    m.start(),
                    m.end(),
                    f"a second '{m.group(0)}' in one criterion: two requirements in one; split them so each can be tested and traced",
                )
        andor = _term_pattern(lexicon.AND_OR, lang in ("zh", "ja"))
        for m in andor.finditer(text_c) if andor is not None else ():
            add(
                "wording-compound",
                m.start(),
                m.end(),
                f"'{m.group(0)}' hides two requirements; write one criterion for each case",
            )
        # -- pronoun as the subject of the modal
        if lang == "en" and needs_modal:
            for m in _PRONOUN_SUBJECT.finditer(text_c):
                add(
                    "wording-pronoun",
                    m.start("p"),
                    m.end("p"),
                    f"'{m.group('p')}' as the subject: name the system or actor, so the criterion reads on its own",
                )
        # -- negative statements with a plausible positive form
        if lang == "en":
            for m in _SHALL_NOT.finditer(text_c):
                obj = m.group("obj").lower()
                for verb in lexicon.NEGATIVE_OBJECTS:
                    if obj == verb or obj.startswith(verb + " "):
                        add(
                            "wording-negative",
                            m.start(),
                            m.start("obj") + len(verb),
                            f"'{text[m.start() : m.start('obj') + len(verb)]}' is a double negative; "
                            "say what the system SHALL do (e.g. 'SHALL NOT fail to save' → 'SHALL save')",
                        )
                        break
    out.sort(key=lambda h: (h.start, h.code))
    return tuple(out)


def statements(ctx: CheckContext) -> Iterator[tuple[str, int, int, str, str, bool]]:
    """(path, line, column of the text, text, kind, ears) of every statement to read."""
    req = ctx.requirements
    if req is None:
        return
    lines = req.lines
    ears = ctx.flavor in (Flavor.KIRO, Flavor.SPEC_WORKFLOW)
    for r in req.requirements:
        kind_of_req = r.kind
        if kind_of_req in ("functional", "success"):
            line = lines[r.line] if 0 <= r.line < len(lines) else ""
            text = r.title
            col = line.find(text) if text else -1
            if col >= 0:
                yield req.path, r.line, col, text, kind_of_req, False
            continue
        current = kind_of_req == "bugfix-group" and _CURRENT_BEHAVIOUR.search(r.title or "") is not None
        for c in r.criteria:
            if not (0 <= c.line < len(lines)):
                continue
            line = lines[c.line]
            col = line.find(c.text) if c.text else -1
            if col < 0:
                continue
            # a Given/When/Then scenario (spec-kit's acceptance scenarios) describes behaviour
            # observed, not a requirement statement: no modal is expected of it
            kind = "current" if current else "scenario" if _SCENARIO.match(c.text) else "criterion"
            yield req.path, c.line, col, c.text, kind, ears and kind_of_req != "bugfix-group"


def terms_key(config: Config) -> tuple[tuple[str, tuple[str, ...]], ...]:
    terms = getattr(config, "wording_terms", None) or {}
    return tuple(sorted((k, tuple(v)) for k, v in terms.items()))


def findings(ctx: CheckContext, code: str) -> Iterator[Finding]:
    """The findings of one rule: the family's findings are made in one pass per requirements
    document and configuration, and each rule takes its own."""
    return iter(_by_code(ctx).get(code, ()))


def rule_check(code: str) -> Callable[[CheckContext], Iterator[Finding]]:
    """The `check` of the wording rule `code` (the registry's, for each module of this package)."""

    def check(ctx: CheckContext) -> Iterator[Finding]:
        return findings(ctx, code)

    return check


_LAST: list[Any] = [None, None]  # (requirements document, config, flavor) → findings by code


def _by_code(ctx: CheckContext) -> dict[str, list[Finding]]:
    key = (ctx.requirements, ctx.config, ctx.flavor)
    last = _LAST[0]
    if last is not None and all(a is b for a, b in zip(last, key, strict=True)):
        cached: dict[str, list[Finding]] = _LAST[1]
        return cached
    out: dict[str, list[Finding]] = {}
    terms = terms_key(ctx.config)
    for path, line, col, text, kind, ears in statements(ctx):
        for h in hits(text, kind, ears, terms):
            out.setdefault(h.code, []).append(
                Finding(
                    h.code,
                    path,
                    Span(line, col + h.start, line, col + h.end),
                    h.message,
                    data={"term": h.term},
                )
            )
    _LAST[0], _LAST[1] = key, out
    return out
