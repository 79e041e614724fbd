#!/bin/sh
# A fake qmail-queue for the queue-mode tests. It records what it was given
# into $FAKE_QUEUE_DIR: fd 0 (message), fd 1 (envelope, read after the
# message as qmail-queue does), argv, working directory and environment,
# then exits with $FAKE_QUEUE_EXIT (default 0).
# FAKE_QUEUE_MODE: "noread" exits at once without reading anything;
# "signal" kills itself with SIGKILL after reading the message;
# "slow" sleeps 30 s before reading (for deadline tests).
dir=${FAKE_QUEUE_DIR:?FAKE_QUEUE_DIR is not set}
mode=${FAKE_QUEUE_MODE:-}
[ "$mode" = noread ] && exit "${FAKE_QUEUE_EXIT:-0}"
[ "$mode" = slow ] && exec sleep 30
cat > "$dir/message.tmp" || exit 54
cat <&1 > "$dir/envelope" || exit 54
printf '%s\n' "$0" "$@" > "$dir/argv"
pwd -P > "$dir/cwd"
env > "$dir/env"
mv "$dir/message.tmp" "$dir/message"
[ "$mode" = signal ] && kill -KILL $$
exit "${FAKE_QUEUE_EXIT:-0}"
