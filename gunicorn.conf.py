"""Gunicorn settings for the portal (``gunicorn -c gunicorn.conf.py wsgi:app``).

One process with threads: the rate limiter counts in memory, so several
processes would each count separately (and a restart forgets the counts, which
is acceptable). The access log never records the client address (%(h)s) or the
user agent (%(a)s); ``portal/privacy.py`` also filters them out of any record.
"""

import os

# Files the portal writes (database, index, attachments) are readable by its user only,
# whatever umask the service manager or shell started us with; portal/instance.py does
# the same for every app, and fixes looser modes at start-up.
os.umask(0o077)
umask = 0o077  # gunicorn's own files (control socket, worker temporary files)

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = 1
threads = int(os.environ.get("PORTAL_THREADS", "8"))
worker_class = "gthread"
timeout = 60
# Only the request line, status, size and duration: no address, no user agent, no referrer.
access_log_format = '- - %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
accesslog = "-"
errorlog = "-"
# Only the reverse proxy on this machine may set X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1"
