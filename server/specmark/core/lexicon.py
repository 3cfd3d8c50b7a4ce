"""The word lists of the wording rules, per language, in one place.

Each list is a tuple of terms. Latin-script terms match whole words, case-insensitively
(`fast` does not match `FastAPI` or `breakfast`); CJK terms match as written (those scripts
have no word boundaries). A project adds terms or silences one through the `wording-terms`
table of its configuration (docs/configuration.md).

Sources: INCOSE *Guide to Writing Requirements* rules R7 (vague terms), R8 (escape clauses),
R9 (open-ended clauses), R16 (not), R17/R19 (and/or, combinators), R18 (single thought),
R24 (pronouns), R26 (absolutes), R35 (temporal dependencies);
ISO/IEC/IEEE 29148:2018 §5.2.7 (terms to avoid); EARS (Mavin et al., RE 2009).
"""

from __future__ import annotations

# binding modals: a requirement statement carries one of these
BINDING = {
    "en": ("shall", "must", "will", "is required to", "are required to"),
    "zh": ("必须", "必須", "应当", "應當", "应", "應", "须", "須", "需要", "将", "將", "会", "會"),
    "ja": ("しなければならない", "ものとする", "すること", "必要がある", "必須"),
}
# weak modals: reported where a requirement has no binding one
WEAK = {
    "en": ("should", "may", "could", "might", "can"),
    "zh": ("应该", "應該", "可以", "可能", "最好", "建议", "建議"),
    "ja": ("してもよい", "が望ましい", "かもしれない", "べき", "できれば"),
}
# vague or subjective terms (INCOSE R7, ISO 29148's terms to avoid)
VAGUE = {
    "en": (
        "fast",
        "quickly",
        "rapidly",
        "user-friendly",
        "user friendly",
        "easy",
        "easily",
        "intuitive",
        "intuitively",
        "appropriate",
        "appropriately",
        "adequate",
        "adequately",
        "reasonable",
        "reasonably",
        "robust",
        "seamless",
        "seamlessly",
        "efficient",
        "efficiently",
        "flexible",
        "state-of-the-art",
        "sufficient",
        "sufficiently",
        "optimal",
        "optimally",
        "high-performance",
        "lightweight",
        "smooth",
        "smoothly",
    ),
    "zh": (
        "适当",
        "適當",
        "合适的",
        "合適的",
        "合理的",
        "迅速",
        "简单易用",
        "簡單易用",
        "易于使用",
        "易於使用",
        "直观",
        "直觀",
        "用户友好",
        "友好的",
        "友善的",
        "高效",
        "灵活",
        "靈活",
        "足够的",
        "足夠的",
        "流畅",
        "流暢",
    ),
    "ja": (
        "適切な",
        "適切に",
        "迅速に",
        "簡単に",
        "容易に",
        "直感的",
        "十分な",
        "柔軟な",
        "スムーズに",
        "効率的に",
    ),
}
# escape clauses (INCOSE R8)
ESCAPE = {
    "en": (
        "as far as possible",
        "as much as possible",
        "to the extent possible",
        "where practical",
        "where practicable",
        "where possible",
        "if possible",
        "if practical",
        "if necessary",
        "if needed",
        "when necessary",
        "as necessary",
        "as needed",
        "as appropriate",
        "as applicable",
        "as required",
        "as soon as possible",
    ),
    "zh": ("尽可能", "盡可能", "必要时", "必要時", "如有必要", "视情况", "視情況"),
    "ja": ("可能な限り", "できる限り", "必要に応じて", "必要であれば"),
}
# open-ended clauses (INCOSE R9)
OPEN_ENDED = {
    "en": (
        "including but not limited to",
        "including, but not limited to",
        "and so on",
        "and so forth",
        "etc.",
        "etc",
    ),
    "zh": ("等等",),
    "ja": ("などなど",),
}
# absolutes and unbounded time words (INCOSE R26, R35). Not "100%" (a measurable target in
# success criteria), not "immediately"/"in real time"/立即/即座に (in the corpus they state an
# order of events far more often than a missing time bound), not "never" (a prohibition).
UNBOUNDED = {
    "en": (
        "always",
        "at all times",
        "all the time",
        "in a timely manner",
        "in a timely fashion",
        "within a short time",
        "within a reasonable time",
        "short period",
        "eventually",
    ),
    "zh": ("始终", "始終", "永远", "永遠", "及时", "及時"),
    "ja": ("いつでも", "常時", "適時"),
}
# left to decide (placeholders)
TBD = {
    "en": (
        "TBD",
        "TBC",
        "TBA",
        "TODO",
        "FIXME",
        "???",
        "to be determined",
        "to be defined",
        "to be confirmed",
    ),
    "zh": ("待定", "待确认", "待確認", "待补充", "待補充"),
    "ja": ("未定", "要確認", "検討中"),
}
# subject pronouns that may stand before a modal without an antecedent (INCOSE R24)
PRONOUNS = ("it", "they", "this", "these", "that", "those", "he", "she")
# after SHALL NOT: verbs whose positive form is plausible
NEGATIVE_OBJECTS = (
    "fail to",
    "fail",
    "be unable to",
    "be unavailable",
    "be less than",
    "prevent",
    "disallow",
    "be disabled",
    "lose",
    "forget to",
    "omit",
    "neglect to",
)
# the combinator that hides two requirements (INCOSE R17, R19)
AND_OR = ("and/or", "and / or", "和/或", "及/或", "および/または")

# the wording-terms configuration keys → the table each extends
TABLES = {
    "binding": BINDING,
    "weak": WEAK,
    "vague": VAGUE,
    "escape-clause": ESCAPE,
    "open-ended": OPEN_ENDED,
    "unbounded": UNBOUNDED,
    "tbd": TBD,
}
