#!/usr/bin/env bash
# Environment limits become one-line errors, never a signal (SIGBUS) or a leak: a /dev/shm
# and a TMPDIR too small, no /dev/shm at all, System V shmmax, shmall and shmmni exceeded,
# RLIMIT_NOFILE and RLIMIT_AS tiny; for `shmlab write` and `shmlab lifecycle` of each
# mechanism it concerns and for the benchmark's shared-memory transports.
#
#   limits_test.sh SHMLAB DRIVER
#
# Needs root for the namespaces (its own IPC namespace, where the kernel.shm* limits can be
# set, and a 1 MiB tmpfs over /dev/shm and TMPDIR). Without root those cases are skipped
# with the reason; the rlimit cases run anyway. Each case is a JUnit test case, a skip a
# skipped one (never a pass).
set -uo pipefail

shmlab=$(realpath "${1:?usage: limits_test.sh SHMLAB DRIVER}")
driver=$(realpath "${2:?usage: limits_test.sh SHMLAB DRIVER}")
# shellcheck source=ci/hardening/lib.sh
source "$(dirname "$0")/lib.sh"
private_namespace "$0" "$shmlab" "$driver"

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/limits.XXXXXX")
tmp=$work/tmp # the tools' TMPDIR: a 1 MiB tmpfs in the private namespace
mkdir -p "$tmp" "$work/out"
export TMPDIR=$tmp
if [ "$private" = 1 ]; then
  mount -t tmpfs -o size=1m,mode=1777 shmlab-limits /dev/shm &&
    mount -t tmpfs -o size=1m,mode=0700 shmlab-limits-tmp "$tmp" ||
    { echo "limits: cannot mount the small tmpfs" >&2; exit 1; }
fi
echo "limits: $namespace_note"
shm_state "$tmp" >"$work/before"
key=$(printf '0x53%06x' $(((RANDOM << 8 | RANDOM) & 0xfffffe | 1)))
bench=(--benchmarks latency --quick --no-plots --timeout-ms 2000 --out "$work/out")


# check NAME WANT PATTERN COMMAND...: COMMAND must exit WANT, by no signal, within 30 s,
# leave nothing, and say PATTERN (an extended regex): shmlab in exactly one line on stderr;
# the driver in a FAILED line for each configuration.
check() {
  local name=$1 want=$2 pattern=$3
  shift 3
  "$@" </dev/null >"$work/stdout" 2>"$work/stderr" &
  local pid=$!
  finish "$pid" 30
  sleep 0.05
  shm_state "$tmp" >"$work/after"
  new_objects "$work/before" "$work/after" "$pid" >"$work/left"
  local problems=() said
  [ "$hung" = 1 ] && problems+=("no end within 30 s")
  [ "$hung" = 0 ] && [ "$status" -gt 128 ] && problems+=("killed by signal $((status - 128))")
  [ "$status" = "$want" ] || problems+=("exit status $status, not $want")
  if [[ " $* " == *" $driver "* ]]; then
    said=$(grep 'FAILED:' "$work/stderr" | head -1)
    grep 'FAILED:' "$work/stderr" | grep -vqE "$pattern" &&
      problems+=("a FAILED line does not say /$pattern/")
  else
    said=$(head -c 300 "$work/stderr")
    [ "$(wc -l <"$work/stderr")" -eq 1 ] ||
      problems+=("$(wc -l <"$work/stderr") lines on stderr, not 1")
  fi
  grep -qE "$pattern" "$work/stderr" || problems+=("stderr does not say /$pattern/")
  [ -s "$work/left" ] && problems+=("left behind: $(tr '\n' ';' <"$work/left")")
  if [ "${#problems[@]}" -eq 0 ]; then
    record "$name" PASS "$said"
  else
    record "$name" FAIL "$(IFS=';'; echo "${problems[*]}") (stderr: $(head -c 300 "$work/stderr"))"
  fi
  remove_objects "$work/left" "$tmp"
}

skip() { record "$1" SKIP "$2"; }

