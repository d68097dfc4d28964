#!/usr/bin/env bash
# Shared-memory state of the machine, to prove a run leaves it exactly as it found it.
#   ci/leak_check.sh snapshot FILE   records System V segments and message queues, /dev/shm,
#                                    /dev/mqueue, shmlab temp files, iceoryx's RouDi (the
#                                    daemon, and its fixed names in /tmp) and the report
#                                    test's Chromium
#   ci/leak_check.sh compare FILE    fails (exit 1) naming every object that is new since
set -euo pipefail

state() {
  ipcs -m 2>/dev/null | awk '$1 ~ /^0x/ { print "sysv key=" $1 " id=" $2 " owner=" $3 " bytes=" $5 }'
  ipcs -q 2>/dev/null | awk '$1 ~ /^0x/ { print "sysv-msg key=" $1 " id=" $2 " owner=" $3 }'
  if [ -d /dev/shm ]; then
    find /dev/shm -mindepth 1 -maxdepth 1 -printf 'posix %f\n'
  fi
  if [ -d /dev/mqueue ]; then
    find /dev/mqueue -mindepth 1 -maxdepth 1 -printf 'posix-mq %f\n'
  fi
  find "${TMPDIR:-/tmp}" -mindepth 1 -maxdepth 1 -name 'shmlab*' -printf 'tmp %p\n' 2>/dev/null
  # RouDi's names are fixed (its socket and locks), an iceoryx process's are its own name.
  find /tmp -mindepth 1 -maxdepth 1 \( -name 'roudi*' -o -name 'iox-*' -o -name 'shmlab-*-iox*' \) \
    -printf 'iceoryx %p\n' 2>/dev/null
  # pgrep fails when nothing runs; under errexit that would end the listing here.
  pgrep -x iox-roudi 2>/dev/null | sed 's/^/process iox-roudi pid=/' || true
  # The report's browser test: Chromium's processes, and the folder of its singleton socket.
  find "${TMPDIR:-/tmp}" -mindepth 1 -maxdepth 1 -name 'org.chromium.Chromium.*' \
    -printf 'chromium %p\n' 2>/dev/null
  pgrep -x chromium 2>/dev/null | sed 's/^/process chromium pid=/' || true
}

case "${1:-}" in
  snapshot)
    state | sort > "${2:?usage: $0 snapshot FILE}"
    ;;
  compare)
    before=${2:?usage: $0 compare FILE}
    [ -r "$before" ] || { echo "leak check: no snapshot at $before" >&2; exit 2; }
    new=$(comm -13 "$before" <(state | sort))
    if [ -n "$new" ]; then
      echo "leak check: FAILED, objects left behind since the snapshot:" >&2
      echo "$new" >&2
      exit 1
    fi
    echo "leak check: passed (System V segments and queues, /dev/shm, /dev/mqueue, shmlab temp files, RouDi and Chromium as before)"
    ;;
  *)
    echo "usage: $0 snapshot FILE | compare FILE" >&2
    exit 2
    ;;
esac
