#!/bin/sh
# dk @VERSION@ for Linux x86-64 (glibc): this shell header, then a gzip'd tar
# archive of the pinned Deno binary, dk's sources and deno bundle's esbuild.
# Made by scripts/package.
#
#   sh THIS.run --install DIR [--user USER]   unpack into DIR/releases/, run
#       --prepare there (as root: the cache and bundle), check queue mode as
#       USER (the user qmail-smtpd runs as) against the read-only tree, then
#       switch DIR/current to it in one rename. DIR/bin/dk is the launcher.
#   sh THIS.run --uninstall DIR   remove what --install made in DIR
#   sh THIS.run --check           check the archive's sha256 only
#   sh THIS.run --list            list the archive
#
# Needs: sh, tail, sha256sum, gzip, tar, and for --install mktemp, mv -T,
# uname (GNU coreutils or BusyBox), glibc 2.27 or newer (Deno) and, with
# --user, setpriv (util-linux).
# The archive is checked (sha256) before anything is unpacked.
set -u
VERSION='@VERSION@'
RELEASE='@RELEASE@'
PAYLOAD_SHA256='@SHA256@'
PAYLOAD_LINE=@LINE@
self=$0
me="dk-$VERSION.run"
umask 022

die() {
  echo "$me: $*" >&2
  exit 1
}

payload() {
  tail -n "+$PAYLOAD_LINE" "$self"
}

check() {
  command -v sha256sum >/dev/null 2>&1 || die "needs sha256sum (coreutils or BusyBox) to check its archive"
  [ -r "$self" ] || die "cannot read $self"
  sum=$(payload | sha256sum) || die "cannot read $self"
  [ "${sum%% *}" = "$PAYLOAD_SHA256" ] || die "damaged: the archive's sha256 is not the one recorded; copy the file again"
}

# Refuses a DIR that is not absolute or holds a quote, space or newline: it is
# written into links and printed in shell lines.
check_dir() {
  case $1 in
    /*) ;;
    *) die "DIR must be an absolute path" ;;
  esac
  case $1 in
    *[!A-Za-z0-9._/+-]*) die "DIR may hold only letters, digits and . _ / + -" ;;
  esac
}

# Runs "$@" as user $user (uid and primary group, no supplementary groups, as
# tcpserver -u -g runs qmail-smtpd), from /, with a clean environment.
as_user() {
  command -v setpriv >/dev/null 2>&1 || die "--user needs setpriv (util-linux)"
  (cd / && env -i PATH="$PATH" HOME=/ setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@")
}

# After a failed install: removes the new release and, when no install was
# there before, what this one made, so the root is as it was.
abandon() {
  [ -z "$new" ] || rm -rf "$new"
  [ -L "$dir/current" ] && return
  rmdir "$dir/releases" "$dir/bin" 2>/dev/null
  if [ "$(cat "$dir/.dk-install" 2>/dev/null)" = created=yes ]; then
    rm -f "$dir/.dk-install"
    rmdir "$dir" 2>/dev/null
  elif [ -z "$(ls "$dir/releases" 2>/dev/null)" ]; then
    rm -f "$dir/.dk-install"
  fi
}

install() {
  dir=$1
  user=$2
  check_dir "$dir"
  if [ -n "$user" ]; then
    [ "$(id -u)" = 0 ] || die "--user needs root"
    uid=$(id -u "$user" 2>/dev/null) || die "no such user: $user"
    gid=$(id -g "$user") || die "no group for user: $user"
  fi
  check
  machine=$(uname -sm)
  [ "$machine" = "Linux x86_64" ] || die "this package is for Linux x86_64, not $machine"
  created=no
  if [ -e "$dir" ] || [ -L "$dir" ]; then
    [ -d "$dir" ] && [ ! -L "$dir" ] || die "$dir is not a directory"
    if [ ! -f "$dir/.dk-install" ] && [ -n "$(ls -A "$dir")" ]; then
      die "$dir is not empty and holds no dk install"
    fi
  else
    mkdir "$dir" || die "cannot create $dir (does its parent exist?)"
    created=yes
  fi
  new=
  trap abandon EXIT
  trap 'exit 1' HUP INT TERM
  [ -f "$dir/.dk-install" ] || echo "created=$created" >"$dir/.dk-install" ||
    die "cannot write $dir/.dk-install"
  mkdir -p "$dir/releases" "$dir/bin" || die "cannot create $dir/releases"
  new=$(mktemp -d "$dir/releases/$RELEASE.XXXXXX") || die "cannot create a release directory in $dir/releases"
  chmod 0755 "$new" || die "cannot chmod $new"
  # The payload was checked above; a pipe hides gzip's status, so the tree is
  # checked for the launcher and the Deno binary as well.
  payload | gzip -dc | tar -xf - -C "$new" || die "cannot unpack into $new"
  [ -x "$new/scripts/dk" ] && [ -x "$new/node_modules/@deno/linux-x64-glibc/deno" ] ||
    die "the unpacked tree in $new is incomplete"

  # As root (the tree's owner): the transpile cache, the queue bundle and the
  # V8 code cache, written once here; the mail user only reads them.
  (cd / && env -i PATH="$PATH" HOME="${HOME:-/}" ${TMPDIR:+TMPDIR="$TMPDIR"} \
    "$new/scripts/dk" --prepare) || die "dk --prepare failed in $new"
  chmod -R a+rX,go-w "$new" || die "cannot chmod $new"
  if [ -n "$user" ]; then
    # As the mail user, against the tree it cannot write: sign and verify
    # through queue mode, as qmail-smtpd will run it.
    as_user "$new/scripts/dk" --prepare --self-test ||
      die "queue mode does not work as $user from $new"
  fi

  # The switch: one rename of a symlink. A queue run resolves the link once,
  # at its start, so it runs one release from start to end.
  previous=
  [ -L "$dir/current" ] && previous=$(readlink "$dir/current")
  rm -f "$dir/.current.new"
  ln -s "releases/${new##*/}" "$dir/.current.new" || die "cannot create $dir/.current.new"
  mv -T "$dir/.current.new" "$dir/current" || die "cannot switch $dir/current"
  trap - EXIT
  [ -L "$dir/bin/dk" ] || ln -s ../current/scripts/dk "$dir/bin/dk" ||
    die "cannot create $dir/bin/dk"
  # Keep the release just replaced (a queue run may still be in it); drop
  # older ones and anything a failed install left.
  for old in "$dir"/releases/*; do
    [ -e "$old" ] || continue
    case $old in
      "$new" | "$dir/$previous") ;;
      *) rm -rf "$old" ;;
    esac
  done

  echo "dk $VERSION installed: $dir/current -> releases/${new##*/}, launcher $dir/bin/dk"
  if linked "$dir"; then
    echo "Already in place: $link -> $dir/bin/dk"
  else
    echo "Put it in place (not done here), either replace qmail-queue:"
    echo "  cd $qmail/bin && mv qmail-queue qmail-queue.orig && ln -s $dir/bin/dk qmail-queue"
    echo "or: ln -s $dir/bin/dk $qmail/bin/qmail-dk, and QMAILQUEUE=\"bin/qmail-dk\" in tcp.smtp"
  fi
}

