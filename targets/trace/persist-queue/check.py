# The checker of workload.py: the queue opens, and gives back (first in, first out) every item
# the workload said it queued, whole, in order, and nothing else before them.
import os
import sys

import persistqueue

queued = [int(line.split()[1]) for line in open(os.environ["SPOOLCHECK_OUTPUT"]).read().splitlines()]
if not queued:
    sys.exit(0)
try:
    q = persistqueue.Queue(os.path.join(os.environ["SPOOLCHECK_DIR"], "q"))
    got = []
    while len(got) < len(queued):
        got.append(q.get(block=False))
except Exception as err:
    print(f"after {len(got) if 'got' in dir() else 0} item(s), the queue fails: {err!r}")
    sys.exit(1)
want = [f"item {n} " + "x" * 20 * n for n in queued]
if got != want:
    print(f"got {got!r}, want {want!r}")
    sys.exit(1)
