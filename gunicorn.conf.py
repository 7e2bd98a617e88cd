"""Gunicorn settings for the CMS, read from the environment.

    gunicorn cms.wsgi   # picks up this file from the working directory

GUNICORN_BIND (default 0.0.0.0:8000, or :$PORT), WEB_CONCURRENCY (workers, default
2 x CPUs + 1, at most 8), GUNICORN_THREADS (default 2), GUNICORN_TIMEOUT (default 60 s;
an annual report PDF of a large plan takes a few seconds), FORWARDED_ALLOW_IPS
(proxies trusted for X-Forwarded-*, default 127.0.0.1), GUNICORN_PRELOAD (default on).
Access and error logs go to stdout/stderr.

``preload_app``: the master imports Django and Wagtail once and forks the workers, so
a worker recycled after ``max_requests`` starts in milliseconds instead of spending
about 3 s of CPU re-importing them, and the workers share those pages of memory.
Nothing opens a database connection or a thread at import time, so forking is safe.
The price: new code needs a restart of the master (``kill -HUP`` reloads the
configuration but re-forks from the already imported code).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(
    os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
)
# Two threads per worker: four measured no better on two cores with the page cache
# (bench/public_load_results.md).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {
    "0",
    "false",
    "no",
    "off",
}
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# /dev/shm keeps worker heartbeats off slow container disks.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn makes its heartbeat files there with mkstemp
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
