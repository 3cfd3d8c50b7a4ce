"""The localised vocabulary of spec documents, in one table.

Every word the parsers recognise in a human language lives here, grouped by role and by
language, so supporting a new language (or a new phrasing seen in the wild) is one line in
this file. The parsers build their regular expressions from these tuples with `alternation`
(longest first, escaped, matched case-insensitively); nothing here is compiled at import time.

Roles:
- REFERENCE_LABELS: the label of a reference line (`_Requirements: 1.1_`, `_要件: 2.1_`).
- LEAD_LABELS: labels after which the word "Requirements" may stand before the IDs
  (`**Validates: Requirements 1.1**`).
- REQUIREMENT_WORDS: words that may stand right before an ID in a reference list
  (`Requirement 1`, `需求 1.1`, `Req. 3`).
- ALL_PHRASES, ALL_WORDS, ALL_RESTRICTING: whole-spec references ("All requirements", "All",
  "全要件") and the words after them that make a subset.
- ID_CONNECTIVES: words that join IDs inside one list item ("1.1 and 1.2").
- WHOLE_SUFFIXES: written after a requirement number, "that requirement as a whole"
  (cc-sdd `2全体`).
- ANNOTATION_LABELS: labels of detail lines that are never references (`_Leverage:_`).
- REQUIREMENT_HEADING_WORDS, ACCEPTANCE_HEADINGS, USER_STORY_WORDS: the words of requirement
  headings (`### Requirement 1`), acceptance-criteria headings and user-story headings
  (requirements.py and the task checks read them).
- STORY_PRIORITY_WORDS: the priority after a user story's title (`(Priority: P1)`), trimmed
  from the title.
- TASK_HEADING_WORDS, PHASE_WORDS: heading tasks (`## Task 1:`, `### Sub-task 2.1:`) and
  headings that carry the number of the tasks under them (`## Phase 2`) in tasks.md.
- CRITERIA_WORDS, CHECKLIST_WORDS: headings and label lines over checkboxes that are the
  plan's criteria (`## Success Criteria`: not tasks) or a checklist (`### Checklist`: tasks
  that need no reference); the acceptance-criteria headings count as criteria.
"""

from __future__ import annotations

import re

# label of a reference line, per language
REFERENCE_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("Requirements", "Requirement", "Reqs", "Validates", "Implements", "Covers"),
    "zh": ("需求", "对应需求", "對應需求", "相关需求", "相關需求", "关联需求", "關聯需求", "验证", "驗證"),
    "ja": ("要件", "対応要件", "関連要件", "要求", "検証"),
    "ko": ("요구사항",),
    "ru": ("Требования", "Требование"),
    "pt/es": ("Requisitos", "Requisito"),
    "fr": ("Exigences", "Exigence"),
    "de": ("Anforderungen", "Anforderung"),
    "vi": ("Yêu cầu",),
}

# labels whose list may start with the word "Requirements" (`**Validates: Requirements 1.1**`)
LEAD_LABELS: tuple[str, ...] = ("Validates", "Implements", "Covers", "验证", "驗證", "検証")

# labels that are also everyday words ("验证：对 key 计算 SHA-256" is prose): a line with one of
# them is a reference only when it cites something (an ID, a range, "All") or is a placeholder
WEAK_LABELS: tuple[str, ...] = ("验证", "驗證", "検証", "Implements", "Covers")

# a word that may stand right before an ID in a list (`Requirement 1`, `需求 1.1`)
REQUIREMENT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Requirements", "Requirement", "Req.", "Req"),
    "zh": ("需求",),
    "ja": ("要件", "要求"),
    "ko": ("요구사항",),
    "ru": ("Требования", "Требование"),
    "pt/es": ("Requisitos", "Requisito"),
    "fr": ("Exigences", "Exigence"),
    "de": ("Anforderungen", "Anforderung"),
    "vi": ("Yêu cầu",),
}

