#!/usr/bin/env bash
# Builds the conformance checker with another C toolchain into one static program: the
# cases, the harness and the checker are plain C11, so the same sources that Bazel compiles
# against glibc are compiled here with COMPILER (musl-gcc, arm-linux-gnueabihf-gcc, ...).
# usage: build_static.sh COMPILER OUT SOURCE.c...   (run from the workspace root;
#        static_c.bzl passes the sources of //conformance/checker's deps)
# Exit status: 0 built, 1 the compiler is missing or failed, 2 bad usage.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: build_static.sh COMPILER OUT SOURCE.c..." >&2
  exit 2
fi
compiler=$1 out=$2
shift 2
if ! command -v "$compiler" >/dev/null; then
  echo "build_static: $compiler is missing (ci/setup.sh installs it)" >&2
  exit 1
fi

defines=()
if [ "$compiler" = musl-gcc ]; then
  # musl has no version API; its dynamic loader says which version it is.
  version=unknown
  libc_so=$(musl-gcc -print-file-name=libc.so)
  for loader in /lib/ld-musl-*.so.1 "$libc_so"; do
    if [ -x "$loader" ]; then
      found=$("$loader" 2>&1 | sed -n 's/^Version //p' || true)
      if [ -n "$found" ]; then
        version=$found
        break
      fi
    fi
  done
  defines+=("-DCF_MUSL_VERSION=\"$version\"")
fi

"$compiler" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -static -I. "${defines[@]}" \
  -o "$out" "$@"
