"""gunicorn settings shared by the container (docker-compose.yml) and `make serve`.

Environment: HOST (default 0.0.0.0; `make serve` uses 127.0.0.1), PORT (8000),
WEB_CONCURRENCY (worker processes, default cores + 1), GUNICORN_THREADS
(threads per worker, default 8), GUNICORN_READ_TIMEOUT (seconds a client may stay
silent mid-request, default 5), GUNICORN_TIMEOUT (seconds, default 30).
"""

import multiprocessing
import os


def setting(name, default):
    """An integer from the environment; unset or empty means the default."""
    return int(os.environ.get(name) or default)


# All interfaces inside the container (compose publishes the port on the host's loopback only);
# `make serve` sets HOST=127.0.0.1.
bind = f"{os.environ.get('HOST') or '0.0.0.0'}:{setting('PORT', 8000)}"  # nosec B104
# cores + 1 processes: the work is CPU-bound (template rendering, the rules engine) and PostgreSQL
# runs on the same machine. Threaded workers (gthread) with a bounded pool and a read timeout
# (nalirifox_screen/gunicorn_worker.py): an idle or slow client waits in the worker's event loop or
# is dropped, it does not hold a thread (a sync worker was held by each idle connection: six of them
# froze the server). nginx in front buffers whole requests (deploy/nginx.conf).
worker_class = "nalirifox_screen.gunicorn_worker.ThreadWorker"
workers = setting("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = setting("GUNICORN_THREADS", 8)
worker_connections = 200  # open connections per worker, idle ones included; beyond that the kernel queues
timeout = setting("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Request limits (bytes / count): a request line, a header count and a header line no larger than needed.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
max_requests = 2000  # recycle workers now and then (bounded memory)
max_requests_jitter = 200
accesslog = "-"
# The usual combined format plus the time the request took in the worker, in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
control_socket_disable = True  # no ~/.gunicorn control socket: several servers may run side by side
if os.path.isdir("/dev/shm"):  # nosec B108 - gunicorn's own heartbeat files, created securely by it
    worker_tmp_dir = "/dev/shm"  # nosec B108 - off the (possibly slow) container disk
