#!/bin/sh
# The checker of workload.sh: every message the workload said was queued is in queue/, whole
# (its recipient, subject and body lines).
status=0
while read -r word n; do
  [ "$word" = queued ] || continue
  file=$(grep -l "^Subject: m$n\$" "$SPOOLCHECK_DIR"/queue/* 2>/dev/null | head -n 1)
  if [ -z "$file" ]; then
    echo "message $n was queued but is not in queue/"
    status=1
  elif ! grep -q "^rcpt$n@example.org\$" "$file" || ! grep -q "^body of message $n\$" "$file"; then
    echo "message $n is damaged in $file"
    status=1
  fi
done < "$SPOOLCHECK_OUTPUT"
exit $status
