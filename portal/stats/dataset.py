"""Facts about the data set that every page needs."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from portal.db import session
from portal.models import DatasetFact

DEMO_FACT = "demo_data"


def is_demo_dataset() -> bool:
    """True when the database holds generated demonstration data.

    Called by every page's layout, error pages included: when the database
    itself is failing, the error page must still render, so a failure here
    counts as "no demo data" (such a page shows no data at all).
    """
    try:
        return session.get(DatasetFact, DEMO_FACT) is not None
    except SQLAlchemyError:
        session.rollback()
        return False
