"""Case work on one complaint, without the pages: footage deadlines, de-identified letters.

Shared by the reviewer workspace's views and commands: :mod:`.footage` (when a
facility's cameras overwrite the incident's recordings), :mod:`.deidentify`
(details in a narrative that could identify the complainant to facility staff).
"""
