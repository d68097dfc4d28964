#!/usr/bin/env bash
# The conformance matrix: builds the checker for every implementation in the table below that
# is available here, runs it on each, and joins the reports (matrix_report) into matrix.json,
# matrix.md and matrix.html.
#   bazel run //conformance:matrix [-- --out DIR] [-- --only NAME[,NAME...]]
# Default DIR: bench-out/matrix in the workspace. Each column's checker report is
# DIR/NAME.json (what ci/conformance_gate.sh judges against conformance/known_deviations/NAME.txt)
# and its stderr DIR/NAME.err.
# Exit status: 0 the matrix was written (whatever the verdicts), 1 it could not be, 2 bad usage.
set -uo pipefail

# One line per column: NAME | BUILD | RUNNER | PACKAGES
#   BUILD    "native": the checker Bazel builds (glibc); otherwise a C compiler that builds
#            the same sources into one static program (build_static.sh) at run time
#   RUNNER   the command the checker runs under ("" for none): an emulator, a sandbox, a
#            dynamic-analysis tool, `env LD_PRELOAD=/path/libyours.so`, or `as_unprivileged`
#   PACKAGES where BUILD's compiler and RUNNER's tool come from, for the "missing" message
# Adding an implementation is one line here and its list conformance/known_deviations/NAME.txt.
columns=(
  "glibc        | native                  |                                  | libc6"
  "musl         | musl-gcc                |                                  | musl-tools"
  "armhf        | arm-linux-gnueabihf-gcc | qemu-arm                         | gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user"
  "qemu-x86_64  | native                  | qemu-x86_64                      | qemu-user"
  "valgrind     | native                  | valgrind -q --trace-children=yes | valgrind"
  "proot        | native                  | proot                            | proot"
  "unprivileged | native                  | as_unprivileged                  | util-linux"
)

