"""gunicorn's threaded worker (gthread) with a read timeout, so a slow client cannot hold a thread.

gthread already waits for a new connection's first bytes in its event loop rather than in a
thread (after ``WAIT_SECONDS`` here instead of its 5 s). But once a request has started, a
thread reads it with a blocking socket and no timeout: a client that sends half a request
and stops (slowloris) would hold that thread for ever. Each connection gets a kernel receive
timeout (SO_RCVTIMEO, ``READ_TIMEOUT_SECONDS``): a client silent for that long mid-request is
dropped. nginx in front (deploy/nginx.conf) buffers whole requests, so in the container stack
the application never waits for a client at all; this protects ``make serve`` and any direct use.
"""

import os
import socket
import struct

from gunicorn.workers import gthread

READ_TIMEOUT_SECONDS = int(os.environ.get("GUNICORN_READ_TIMEOUT") or 5)
WAIT_SECONDS = 1.0

gthread.DEFAULT_WORKER_DATA_TIMEOUT = WAIT_SECONDS


class ThreadWorker(gthread.ThreadWorker):
    def enqueue_req(self, conn):
        if not conn.initialized:  # a new connection: set once, survives setblocking() (kernel level)
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", READ_TIMEOUT_SECONDS, 0))
        super().enqueue_req(conn)
