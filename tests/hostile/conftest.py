"""Fixtures shared with the citizen's journey: a facility to report about."""

from tests.test_complaints import place  # noqa: F401  (a fixture, used by name)