big=4M # four times the 1 MiB tmpfs
if [ "$private" = 1 ]; then
  # Space runs out: posix_fallocate must report it at creation; a sparse object planted by
  # someone else (ftruncate only) must not turn into a SIGBUS when shmlab fills it.
  check "devshm-small: lifecycle mmap" 1 "No space left on device" \
    "$shmlab" lifecycle mmap --size "$big"
  check "devshm-small: write mmap" 1 "No space left on device" \
    "$shmlab" write mmap "$tmp/shmlab-limits-file" --size "$big"
  truncate -s "$big" "/dev/shm/shmlab-limits-sparse"
  shm_state "$tmp" >"$work/before"
  check "devshm-small: write posix --reuse over a sparse object" 1 "No space left on device" \
    "$shmlab" write posix --name /shmlab-limits-sparse --reuse --size "$big"
  rm -f /dev/shm/shmlab-limits-sparse
  shm_state "$tmp" >"$work/before"
  check "devshm-small: benchmark posix, mmap at 1 MiB" 1 "No space left on device" \
    "$driver" "${bench[@]}" --transports posix,mmap --sizes 1M

  # /dev/shm not there at all: a mount namespace of its own with an empty /dev.
  nodev() { unshare --mount bash -c 'mount -t tmpfs shmlab-nodev /dev && exec "$@"' bash "$@"; }
  check "no /dev/shm: write posix" 1 "No such file or directory" \
    nodev "$shmlab" write posix --name /shmlab-limits-nodev
  check "no /dev/shm: benchmark posix" 1 "No such file or directory" \
    nodev "$driver" "${bench[@]}" --transports posix --sizes 64

  # sysv_limit LIMIT VALUE PATTERN SIZE: with kernel.LIMIT at VALUE, a segment of SIZE
  # bytes must be refused, by shmlab write and lifecycle and by the benchmark's ring.
  sysv_limit() {
    local saved
    saved=$(cat "/proc/sys/kernel/$1")
    echo "$2" >"/proc/sys/kernel/$1"
    check "$1 $2: write sysv $4" 1 "$3" "$shmlab" write sysv --key "$key" --size "$4"
    check "$1 $2: lifecycle sysv $4" 1 "$3" "$shmlab" lifecycle sysv --size "$4"
    check "$1 $2: benchmark sysv at $4" 1 "$3" "$driver" "${bench[@]}" --transports sysv --sizes "$4"
    echo "$saved" >"/proc/sys/kernel/$1"
  }
  sysv_limit shmmax 65536 "exceeds shmmax \(65536\)" 1M
  sysv_limit shmall 16 "exceed shmall \(16 pages" 1M
  # One segment exists (the test's) and shmmni allows one.
  holder=$(printf '0x53%06x' $(((RANDOM << 8 | RANDOM) & 0xfffffe | 1)))
  "$shmlab" write sysv --key "$holder" --size 4K >/dev/null
  shm_state "$tmp" >"$work/before"
  sysv_limit shmmni 1 "shmmni \(1\) reached" 1M
  "$shmlab" remove sysv --key "$holder" >/dev/null
  shm_state "$tmp" >"$work/before"
else
  why="needs root for a private IPC and mount namespace (a small tmpfs, kernel.shm* limits)"
  for c in "devshm-small" "no /dev/shm" "shmmax" "shmall" "shmmni"; do skip "$c" "$why"; done
fi

# RLIMIT_NOFILE: the driver needs a pipe, an eventfd or a socket pair per configuration.
# shmlab needs one descriptor at a time, and the dynamic loader one before main: with fewer
# than 4 it cannot start at all, so it is not a case here.
check "RLIMIT_NOFILE 6: benchmark pipe, posix" 1 "Too many open files" \
  prlimit --nofile=6 "$driver" "${bench[@]}" --transports pipe,posix --sizes 64

# RLIMIT_AS: mapping a 512 MiB segment must fail as an error. A sanitizer build reserves
# terabytes of address space at start, so there the limit cannot be applied.
as=$((96 << 20))
if ! prlimit --as="$as" "$shmlab" --help >/dev/null 2>&1; then
  skip "RLIMIT_AS" "shmlab cannot start under RLIMIT_AS=$as at all (a sanitizer build?)"
else
  check "RLIMIT_AS 96M: lifecycle sysv 512M" 1 "Cannot allocate memory" \
    prlimit --as="$as" "$shmlab" lifecycle sysv --size 512M
  check "RLIMIT_AS 96M: lifecycle anon 512M" 1 "Cannot allocate memory" \
    prlimit --as="$as" "$shmlab" lifecycle anon --size 512M
  check "RLIMIT_AS 96M: write sysv 512M" 1 "Cannot allocate memory" \
    prlimit --as="$as" "$shmlab" write sysv --key "$key" --size 512M
  check "RLIMIT_AS 96M: benchmark sysv at 64 MiB" 1 "Cannot allocate memory" \
    prlimit --as="$as" "$driver" "${bench[@]}" --transports sysv --sizes 64M
fi

failed=0 skipped=0
for v in "${verdicts[@]}"; do
  [ "$v" = FAIL ] && failed=$((failed + 1))
  [ "$v" = SKIP ] && skipped=$((skipped + 1))
done
junit_report limits
echo "limits: ${#cases[@]} cases, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
