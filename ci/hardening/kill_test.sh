#!/usr/bin/env bash
# The benchmark driver killed at random points, many times: SIGKILL to the driver, to its
# peer child or to the whole process group, SIGINT and SIGTERM to the driver. The run
# includes iceoryx, so RouDi (and its keeper) must go too. Afterwards the System V segments
# and message queues, /dev/shm and the temporary folder must be exactly as before. A SIGKILL
# of the driver leaves what it had created and not yet removed (nothing survives to clean);
# The next run must report them, and `shmlab clean` must find and remove exactly them.
#
#   kill_test.sh DRIVER SHMLAB [KILLS]     (KILL_TEST_SEED=N repeats a run)
#
# As root it runs in a private IPC and mount namespace with a fresh tmpfs on /dev/shm, so
# that the comparison is exact and `shmlab clean` cannot touch another test's objects.
# Without root it runs beside everything else on the machine and judges only what the killed
# processes made (their pids in names and in shm_cpid, and its own temporary folder).
set -uo pipefail

driver=$(realpath "${1:?usage: kill_test.sh DRIVER SHMLAB [KILLS]}")
shmlab=$(realpath "${2:?usage: kill_test.sh DRIVER SHMLAB [KILLS]}")
kills=${3:-36}

# shellcheck source=ci/hardening/lib.sh
source "$(dirname "$0")/lib.sh"
private_namespace "$0" "$driver" "$shmlab" "$kills"

seed=${KILL_TEST_SEED:-$(($(date +%s) % 32768))}
RANDOM=$seed
work=${TEST_TMPDIR:-$(mktemp -d)}/kill
tmp=$work/tmp # the driver's and shmlab's TMPDIR: everything in it is theirs
mkdir -p "$tmp" "$work/out"
export TMPDIR=$tmp
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

state() { shm_state "$tmp"; }
made_by() { new_objects "$@"; }

# How `shmlab clean` names an object of `state`.
clean_name() {
  case $1 in
    sysv | sysv-msg) local key=${3#key=}
      printf '%s key 0x%08x %s %s' "$1" "${key%% *}" "${2%%=*}" "${2#*=}" ;;
    posix | posix-mq) echo "$1 /$2" ;;
    tmp) if [ "$3" = d ]; then echo "zeromq-ipc $tmp/$2"; else echo "mmap $tmp/$2"; fi ;;
  esac
}

peers_of() { pgrep -P "$1" 2>/dev/null | tr '\n' ' '; }

# Peers die with their driver at once; RouDi's keeper (iceoryx) first lets RouDi drop the
# driver's dead iceoryx processes and then stops it, which takes a few seconds.
wait_gone() {
  local pid tries
  for pid in "$@"; do
    for tries in $(seq 800); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.01
    done
    kill -0 "$pid" 2>/dev/null && fail "process $pid outlived its driver"
  done
}

# RouDi's keeper is in a process group of its own (so that a group kill leaves it to stop
# RouDi) and may have been forked after the kill's list of peers was taken: wait until no
# iox-roudi runs that was not running before the test.
wait_roudi_gone() {
  local tries
  for tries in $(seq 800); do
    cmp -s <(grep '^roudi ' "$work/before") <(pgrep -x iox-roudi | sed 's/^/roudi pid=/') && return
    sleep 0.01
  done
}

state >"$work/before"
echo "kill test: seed $seed, $kills kills, $namespace_note"

