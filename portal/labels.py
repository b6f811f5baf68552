"""Translated labels for the values stored in the database, in one place.

Templates call ``label(value)`` so that every page names a zone type, a
facility type or a category the same way (see ``shared/data/glossary.csv``).
"""

from __future__ import annotations

import enum

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.models import (
    Answer,
    Authority,
    Category,
    ClosingReason,
    FacilityType,
    LetterKind,
    Recipient,
    Relation,
    Role,
    Source,
    Status,
    ZoneType,
)

#: Labels per enum class: two enums may share a value (FacilityType.POLICE and
#: Authority.POLICE are both "police"), so one flat dict would mix them up.
LABELS: dict[type[enum.Enum], dict[enum.Enum, object]] = {
    FacilityType: {
        FacilityType.COLONY: _l("Correctional colony"),
        FacilityType.SIZO: _l("Pre-trial detention centre (SIZO)"),
        FacilityType.IVS: _l("Police temporary detention facility (IVS)"),
        FacilityType.SPECIAL_DETENTION: _l("Special detention centre (administrative arrest)"),
        FacilityType.POLICE: _l("Police station / department"),
    },
    Authority: {
        Authority.KUIS: _l("Committee of the Criminal Executive System (KUIS)"),
        Authority.POLICE: _l("Ministry of Internal Affairs"),
    },
    ZoneType: {
        ZoneType.CELLS: _l("Cells and living quarters"),
        ZoneType.CORRIDORS: _l("Corridors and stairwells"),
        ZoneType.INTERROGATION: _l("Interrogation and investigation rooms"),
        ZoneType.DUTY_INTAKE: _l("Duty unit and intake"),
        ZoneType.EXERCISE_YARDS: _l("Exercise yards"),
        ZoneType.MEDICAL: _l("Medical unit"),
        ZoneType.VISITING: _l("Visiting rooms"),
        ZoneType.DISCIPLINARY: _l("Disciplinary isolation (ShIZO/PKT)"),
        ZoneType.TRANSPORT: _l("Convoy transport"),
        ZoneType.PERIMETER: _l("Perimeter"),
        ZoneType.BODYCAMS: _l("Staff body-worn cameras"),
    },
    Source: {
        Source.OFFICIAL: _l("Official figure"),
        Source.INDEPENDENT: _l("Independently verified"),
    },
    Category: {
        Category.PHYSICAL_VIOLENCE: _l("Physical violence (beating)"),
        Category.TORTURE: _l("Torture"),
        Category.THREATS: _l("Threats or intimidation"),
        Category.SEXUAL_VIOLENCE: _l("Sexual violence"),
        Category.MEDICAL_DENIAL: _l("Denial of medical care"),
        Category.LAWYER_FAMILY_DENIAL: _l("Denial of access to a lawyer or family"),
        Category.EXTORTION: _l("Extortion"),
        Category.FORCED_CONFESSION: _l("Forced confession"),
        Category.DEGRADING_CONDITIONS: _l("Degrading conditions of detention"),
        Category.CAMERA_ISSUE: _l("Camera absent, switched off or footage withheld"),
        Category.OTHER: _l("Other"),
    },
    Status: {
        Status.NEW: _l("New"),
        Status.IN_REVIEW: _l("In review"),
        Status.REFERRED: _l("Referred"),
        Status.CLOSED: _l("Closed"),
    },
    ClosingReason: {
        ClosingReason.RESOLVED: _l("Resolved"),
        ClosingReason.UNFOUNDED: _l("Unfounded"),
        ClosingReason.DUPLICATE: _l("Duplicate"),
        ClosingReason.WITHDRAWN: _l("Withdrawn"),
    },
    Answer: {
        Answer.YES: _l("Yes"),
        Answer.NO: _l("No"),
        Answer.DONT_KNOW: _l("I don't know"),
    },
    Relation: {
        Relation.SELF: _l("Myself"),
        Relation.RELATIVE: _l("Relative"),
        Relation.LAWYER: _l("Lawyer"),
        Relation.WITNESS: _l("Witness"),
    },
    Recipient: {
        Recipient.PROSECUTOR: _l("Prosecutor's office"),
        Recipient.OMBUDSMAN: _l("Ombudsman / National Preventive Mechanism"),
        Recipient.OTHER: _l("Another body"),
    },
    LetterKind: {
        LetterKind.FOOTAGE: _l("Footage preservation request"),
        LetterKind.REFERRAL: _l("Referral letter"),
    },
    Role: {
        Role.REVIEWER: _l("Reviewer"),
        Role.COORDINATOR: _l("Coordinator"),
        Role.ANALYST: _l("Analyst"),
        Role.ADMIN: _l("Administrator"),
    },
}


def label(value: enum.Enum) -> str:
    """The translated label of a stored value."""
    return str(LABELS[type(value)][value])


def init_app(app: Flask) -> None:
    """Let every template call ``label(value)``."""
    app.jinja_env.globals["label"] = label
