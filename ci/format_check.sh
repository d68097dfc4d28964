#!/bin/bash
# Checks that every C and C++ file the repository tracks is formatted as .clang-format says
# (Debian's clang-format 14, installed by ci/setup.sh). Prints clang-format's complaints and
# exits 1 if any file would change, 2 if clang-format is missing; changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format_check: clang-format is not installed" >&2; exit 2; }
mapfile -d '' files < <(git ls-files -z -- '*.c' '*.h' '*.cc')
if [ "${#files[@]}" -eq 0 ]; then
    echo "format_check: no C or C++ files found (not a git checkout?)" >&2
    exit 2
fi
if clang-format --dry-run -Werror --style=file "${files[@]}"; then
    echo "format_check: ${#files[@]} files formatted as .clang-format says"
else
    echo "format_check: some files differ from .clang-format (run clang-format -i on them)" >&2
    exit 1
fi
