"""The roles a person can hold in Hearth (several at once), and which of them count as staff."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CARER = "carer"
    APPLICANT = "applicant"
    MENTOR = "mentor"
    SSW = "supervising_social_worker"
    CHILD_SW = "childs_social_worker"
    BUSINESS_SUPPORT = "business_support"
    TRAINING_COORDINATOR = "training_coordinator"
    MENTORING_COORDINATOR = "mentoring_coordinator"
    GROUP_COORDINATOR = "group_coordinator"
    YOUNG_PERSON = "young_person"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CARER: "Foster carer",
    Role.APPLICANT: "Applicant",
    Role.MENTOR: "Mentor",
    Role.SSW: "Supervising social worker",
    Role.CHILD_SW: "Child's social worker",
    Role.BUSINESS_SUPPORT: "Business support",
    Role.TRAINING_COORDINATOR: "Training coordinator",
    Role.MENTORING_COORDINATOR: "Mentoring coordinator",
    Role.GROUP_COORDINATOR: "Group coordinator",
    Role.YOUNG_PERSON: "Young person",
    Role.ADMIN: "Admin",
}

# Staff hold children's and carers' records for the whole service: multi-factor authentication is mandatory for them.
STAFF_ROLES = frozenset(
    {Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT, Role.TRAINING_COORDINATOR, Role.MENTORING_COORDINATOR, Role.ADMIN}
)
