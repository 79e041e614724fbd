#!/bin/sh
# A fake qmail-queue for the queue-mode tests. It records what it was given
# into $FAKE_QUEUE_DIR: its pid and its parent's (dk's) pid, fd 0 (message.tmp),
# fd 1 (envelope, read after the message as qmail-queue does), argv, working
# directory and environment. Like qmail-queue it commits only when the
# envelope is complete (ends with its final NUL): then the message is moved
# to "message" and it exits with $FAKE_QUEUE_EXIT (default 0); otherwise it
# exits 54 with no "message". "complete" says yes or no, "done" comes last.
# FAKE_QUEUE_MODE: "noread" exits at once without reading anything;
# "signal" kills itself with SIGKILL after reading the message;
# "slow" sleeps 30 s before reading (for deadline tests);
# "slowread" sleeps $FAKE_QUEUE_SLEEP s (default 2) before reading.
dir=${FAKE_QUEUE_DIR:?FAKE_QUEUE_DIR is not set}
mode=${FAKE_QUEUE_MODE:-}
echo $$ > "$dir/pid"
echo $PPID > "$dir/ppid"
[ "$mode" = noread ] && exit "${FAKE_QUEUE_EXIT:-0}"
[ "$mode" = slow ] && exec sleep 30
[ "$mode" = slowread ] && sleep "${FAKE_QUEUE_SLEEP:-2}"
cat > "$dir/message.tmp" || exit 54
cat <&1 > "$dir/envelope" || exit 54
printf '%s\n' "$0" "$@" > "$dir/argv"
pwd -P > "$dir/cwd"
env > "$dir/env"
# Complete: two NULs in a row, which only the final NUL makes.
if od -An -v -tx1 "$dir/envelope" | tr -s ' \n' '  ' | grep -q ' 00 00 '; then
  echo yes > "$dir/complete"
else
  echo no > "$dir/complete"
  touch "$dir/done"
  exit 54
fi
[ "$mode" = signal ] && kill -KILL $$
mv "$dir/message.tmp" "$dir/message"
touch "$dir/done"
exit "${FAKE_QUEUE_EXIT:-0}"
