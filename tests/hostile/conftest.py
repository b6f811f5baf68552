"""Fixtures shared with the citizen's journey: a facility to report about, an app to configure."""

from tests.test_complaints import place, regions_free_place  # noqa: F401  (fixtures, used by name)
