#!/usr/bin/env bash
# Runs COMMAND with libshmlab_fault.so preloaded and SHMLAB_FAULT=FAULT ("" for none).
# A sanitizer build (--config=asan) insists that its runtime comes first in the library list,
# ahead of any preloaded library, so whatever sanitizer runtime COMMAND links goes there.
# usage: with_fault.sh FAULT_LIBRARY FAULT COMMAND [ARG...]
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: with_fault.sh FAULT_LIBRARY FAULT COMMAND [ARG...]" >&2
  exit 2
fi
library=$(realpath "$1")
fault=$2
shift 2
preload=$library
runtime=$(ldd "$(command -v "$1")" 2>/dev/null | awk '$1 ~ /^lib(asan|ubsan)\.so/ {print $3}' | paste -sd: -)
if [ -n "$runtime" ]; then
  preload="$runtime:$library"
fi
exec env LD_PRELOAD="$preload" SHMLAB_FAULT="$fault" "$@"
