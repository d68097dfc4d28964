#!/usr/bin/env bash
# Builds the conformance checker against musl: the cases, the harness and the checker are
# plain C11, so the same sources that Bazel compiles against glibc are compiled here with
# musl-gcc into one static program.
# usage: build_musl.sh OUT SOURCE.c...   (run from the workspace root; Bazel's
#        //conformance:checker_musl passes the sources of //conformance/checker's deps)
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: build_musl.sh OUT SOURCE.c..." >&2
  exit 2
fi
out=$1
shift
if ! command -v musl-gcc >/dev/null; then
  echo "build_musl: musl-gcc is missing (Debian package musl-tools; ci/setup.sh installs it)" >&2
  exit 1
fi

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

musl-gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -static -I. \
  -DCF_MUSL_VERSION="\"$version\"" -o "$out" "$@"
