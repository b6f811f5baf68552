"""The published read models: what the pages, open data, the API and the feed show.

Complaint statistics, always through small-count suppression:
:mod:`~portal.stats.suppression` decides which counts may be shown (counts 1-9
become "<10", with secondary suppression); :mod:`~portal.stats.complaints` (with
:mod:`~portal.stats.counting`) builds every complaint count the portal publishes
as one suppressed structure, as of the period :mod:`~portal.stats.schedule` says.

Coverage: :mod:`~portal.stats.coverage` (every figure in memory, per coverage
version), :mod:`~portal.stats.facility` (one facility's zone history) and
:mod:`~portal.stats.dataset` (the demo flag). They live here, not in
``portal/public/``, so that ``api/`` and ``opendata/`` never import page code.
"""
