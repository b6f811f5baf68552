"""Saved searches: each staff member names the searches they run often; only they see them.

A saved search keeps a name and the search page's query string, written by the
page from a form that passed every check (never the raw address). Running one
is following a link to the search page, where the query string is checked again
like any other, so a search saved before a region left the user's scope simply
no longer reaches it. Creating and deleting are audited with the saved search's
id only: its name and query string may hold the words searched for.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from portal import audit
from portal.db import session
from portal.forms import BoundedForm
from portal.models import SavedSearch, User

#: Most saved searches one person keeps, and the longest query string one may hold.
MAX_SAVED = 50
MAX_QUERY = 2000


class SaveSearchForm(BoundedForm):
    """Name the search on screen and keep it (its query string rides in a hidden field)."""

    name = StringField(
        _l("Name of this search"),
        validators=[
            DataRequired(message=_l("Give the search a name.")),
            Length(max=100, message=_l("Use at most 100 characters for the name.")),
        ],
    )
    query = HiddenField(validators=[Length(max=MAX_QUERY)])


class DeleteSearchForm(BoundedForm):
    """Delete one saved search (the CSRF token is the whole form)."""


def saved_by(user: User) -> list[SavedSearch]:
    """The user's own saved searches, by name."""
    return list(
        session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == user.id)
            .order_by(SavedSearch.name, SavedSearch.id)
        )
    )


def save(user: User, name: str, query: str) -> tuple[SavedSearch | None, str | None]:
    """Keep a search under ``name``; (the saved search, None) or (None, why it was refused)."""
    name = " ".join(name.split())
    if not name:
        return None, str(_l("Give the search a name."))
    if len(query) > MAX_QUERY:
        return None, str(_l("This search has too many filters to be saved."))
    mine = select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)
    if (session.scalar(mine) or 0) >= MAX_SAVED:
        return None, str(_l("You have as many saved searches as one may keep. Delete one first."))
    taken = session.scalar(
        select(SavedSearch.id).where(SavedSearch.user_id == user.id, SavedSearch.name == name)
    )
    if taken is not None:
        return None, str(_l("You already have a saved search with this name."))
    item = SavedSearch(user_id=user.id, name=name, query=query)
    session.add(item)
    session.flush()
    audit.record("saved_search.created", object=item)
    session.commit()
    return item, None


def delete(user: User, search_id: int) -> bool:
    """Delete one of the user's saved searches; False when they have none with this id."""
    item = session.scalar(
        select(SavedSearch).where(SavedSearch.id == search_id, SavedSearch.user_id == user.id)
    )
    if item is None:
        return False
    audit.record("saved_search.deleted", object=("saved_search", item.id))
    session.delete(item)
    session.commit()
    return True
