#!/usr/bin/env bash
# The README's `bazel test //conformance/...` as a user who is not root, the way most people
# run it. Creates the user (useradd -m gives it ranges in /etc/subuid and /etc/subgid, so the
# cases that need a second user run in a user namespace), gives it a clone of this checkout's
# HEAD, runs the suite there with the user's own Bazel output root, and fails if the user (or
# its second user) left a System V segment, a /dev/shm object or a process behind.
#   ci/conformance_as_user.sh [USER]     (as root; USER defaults to shmlab-ci)
# Exit status: 0 passed and clean, 1 a test failed or something was left, 2 bad usage.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

user=${1:-shmlab-ci}
[ "$(id -u)" -eq 0 ] || { echo "conformance as a user: run as root (it creates $user)" >&2; exit 2; }
if ! id "$user" >/dev/null 2>&1; then
  useradd -m "$user" || { echo "conformance as a user: useradd $user failed" >&2; exit 1; }
fi
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)
sub=$(awk -F: -v u="$user" '$1 == u { print $2; exit }' /etc/subuid)
echo "conformance as $user (uid $uid, second user ${sub:-none: no /etc/subuid range})"

clone=$home/shmlab
rm -rf "$clone"
git clone -q "$PWD" "$clone" && chown -R "$user:" "$clone" ||
  { echo "conformance as a user: cannot give $user a clone in $clone" >&2; exit 1; }

# Objects and processes of the user or of its second user.
owned() {
  awk -v u="$uid" -v s="${sub:--1}" 'NR > 1 && ($8 == u || $10 == u || $8 == s || $10 == s) {
    print "System V segment " $2 " (key " $1 ", mode " $3 ", uid " $8 ", creator uid " $10 ")" }' \
    /proc/sysvipc/shm
  find /dev/shm -mindepth 1 -maxdepth 1 \( -uid "$uid" -o -uid "${sub:-$uid}" \) -printf '/dev/shm/%f\n'
  local id
  for id in "$uid" ${sub:+"$sub"}; do
    pgrep -u "$id" -a | sed 's/^/process /'
  done
}
before=$(owned)

status=0
runuser -u "$user" -- bash -c "cd '$clone' && bazel test //conformance/..." || status=1
runuser -u "$user" -- bash -c "cd '$clone' && bazel shutdown" >/dev/null 2>&1
for _ in 1 2 3 4 5 6 7 8 9 10; do # the server exits shortly after shutdown returns
  pgrep -u "$uid" >/dev/null || break
  sleep 1
done

left=$(comm -13 <(echo "$before" | sort) <(owned | sort))
if [ -n "$left" ]; then
  echo "conformance as $user: FAILED, left behind:" >&2
  echo "$left" >&2
  status=1
else
  echo "conformance as $user: nothing left behind (System V, /dev/shm, processes)"
fi
exit "$status"