# True, with $link set, when qmail's qmail-queue or qmail-dk links to DIR's
# launcher (qmail's home: DK_QMAIL_HOME, else /var/qmail).
linked() {
  qmail=${DK_QMAIL_HOME:-/var/qmail}
  for link in "$qmail/bin/qmail-queue" "$qmail/bin/qmail-dk"; do
    [ -L "$link" ] && [ "$(readlink "$link")" = "$1/bin/dk" ] && return 0
  done
  return 1
}

uninstall() {
  dir=$1
  check_dir "$dir"
  [ -f "$dir/.dk-install" ] || die "$dir holds no dk install"
  if linked "$dir"; then
    die "$link still points at $dir/bin/dk: put qmail back first"
  fi
  created=$(cat "$dir/.dk-install")
  rm -f "$dir/current" "$dir/.current.new" "$dir/bin/dk"
  rm -rf "$dir/releases"
  rmdir "$dir/bin" 2>/dev/null
  rm -f "$dir/.dk-install"
  if [ "$created" = created=yes ]; then
    rmdir "$dir" 2>/dev/null || die "$dir holds files dk did not make; left in place"
  fi
  echo "dk removed from $dir"
}

case ${1:-} in
  --install)
    [ $# = 2 ] || { [ $# = 4 ] && [ "$3" = --user ]; } ||
      die "usage: sh $me --install DIR [--user USER]"
    install "$2" "${4:-}"
    ;;
  --uninstall)
    [ $# = 2 ] || die "usage: sh $me --uninstall DIR"
    uninstall "$2"
    ;;
  --check)
    check
    echo "$me: archive good (sha256 $PAYLOAD_SHA256)"
    ;;
  --list)
    check
    payload | gzip -dc | tar -tvf -
    ;;
  *)
    die "usage: sh $me --install DIR [--user USER] | --uninstall DIR | --check | --list"
    ;;
esac
exit 0