# a whole-spec reference. ALL_PHRASES name the requirements ("All requirements", "全要件"): a
# comment may follow them ("All requirements (integration)", "All requirements integrated"),
# unless it starts with a word of ALL_RESTRICTING ("All requirements for login" is a subset,
# free text). ALL_WORDS are bare determiners ("All", "すべて"): alone, or followed by a comment
# in parentheses or after a dash; a qualified phrase ("All security requirements") is free text
ALL_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "All requirements",
        "All the requirements",
        "All of the requirements",
        "All acceptance criteria",
        "All criteria",
        "Every requirement",
        "All user stories",
        "All stories",
    ),
    "zh": ("所有需求", "全部需求", "全部要求", "所有要求"),
    "ja": ("全要件", "全ての要件", "すべての要件"),
    "ko": ("모든 요구사항",),
    "ru": ("Все требования",),
    "pt/es": ("Todos os requisitos", "Todos los requisitos"),
    "fr": ("Toutes les exigences",),
    "de": ("Alle Anforderungen",),
    "vi": ("Tất cả yêu cầu", "Tất cả các yêu cầu"),
}
ALL_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("All",),
    "zh": ("全部", "所有"),
    "ja": ("全て", "すべて"),
    "ko": ("전체", "모두"),
    "ru": ("Все",),
    "pt/es": ("Todos", "Todas"),
    "fr": ("Toutes", "Tous"),
    "de": ("Alle",),
    "vi": ("Tất cả",),
}
# a word after an ALL_PHRASE that narrows it to a subset (English; other languages put their
# qualifiers before the noun, where the phrase no longer matches)
ALL_RESTRICTING: tuple[str, ...] = (
    "about",
    "affecting",
    "apart",
    "besides",
    "but",
    "concerning",
    "except",
    "excluding",
    "for",
    "from",
    "in",
    "involving",
    "not",
    "of",
    "on",
    "other",
    "regarding",
    "related",
    "that",
    "under",
    "where",
    "which",
    "with",
    "within",
)

# joins IDs inside one list item ("1.1 and 1.2", "要件1及び2")
ID_CONNECTIVES: tuple[str, ...] = (
    "and",
    "or",
    "&",
    "/",
    "+",
    "及び",
    "および",
    "和",
    "与",
    "與",
    "및",
    "и",
    "e",
    "y",
    "et",
    "und",
    "và",
)

# words that name a kind of section rather than one ("Security NFR", "Performance Non-Functional
# Requirements", "Non-Functional Requirements (Usability)"): dropped before a reference by name is
# looked up among the requirements document's headings
SECTION_WORDS: tuple[str, ...] = (
    "Non-Functional Requirements",
    "Non-Functional Requirement",
    "Non-Functional",
    "Nonfunctional Requirements",
    "NFRs",
    "NFR",
    "Requirements",
    "Requirement",
    "非機能要件",
    "非功能性需求",
    "非功能需求",
    "要件",
    "需求",
)

# after a requirement number: "that requirement as a whole" (cc-sdd `_要件: 2全体_`)
WHOLE_SUFFIXES: tuple[str, ...] = ("全体", "全般", "整体", "全部")

# detail-line labels that are never references
ANNOTATION_LABELS: tuple[str, ...] = (
    "Leverage",
    "Prompt",
    "Depends",
    "Boundary",
    "Details",
    "Blocked",
    "Completion Criteria",
    "Status",
    "Completed",
    "Files",
    "File",
    "Purpose",
    "Notes",
    "Note",
    # Kiro bugfix plans: the properties a fix keeps (`_Preservation: Requirements 3.1 — …_`);
    # the task's `_Requirements:_` line is the reference
    "Preservation",
    "Bug_Condition",
    "Expected_Behavior",
)

# ---- requirement documents (requirements.py) and task checks --------------------------------

# `### Requirement 1: Title`
REQUIREMENT_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Requirement", "Req.", "Req"),
    "zh": ("需求",),
    "ja": ("要件", "要求"),
    "ko": ("요구사항",),
    "ru": ("Требование",),
    "pt/es/it": ("Requisito",),
    "id": ("Persyaratan",),
    "fr": ("Exigence",),
    "de": ("Anforderung",),
    "vi": ("Yêu cầu",),
}

# `#### Acceptance Criteria` (also as a bold label: `**受け入れ条件:**`)
ACCEPTANCE_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": ("Acceptance Criteria", "Acceptance Scenarios"),
    "ja": ("受入基準", "受け入れ基準", "受入れ基準", "受入条件", "受け入れ条件", "受入れ条件"),
    "zh": ("验收标准", "驗收標準", "验收准则", "驗收準則", "验收条件", "驗收條件"),
    "ko": ("수용 기준", "인수 기준"),
    "ru": ("Критерии приемки", "Критерии приёмки"),
    "pt": ("Critérios de Aceitação", "Critérios de Aceite"),
    "es": ("Criterios de Aceptación",),
    "it": ("Criteri di accettazione",),
    "id": ("Kriteria Penerimaan",),
    "fr": ("Critères d'acceptation", "Critères d’acceptation"),
    "de": ("Akzeptanzkriterien",),
    "vi": ("Tiêu chí chấp nhận",),
}