# Judges run $1 (target $2, kill point $3) of driver $4 with peers $5 that ended with status
# $6: the exit status, then what it left and what `shmlab clean` makes of that.
judge() {
  local i=$1 target=$2 point=$3 pid=$4 peers=$5 status=$6 hit left
  last_left=0
  case $target:$status in
    *-SIGKILL:137 | driver-SIGINT:130 | driver-SIGTERM:143) hit=1 ;;
    peer-SIGKILL:1) hit=1
      grep -q 'FAILED' "$log" || fail "run $i: peer killed, status 1 but no FAILED line" ;;
    *:0) hit=0 ;; # it was done before the signal came
    *) hit=0; fail "run $i: $target at $point: exit status $status"; tail -3 "$log" ;;
  esac
  hits[$target]=$((${hits[$target]:-0} + 1))
  midrun[$target]=$((${midrun[$target]:-0} + hit))

  state >"$work/after"
  made_by "$work/before" "$work/after" "$pid $peers" >"$work/left"
  left=$(wc -l <"$work/left")
  last_left=$left
  printf 'kill %2d: %-14s at %-22s (driver %s, peer %s): status %3d, %s, left %d\n' \
    "$i" "$target" "$point" "$pid" "${peers:-none}" "$status" \
    "$([ "$hit" = 1 ] && echo mid-run || echo 'after the end')" "$left"
  [ "$left" -eq 0 ] && return

  # Only a SIGKILL of the driver may leave objects: every other signal leaves a survivor.
  case $target in
    peer-SIGKILL | driver-SIGINT | driver-SIGTERM)
      fail "run $i: $target left objects behind:"; cat "$work/left" ;;
  esac
  leftover_runs=$((leftover_runs + 1))
  leftover_objects=$((leftover_objects + left))
  # The next run reports them.
  "$driver" "${bench_args[@]}" --transports pipe 2>"$work/next.log" ||
    fail "run $i: the run after it failed"
  grep 'stale shmlab object' "$work/next.log" | sed 's/^/    next run: /'
  n=$(sed -n 's/^bench: \([0-9]*\) stale shmlab object.*/\1/p' "$work/next.log")
  [ "${n:-0}" -ge "$left" ] || fail "run $i: the next run reports ${n:-no} stale objects, not $left"
  if [ "$private" = 1 ]; then
    "$shmlab" clean >"$work/clean.out" 2>&1 || fail "run $i: shmlab clean failed"
  else
    # Others' stale objects may be here too: list, and remove only ours.
    "$shmlab" clean --dry-run >"$work/clean.out" 2>&1 || fail "run $i: shmlab clean failed"
  fi
  sed 's/^/    clean: /' "$work/clean.out"
  local kind what rest n
  while read -r kind what rest; do
    grep -qF "$(clean_name "$kind" "$what" "$rest") " "$work/clean.out" ||
      fail "run $i: shmlab clean does not find $kind $what $rest"
  done <"$work/left"
  [ "$private" = 1 ] || remove_objects "$work/left" "$tmp"
  if [ "$private" = 1 ]; then
    n=$(grep -c '^removed' "$work/clean.out")
    [ "$n" -eq "$left" ] || fail "run $i: shmlab clean removed $n objects, $left were left"
  fi
  state >"$work/after"
  made_by "$work/before" "$work/after" "$pid $peers" >"$work/left"
  [ -s "$work/left" ] && { fail "run $i: still there after shmlab clean:"; cat "$work/left"; }
}

bench_args=(--benchmarks latency --sizes 64 --quick --no-plots --timeout-ms 2000 --out "$work/out")
# iceoryx brings RouDi, started and stopped by the driver: a kill must leave no RouDi and
# none of its objects (/dev/shm/iceoryx_mgmt and /dev/shm/<user>, /tmp/roudi*). sysv-msg's
# queues outlive a SIGKILL of both sides, zeromq-ipc's socket folder one of the driver.
transports=pipe,posix,sysv,mmap,fifo,tcp,posix-mq,sysv-msg,zeromq-ipc,zeromq-tcp,iceoryx
log=$work/run.log
targets=(driver-SIGKILL group-SIGKILL peer-SIGKILL driver-SIGINT driver-SIGTERM)
declare -A hits=() midrun=()
leftover_runs=0 leftover_objects=0
# Kill points spread over a whole run, as long as one takes on this machine now.
start_ns=$(date +%s%N)
"$driver" "${bench_args[@]}" --transports "$transports" 2>"$log" ||
  { cat "$log"; fail "an undisturbed run failed"; }
run_ms=$((($(date +%s%N) - start_ns) / 1000000))
echo "an undisturbed run takes $run_ms ms"
set -m # each background job its own process group, so that a group kill reaches the peer
for i in $(seq "$kills"); do
  target=${targets[$((RANDOM % ${#targets[@]}))]}
  delay_ms=$((RANDOM % (run_ms + 1)))
  "$driver" "${bench_args[@]}" --transports "$transports" 2>"$log" &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  peers=$(peers_of "$pid")
  victim=$pid
  case $target in
    driver-SIGKILL) kill -KILL "$pid" 2>/dev/null ;;
    group-SIGKILL) kill -KILL -- "-$pid" 2>/dev/null ;;
    driver-SIGINT) kill -INT "$pid" 2>/dev/null ;;
    driver-SIGTERM) kill -TERM "$pid" 2>/dev/null ;;
    peer-SIGKILL)
      # Between two configurations there is no peer for a moment: wait for the next one.
      for _ in $(seq 100); do
        [ -n "$peers" ] && break
        sleep 0.002
        peers=$(peers_of "$pid")
      done
      victim=${peers%% *}
      [ -n "$victim" ] && kill -KILL "$victim" 2>/dev/null
      ;;
  esac
  finish "$pid"
  # A peer forked between the look-up above and the kill is in the driver's process group
  # all the same; what it still holds would otherwise be judged as left behind.
  peers=$(printf '%s\n' $peers $(pgrep -g "$pid" 2>/dev/null) | sort -u | tr '\n' ' ')
  wait_gone $peers
  wait_roudi_gone
  [ -n "$victim" ] || status=0 # no peer to kill: counts as not mid-run
  judge "$i" "$target" "${delay_ms} ms" "$pid" "$peers" "$status"
