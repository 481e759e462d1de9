"""Two short self-assessments of our own making, scored 0–100: sales enablement and lead management.

They are inspired by, and do not reproduce, the proprietary indexes of IDC's Customer Creation Scorecard
(IDC, 2012: sales enablement 47 and lead management 52 out of 100 for the technology industry). A score here is
the user's own judgement, labelled as a self-assessment wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE = ("Not at all", "Rarely", "Sometimes", "Mostly", "Always")  # answer 0..4
LABEL = "Self-assessment (our own questionnaire, inspired by IDC's index; not IDC's score)"


@dataclass(frozen=True)
class Question:
    id: str
    text: str


ASSESSMENTS: dict[str, tuple[Question, ...]] = {
    "sales_enablement_score": (
        Question("se_content", "Sellers find current, on-message content for each buying stage in one place."),
        Question("se_onboarding", "New sellers follow a defined onboarding path and reach quota on a known timeline."),
        Question("se_training", "Sellers get regular training on products, buyers and competitors."),
        Question("se_playbooks", "Each segment and deal type has a playbook that sellers actually use."),
        Question("se_tools", "Sellers' tools (CRM, content, calling) work together without re-keying."),
        Question("se_feedback", "Sales tells marketing which content and messages win, and marketing acts on it."),
        Question("se_measure", "Enablement work is measured by its effect on win rate or cycle time."),
    ),
    "lead_management_score": (
        Question("lm_definition", "Sales and marketing share a written definition of a qualified lead."),
        Question("lm_scoring", "Leads are scored on fit and engagement before they reach Sales."),
        Question("lm_routing", "Qualified leads reach the right seller automatically, within hours."),
        Question("lm_follow_up", "Every qualified lead is followed up within an agreed service level."),
        Question("lm_nurture", "Leads not ready to buy go into a nurture track instead of being dropped."),
        Question("lm_feedback", "Sales records why a lead was rejected, and marketing reviews it."),
        Question("lm_reporting", "Lead-to-revenue conversion is reported by source and campaign every month."),
    ),
}
MISSING_ANSWERS = "questionnaire answers (Scorecard page)"


def score(assessment_id: str, answers: dict[str, int]) -> float | None:
    """0–100 when every question of the assessment has an answer 0..4, else None."""
    questions = ASSESSMENTS[assessment_id]
    given = [answers.get(question.id) for question in questions]
    if any(answer is None or not 0 <= answer <= 4 for answer in given):
        return None
    return 100.0 * sum(given) / (4 * len(questions))


def answered(assessment_id: str, answers: dict[str, int]) -> int:
    return sum(1 for question in ASSESSMENTS[assessment_id] if question.id in answers)
