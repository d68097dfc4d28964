#!/usr/bin/env bash
# Installs what shmlab needs from Debian's archive, only what is missing. Idempotent.
# Runs as root, or through sudo; on a system without apt it names the packages and stops.
set -euo pipefail

# package:command-or-file that proves it is installed
needs=(
  "bazel-bootstrap:/usr/bin/bazel"
  "bazel-platforms:/usr/share/bazel/tools/platforms/WORKSPACE"
  "g++:/usr/bin/g++"
  "libgtest-dev:/usr/include/gtest/gtest.h"
  "libgmock-dev:/usr/include/gmock/gmock.h"
  "gnuplot-nox:/usr/bin/gnuplot"
  "hyperfine:/usr/bin/hyperfine"
  "musl-tools:/usr/bin/musl-gcc"
  "libcjson-dev:/usr/include/cjson/cJSON.h"
  "jq:/usr/bin/jq"
  "libxml2-utils:/usr/bin/xmllint"
  "strace:/usr/bin/strace"
  "clang-14:/usr/bin/clang-14"
  "uidmap:/usr/bin/newuidmap"
  "qemu-user:/usr/bin/qemu-arm"
  "valgrind:/usr/bin/valgrind"
  "proot:/usr/bin/proot"
  "gcc-arm-linux-gnueabihf:/usr/bin/arm-linux-gnueabihf-gcc"
  "libc6-dev-armhf-cross:/usr/arm-linux-gnueabihf/include/stdio.h"
  "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
  "iceoryx:/usr/bin/iox-roudi"
  "libiceoryx-binding-c-dev:/usr/include/iceoryx/v2.0.3/iceoryx_binding_c/runtime.h"
  "libzmq3-dev:/usr/include/zmq.h"
  "chromium:/usr/bin/chromium"
  "nodejs:/usr/bin/node"
  "clang-format:/usr/bin/clang-format"
)

# POSIX message queues can be listed (and a leaked one seen) only where an mqueue file system
# is mounted; systemd mounts one at /dev/mqueue, a bare container or VM may not have it.
if ! grep -qs ' /dev/mqueue mqueue ' /proc/mounts; then
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue &&
      echo "setup: mounted the mqueue file system at /dev/mqueue"
  else
    echo "setup: note: no mqueue file system at /dev/mqueue, so POSIX message queues cannot be" \
      "listed (as root: mount -t mqueue none /dev/mqueue)"
  fi
fi

missing=()
for entry in "${needs[@]}"; do
  pkg=${entry%%:*}
  probe=${entry#*:}
  [ -e "$probe" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: everything shmlab needs is installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install these (Debian 12 names) and run again: ${missing[*]}" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
