# Shared by the hardening tests (source it): a private namespace when root can have one,
# and the shared-memory state that a test compares before and after.

# As root, re-runs the calling script (with its arguments) in a private IPC and mount
# namespace with a fresh tmpfs over /dev/shm, and the new namespace's queues over
# /dev/mqueue where that exists (mounted over them, not instead of them: the host's mounts
# are untouched), so that its comparison of state is exact and nothing it does reaches the
# machine's objects. Sets `private` to 1 there, 0 when it runs without.
#   private_namespace "$0" "$@"
private_namespace() {
  if [ -z "${HARDENING_PRIVATE:-}" ] && [ "$(id -u)" -eq 0 ] &&
    unshare --ipc --mount true 2>/dev/null; then
    exec unshare --ipc --mount --propagation private env HARDENING_PRIVATE=1 bash -c \
      'mount -t tmpfs -o size=256m,mode=1777 shmlab-hardening /dev/shm &&
       { [ ! -d /dev/mqueue ] || mount -t mqueue shmlab-hardening /dev/mqueue; } && exec bash "$@"' \
      bash "$@"
  fi
  private=${HARDENING_PRIVATE:-0}
  namespace_note=$([ "$private" = 1 ] && echo 'private IPC and mount namespace' ||
    echo 'host namespaces (not root): judging only objects the tested processes made')
}

# One line per object: "sysv shmid=ID key=K cpid=P", "sysv-msg msqid=ID key=K lspid=P
# lrpid=Q" (a message queue and its last sender and receiver), "posix NAME", "posix-mq
# NAME" (where /dev/mqueue shows the queues), "tmp NAME
# TYPE" (entries of the folder $1, a temporary folder of the test's own: files, FIFOs and
# zeromq-ipc socket folders, TYPE as find's %y), "iceoryx NAME" (RouDi's fixed names in
# /tmp, an iceoryx process's socket) and "roudi pid=P" (a running iox-roudi).
shm_state() {
  awk 'NR > 1 { print "sysv shmid=" $2 " key=" $1 " cpid=" $5 }' /proc/sysvipc/shm
  awk 'NR > 1 { print "sysv-msg msqid=" $2 " key=" $1 " lspid=" $6 " lrpid=" $7 }' \
    /proc/sysvipc/msg
  find /dev/shm -mindepth 1 -maxdepth 1 -printf 'posix %f\n' 2>/dev/null
  find /dev/mqueue -mindepth 1 -maxdepth 1 -printf 'posix-mq %f\n' 2>/dev/null
  find "$1" -mindepth 1 -maxdepth 1 -printf 'tmp %f %y\n'
  find /tmp -mindepth 1 -maxdepth 1 \( -name 'roudi*' -o -name 'iox-*' -o -name 'shmlab-*-iox*' \) \
    -printf 'iceoryx %f\n' 2>/dev/null
  pgrep -x iox-roudi 2>/dev/null | sed 's/^/roudi pid=/'
}

# The objects of state file $2 that are not in state file $1 and that the pids in $3
# (space-separated; "*" for any pid) made: System V segments by shm_cpid, message queues by
# their last sender (their maker's stamp until another process sends), POSIX objects and
# queues by the pid in a shmlab name, and every entry of the test's own temporary folder. In the private
# namespace every new object counts.
new_objects() {
  comm -13 <(sort "$1") <(sort "$2") | while read -r kind what rest; do
    if [ "$private" = 1 ] || [ "$kind" = tmp ] || [ "$kind" = iceoryx ] || [ "$kind" = roudi ] ||
      [ "$3" = "*" ]; then
      echo "$kind $what $rest"
      continue
    fi
    local pid=
    case $kind in
      sysv) pid=${rest##*cpid=} ;;
      sysv-msg) pid=${rest##*lspid=} pid=${pid%% *} ;;
      posix | posix-mq) pid=$(echo "$what" | sed -n 's/^shmlab-\([0-9]*\)-.*/\1/p') ;;
    esac
    case " $3 " in *" $pid "*) echo "$kind $what $rest" ;; esac
  done
}

# Waits for background job $1, killing it after ${2:-15} s; sets `status` (its exit
# status, 128+N for a signal) and `hung` (1 when the time ran out).
finish() {
  local mark
  mark=$(mktemp)
  ( sleep "${2:-15}"; echo 1 >"$mark"; kill -KILL "$1" 2>/dev/null ) &
  local watchdog=$!
  { wait "$1"; } 2>/dev/null # no "Killed" job notice
  status=$?
  kill "$watchdog" 2>/dev/null
  wait "$watchdog" 2>/dev/null
  hung=$([ -s "$mark" ] && echo 1 || echo 0)
  rm -f "$mark"
}

# Removes the objects listed in file $1 (lines of new_objects), whose folder is $2: what a
# failing case left, so that the cases after it are judged alone.
remove_objects() {
  local kind what
  while read -r kind what _; do
    case $kind in
      sysv) ipcrm -m "${what#shmid=}" ;;
      sysv-msg) ipcrm -q "${what#msqid=}" ;;
      posix) rm -f "/dev/shm/$what" ;;
      posix-mq) rm -f "/dev/mqueue/$what" ;;
      tmp) rm -rf "${2:?}/$what" ;;
    esac
  done <"$1"
}

# Test cases for JUnit XML, so that a skip is counted as one and never as a pass
# (ci/test_summary.sh): `record NAME PASS|FAIL|SKIP MESSAGE`, then `junit_report SUITE`.
cases=() verdicts=() messages=()
record() {
  cases+=("$1") verdicts+=("$2") messages+=("$3")
  echo "$2: $1${3:+: $3}"
}

junit_report() {
  [ -n "${XML_OUTPUT_FILE:-}" ] || return 0
  local i
  esc() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites><testsuite name=\"$1\" tests=\"${#cases[@]}\">"
    for i in "${!cases[@]}"; do
      printf '<testcase name="%s" classname="%s">' "$(echo "${cases[$i]}" | esc)" "$1"
      case ${verdicts[$i]} in
        FAIL) printf '<failure message="%s"/>' "$(echo "${messages[$i]}" | esc)" ;;
        SKIP) printf '<skipped message="%s"/>' "$(echo "${messages[$i]}" | esc)" ;;
      esac
      echo '</testcase>'
    done
    echo '</testsuite></testsuites>'
  } >"$XML_OUTPUT_FILE"
}
