# Debian's python3-persist-queue (persistqueue.Queue, a file-based FIFO): three items put into a
# queue in $SPOOLCHECK_DIR/q, "queued N" printed after each put() returned. Run with Debian's
# Python (/usr/bin/python3), where the package is installed.
import os

import persistqueue

q = persistqueue.Queue(os.path.join(os.environ["SPOOLCHECK_DIR"], "q"))
for n in range(3):
    q.put(f"item {n} " + "x" * 20 * n)
    print(f"queued {n}", flush=True)
