"""Case work on one complaint: footage deadlines, de-identified letters, referrals, reminders.

Services the queue and the case page call: :mod:`.footage` (when a facility's
cameras overwrite the incident's recordings), :mod:`.deidentify` (details in a
narrative that could identify the complainant to facility staff),
:mod:`.letters` (the de-identified packet, the letters in Kazakh and Russian,
issuing them), :mod:`.referrals` (``overdue_referrals``), :mod:`.reminders`
(``reminders_due``). Pages (blueprint ``casework``, under
``/LANG/review/complaints/<id>/``): :mod:`.views`, :mod:`.letter_views`,
:mod:`.referral_views`.
"""

from __future__ import annotations

from flask import Flask

from portal.casework import letter_views, referral_views
from portal.casework.views import bp

__all__ = ["bp", "init_app", "letter_views", "referral_views"]


def init_app(app: Flask) -> None:
    """Register the case work pages."""
    app.register_blueprint(bp)
