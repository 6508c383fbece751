#!/bin/sh
# The checker of workload.mjs: every message Haraka answered "250 Message Queued" for is a queue
# file in $SPOOLCHECK_DIR, whole (its recipient, subject and body), under a queue file's name:
# not a temporary "__tmp__.NAME", which Haraka ignores (and deletes) when it starts.
status=0
while read -r word n; do
  [ "$word" = queued ] || continue
  file=""
  for f in "$SPOOLCHECK_DIR"/*; do
    case "$(basename "$f")" in __tmp__.*) continue ;; esac
    if grep -q -a "Subject: m$n" "$f" 2>/dev/null; then file=$f; break; fi
  done
  if [ -z "$file" ]; then
    echo "message $n was queued (250) but is not in the queue"
    status=1
  elif ! grep -q -a "rcpt$n@example.org" "$file" || ! grep -q -a "body of message $n" "$file"; then
    echo "message $n is damaged in $(basename "$file")"
    status=1
  fi
done < "$SPOOLCHECK_OUTPUT"
exit $status
