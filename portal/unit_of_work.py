"""One unit of work for every write that stores files or changes what the index reflects.

The scaffold "store the files → add the rows → commit, or roll back and remove
the files" is written once, here, for the citizen's report and reply today and
the reviewers' case work, retention and imports to come. Nothing about the
search index appears in it: outbox rows are added at commit by the search
package for every change the index reflects, and the index catches up after
the response (:mod:`portal.search.tracking`), so no caller can forget either.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from portal import files
from portal.db import session


@contextmanager
def unit_of_work(new_files: Sequence[files.CleanFile] = ()) -> Iterator[list[files.StoredFile]]:
    """Store ``new_files``, run the block, and commit its changes once.

    Yields the stored files, for the block's ``Attachment`` rows. If the block
    or the commit fails, the session is rolled back, the files are removed, and
    the error propagates (an ``IntegrityError`` included, for callers that
    recognise a duplicate).
    """
    stored = files.store_all(new_files)
    try:
        yield stored
        session.commit()
    except BaseException:
        session.rollback()
        files.remove_all(stored)
        raise
