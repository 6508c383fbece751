# The checker of workload.py: the Maildir opens, and every message the workload said it queued is
# there, whole (its subject and body as added).
import mailbox
import os
import sys

problems = []
queued = open(os.environ["SPOOLCHECK_OUTPUT"]).read().splitlines()
if not queued:
    sys.exit(0)  # nothing was acknowledged: any state is fine
try:
    box = mailbox.Maildir(os.path.join(os.environ["SPOOLCHECK_DIR"], "Maildir"), create=False)
    keys = set(box.keys())
except Exception as err:  # the Maildir does not even open
    print(f"the Maildir does not open: {err!r}")
    sys.exit(1)
for line in queued:
    word, key, i = line.split()
    if key not in keys:
        problems.append(f"message {i} ({key}) was queued but is missing")
        continue
    msg = box.get_message(key)
    body = msg.get_payload()
    if msg["Subject"] != f"message {i}" or not body.startswith(f"body of message {i}"):
        problems.append(f"message {i} ({key}) is damaged: subject {msg['Subject']!r}, body {body[:40]!r}")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