done

# The windows a random kill rarely hits: between creating an object and removing its name.
# strace delivers SIGKILL to the driver as it enters the call that follows the creation (the
# Nth call, so that the object exists). Each object must be left (nothing survives to clean)
# and then be found and removed by `shmlab clean`. sysv-msg: the first queue made and its
# stamp sent, not yet received; zeromq-ipc: its folder made, the peer link not yet;
# posix-mq: the first queue opened, its name not yet unlinked (seen only where /dev/mqueue
# shows the queues).
windows=("fifo mknodat 2" "posix fallocate 1" "mmap fallocate 1" "sysv shmat 1"
  "sysv-msg msgrcv 1" "zeromq-ipc socketpair 1")
if grep -qs ' /dev/mqueue mqueue ' /proc/mounts; then
  windows+=("posix-mq mq_unlink 1")
else
  queue_window_skipped="no mqueue file system at /dev/mqueue, so a queue left cannot be seen (as root: mount -t mqueue none /dev/mqueue)"
fi
random_failures=$failures
if ! command -v strace >/dev/null || ! strace -qq -o /dev/null true 2>/dev/null; then
  windows_skipped="strace is missing or cannot trace here (install the strace package)"
  windows=()
fi
for w in "${windows[@]}"; do
  read -r transport call nth <<<"$w"
  i=$((i + 1))
  rm -f "$work"/trace.*
  # -ff names the trace file after the driver's pid.
  strace -qq -ff -o "$work/trace" -e trace="$call" -e inject="$call:signal=KILL:when=$nth" \
    "$driver" "${bench_args[@]}" --transports "$transport" 2>"$log" &
  finish $!
  pid=$(find "$work" -maxdepth 1 -name 'trace.*' | sed 's/.*trace\.//' | sort -n | head -1)
  judge "$i" window-SIGKILL "$transport, $call #$nth" "${pid:-0}" "" "$status"
  [ "$last_left" -gt 0 ] ||
    fail "run $i: nothing was left in the $transport creation window (the kill missed it)"
done
set +m
window_failures=$((failures - random_failures))

state >"$work/after"
if [ "$private" = 1 ] && ! cmp -s <(sort "$work/before") <(sort "$work/after"); then
  fail "the namespace's state differs from before:"
  diff <(sort "$work/before") <(sort "$work/after")
fi
echo
for t in "${targets[@]}" ${windows[0]:+window-SIGKILL}; do
  printf '  %-14s %2d kills, %2d of them mid-run\n' "$t" "${hits[$t]:-0}" "${midrun[$t]:-0}"
done
echo "  $leftover_runs SIGKILLs of the driver left $leftover_objects objects, all found by shmlab clean and removed"
total_mid=0
for t in "${!midrun[@]}"; do total_mid=$((total_mid + ${midrun[$t]:-0})); done
# Most kills must land while the driver is working, or the test proves little.
[ "$total_mid" -ge $((kills / 2)) ] || fail "only $total_mid kills landed mid-run"
# Two JUnit cases: the random kills (and the final state), and the creation windows.
random_failures=$((failures - window_failures))
record "random kills (seed $seed)" "$([ "$random_failures" -gt 0 ] && echo FAIL || echo PASS)" ""
if [ -n "${windows_skipped:-}" ]; then
  record "creation windows" SKIP "$windows_skipped"
else
  record "creation windows" "$([ "$window_failures" -gt 0 ] && echo FAIL || echo PASS)" ""
fi
if [ -n "${queue_window_skipped:-}" ]; then
  record "posix-mq creation window" SKIP "$queue_window_skipped"
fi
junit_report kill_test
if [ "$failures" -gt 0 ]; then
  echo "kill test: $failures failure(s) (seed $seed)"
  exit 1
fi
echo "kill test: passed, $total_mid of $i kills mid-run, state as before (seed $seed)"