# `### User Story 1 - Title` (spec-kit), `## Phase 3: User Story 1`
USER_STORY_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("User Story",),
    "ja": ("ユーザーストーリー", "ユーザストーリー"),
    "zh": ("用户故事", "使用者故事", "用戶故事"),
    "ko": ("사용자 스토리",),
    "ru": ("Пользовательская история",),
    "pt": ("História de Usuário", "História do Usuário", "História de Utilizador"),
    "es": ("Historia de Usuario",),
    "fr": ("Récit utilisateur", "Histoire utilisateur"),
    "vi": ("Câu chuyện người dùng",),
}

# ---- tasks documents (tasks.py, checks/missing_requirements.py) -------------------------------

# the word of a heading task: `## Task 1: Title`, `## Major Task 2:`, `### Sub-task 2.1:`
TASK_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Task", "Major Task", "Main Task", "Sub-task", "Subtask", "Sub task"),
    "zh": ("任务", "任務"),
    "ja": ("タスク",),
    "pt/es": ("Tarefa", "Tarea"),
    "ru": ("Задача",),
}

# a heading that carries a number for the tasks under it: `## Phase 2: Title` then `- [ ] 2.1`
PHASE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Phase", "Stage", "Part", "Milestone", "Step", "Sprint", "Wave", "Epic", "Section"),
    "ja": ("フェーズ", "段階", "ステップ"),
    "zh": ("阶段", "階段", "步骤", "步驟"),
    "pt/es": ("Fase", "Etapa"),
    "fr": ("Étape",),
    "de": ("Schritt",),
    "ru": ("Этап", "Фаза"),
    "vi": ("Giai đoạn",),
}

# a heading (or a bold label line) over checkboxes that are criteria of the plan, not work:
# `## Success Criteria`, `**Definition of Done**:` (the acceptance-criteria headings count too).
# Unnumbered checkboxes there, outside any task, are not tasks at all (tasks.py).
CRITERIA_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "Success Criteria",
        "Success Metrics",
        "Definition of Done",
        "Exit Criteria",
        "Done Criteria",
        "Completion Criteria",
    ),
    "ja": ("完了条件", "完了基準", "成功基準"),
    "zh": ("成功标准", "成功標準", "完成标准", "完成標準"),
    "pt/es": ("Critérios de sucesso", "Criterios de éxito"),
    "ru": ("Критерии успеха",),
    "vi": ("Tiêu chí thành công",),
}

# a heading (or label line) over a checklist: its unnumbered items stay tasks (they are ticked
# as work is checked) but need no requirement reference (checks/missing_requirements.py)
CHECKLIST_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Checklist", "Check list", "Prerequisites"),
    "ja": ("チェックリスト", "前提条件"),
    "zh": ("检查清单", "檢查清單", "前置条件"),
    "ru": ("Чек-лист",),
}


# the priority after a spec-kit user story's title: `### User Story 1 - Title (Priority: P1)`
STORY_PRIORITY_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Priority",),
    "ja": ("優先度",),
    "zh": ("优先级", "優先級"),
    "ko": ("우선순위",),
    "ru": ("Приоритет",),
    "pt/es": ("Prioridade", "Prioridad"),
    "fr": ("Priorité",),
    "de": ("Priorität",),
    "vi": ("Độ ưu tiên",),
}


def words(table: dict[str, tuple[str, ...]] | tuple[str, ...]) -> tuple[str, ...]:
    """Every word of a table (all languages), without duplicates, in table order."""
    seq = table if isinstance(table, tuple) else tuple(w for ws in table.values() for w in ws)
    return tuple(dict.fromkeys(seq))


def alternation(table: dict[str, tuple[str, ...]] | tuple[str, ...], extra: tuple[str, ...] = ()) -> str:
    """A regex alternation of the table's words (and `extra`), longest first, escaped. Blanks
    inside a phrase match any run of blanks."""
    out = []
    for w in sorted(set(words(table) + tuple(extra)), key=lambda s: (-len(s), s)):
        out.append(r"[ \t]+".join(re.escape(part) for part in w.split()))
    return "|".join(out)
