"""The portal's data model; importing this package registers every table."""

from portal.models.casework import CaseReminder, Letter, LetterKind, Recipient, Referral
from portal.models.complaint import (
    Answer,
    Attachment,
    Category,
    ClosingReason,
    Complaint,
    ComplaintCategory,
    ComplaintTag,
    DatePrecision,
    Message,
    MessageDirection,
    Note,
    Relation,
    Status,
    StatusChange,
)
from portal.models.coverage import CoverageSnapshot, Source, ZoneCoverage, ZoneType
from portal.models.geo import Authority, Facility, FacilityAlias, FacilityType, Region, RegionKind
from portal.models.meta import DatasetFact, IndexAction, IndexTask
from portal.models.saved_search import SavedSearch
from portal.models.sessions import FollowUpSession, StaffSession
from portal.models.user import AuditEvent, RecoveryCode, Role, User, user_regions

__all__ = [
    "Answer",
    "Attachment",
    "AuditEvent",
    "Authority",
    "CaseReminder",
    "Category",
    "ClosingReason",
    "Complaint",
    "ComplaintCategory",
    "ComplaintTag",
    "CoverageSnapshot",
    "DatasetFact",
    "DatePrecision",
    "Facility",
    "FacilityAlias",
    "FacilityType",
    "FollowUpSession",
    "IndexAction",
    "IndexTask",
    "Letter",
    "LetterKind",
    "Message",
    "MessageDirection",
    "Note",
    "Recipient",
    "RecoveryCode",
    "Referral",
    "Region",
    "RegionKind",
    "Relation",
    "Role",
    "SavedSearch",
    "Source",
    "StaffSession",
    "Status",
    "StatusChange",
    "User",
    "ZoneCoverage",
    "ZoneType",
    "user_regions",
]
