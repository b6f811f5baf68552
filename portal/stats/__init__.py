"""Published statistics derived from complaints, always through small-count suppression.

:mod:`portal.stats.suppression` decides which counts may be shown (counts 1-9
become "<10", with secondary suppression); :mod:`portal.stats.complaints`
builds every complaint count the portal publishes as one suppressed structure.
"""
