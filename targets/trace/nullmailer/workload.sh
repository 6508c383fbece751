#!/bin/sh
# Debian's nullmailer as a control for trace mode: messages (three, or as many as the first
# argument says) handed to nullmailer-queue, which writes them into its spool,
# /var/spool/nullmailer: run with --dir /var/spool/nullmailer. "queued N" is printed once
# nullmailer-queue exited with 0, the moment it accepted the message.
for n in $(seq 1 "${1:-3}"); do
  printf 'sender@example.com\nrcpt%s@example.org\n\nSubject: m%s\n\nbody of message %s\n' "$n" "$n" "$n" | /usr/sbin/nullmailer-queue || exit 1
  echo "queued $n"
done