usage="usage: bazel run //conformance:matrix [-- --out DIR] [--only NAME[,NAME...]]"
[ $# -ge 4 ] || { echo "$usage" >&2; exit 2; }
checker=$(realpath "$1") sources=$2 build_static=$(realpath "$3") report=$(realpath "$4")
shift 4

out=${BUILD_WORKSPACE_DIRECTORY:-$PWD}/bench-out/matrix only=
while [ $# -gt 0 ]; do
  case $1 in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || { echo "matrix: --out needs a folder" >&2; exit 2; }
      out=$2; shift 2 ;;
    --out=?*) out=${1#--out=}; shift ;;
    --only) [ $# -ge 2 ] && [ -n "$2" ] || { echo "matrix: --only needs column names" >&2; exit 2; }
      only=$2; shift 2 ;;
    --only=?*) only=${1#--only=}; shift ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "matrix: unexpected argument '$1' ($usage)" >&2; exit 2 ;;
  esac
done
case $out in /*) ;; *) out=${BUILD_WORKING_DIRECTORY:-$PWD}/$out ;; esac
if [ -n "$only" ]; then
  for name in ${only//,/ }; do
    printf '%s\n' "${columns[@]}" | awk -F'|' -v n="$name" '{ gsub(/ /, "", $1) } $1 == n { f = 1 } END { exit !f }' ||
      { echo "matrix: no column named '$name'" >&2; exit 2; }
  done
fi
mkdir -p "$out" || { echo "matrix: cannot create $out" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/shmlab-matrix.XXXXXX") || exit 1
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

trim() { local s=$1; s=${s#"${s%%[! ]*}"}; echo "${s%"${s##*[! ]}"}"; }

# The checker as an unprivileged user: root runs it as nobody (its copy of the checker and its
# folders readable there); anyone else is unprivileged already and runs it as themselves.
as_unprivileged() {
  if [ "$(id -u)" -ne 0 ]; then
    timeout 150 "$@"
    return
  fi
  local program=$1
  shift
  install -m 755 "$program" "$work/unprivileged-checker"
  chown -R 65534:65534 "$column_dir"
  timeout 150 setpriv --reuid=65534 --regid=65534 --clear-groups -- "$work/unprivileged-checker" "$@"
}

# The cross builds start at once, in the background, while the first columns run; a column
# that needs one waits for it. build_status COMPILER is its exit status, the compiler's own
# message in $work/build-COMPILER.err.
declare -A builds=()
start_build() {
  local compiler=$1
  [ -z "${builds[$compiler]:-}" ] && command -v "$compiler" >/dev/null || return 0
  # shellcheck disable=SC2046 # the manifest is one workspace-relative path a line
  "$build_static" "$compiler" "$work/checker-$compiler" $(cat "$sources") \
    2>"$work/build-$compiler.err" &
  builds[$compiler]=$!
}
build_status() {
  wait "${builds[$1]}"
}

# Cases crash on purpose (SIGSEGV, SIGBUS); an emulator would leave a core file for each.
ulimit -c 0
args=() started=$SECONDS
selected() { case ",$only," in ,,|*",$1,"*) return 0 ;; esac; return 1; }
for line in "${columns[@]}"; do
  IFS='|' read -r name compiler _ <<<"$line"
  name=$(trim "$name") compiler=$(trim "$compiler")
  selected "$name" && [ "$compiler" != native ] && start_build "$compiler"
done
for line in "${columns[@]}"; do
  IFS='|' read -r name compiler runner packages <<<"$line"
  name=$(trim "$name") compiler=$(trim "$compiler") runner=$(trim "$runner") packages=$(trim "$packages")
  selected "$name" || continue
  about="${runner:-natively}"
  [ "$compiler" = native ] && about="glibc build, $about" || about="$compiler -static, $about"
  args+=(--about "$name=$about")
  tool=${runner%% *}
  if [ -n "$tool" ] && ! declare -F "$tool" >/dev/null && ! command -v "$tool" >/dev/null; then
    args+=("$name!$tool is missing (Debian: $packages)")
    echo "matrix: $name: not run, $tool is missing"
    continue
  fi
  program=$checker
  if [ "$compiler" != native ]; then
    if ! command -v "$compiler" >/dev/null; then
      args+=("$name!$compiler is missing (Debian: $packages)")
      echo "matrix: $name: not run, $compiler is missing"
      continue
    fi
    program=$work/checker-$compiler
    if ! build_status "$compiler"; then
      args+=("$name!the $compiler build failed: $(head -c 300 "$work/build-$compiler.err" | tr '\n' ' ')")
      echo "matrix: $name: not run, the build failed:" >&2
      cat "$work/build-$compiler.err" >&2
      continue
    fi
  fi
  report_file=$out/$name.json column_dir=$work/$name
  rm -f "$report_file" "$out/$name.err"
  mkdir -p "$column_dir/tmp"
  column_start=$SECONDS
  limit=(timeout 150)
  declare -F "$tool" >/dev/null && limit=() # a function of this script applies it itself
  # shellcheck disable=SC2086 # RUNNER is a command and its arguments
  TMPDIR=$column_dir/tmp "${limit[@]}" $runner "$program" --format json \
    --output "$column_dir/report.json" >/dev/null 2>"$out/$name.err"
  status=$?
  if [ "$status" -le 1 ] && [ -s "$column_dir/report.json" ]; then
    cp "$column_dir/report.json" "$report_file"
    args+=("$name=$report_file")
    echo "matrix: $name ran in $((SECONDS - column_start)) s"
  else
    why="the checker did not write its report (exit $status$([ "$status" = 124 ] && echo ', timed out after 150 s')): $(tail -c 300 "$out/$name.err" | tr '\n' ' ')"
    args+=("$name!$why")
    echo "matrix: $name: $why" >&2
  fi
done

"$report" --out "$out" "${args[@]}" || exit 1
echo "matrix: $out/matrix.html, matrix.md, matrix.json ($((SECONDS - started)) s)"
