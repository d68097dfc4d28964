# Shared by render.sh and compare.sh (sourced; the caller sets `prog`, `usage` and `here`,
# the folder holding the gnuplot scripts and shl_plotdata, which shapes every figure).

fail_usage() { echo "${prog}: $* (usage: ${usage})" >&2; exit 2; }
fail() { echo "${prog}: $*" >&2; exit 1; }

require_tools() {
  command -v gnuplot >/dev/null 2>&1 || fail "gnuplot is not installed (ci/setup.sh installs it)"
}

# `bazel run` starts in the runfiles tree; relative paths the user typed mean their own folder.
enter_user_directory() {
  if [ -n "${BUILD_WORKING_DIRECTORY:-}" ]; then cd "$BUILD_WORKING_DIRECTORY"; fi
}

# A results folder or a results.json file -> the results.json path (exit 2 if neither).
results_file() {
  local arg=$1
  if [ -d "$arg" ]; then arg=$arg/results.json; fi
  [ -f "$arg" ] || fail_usage "no results file at $arg"
  [ -r "$arg" ] || fail_usage "cannot read $arg"
  printf '%s\n' "$arg"
}

# shl_plotdata is built, so it is in the runfiles tree beside this script (the scripts'
# folder may be the source folder the links lead to).
plotdata_tool() {
  local dir
  for dir in "$(dirname "$0")" "$0.runfiles/shmlab/plots" "${RUNFILES_DIR:-/nonexistent}/shmlab/plots" "$here"; do
    if [ -x "$dir/shl_plotdata" ]; then printf '%s\n' "$dir/shl_plotdata"; return 0; fi
  done
  fail "shl_plotdata is not in this build"
}

# plotdata ARGS...: shl_plotdata; its one-line complaint about bad input becomes ours.
plotdata() {
  local status=0 err
  { err=$("$plotdata_tool" "$@" 2>&1 >&3); } 3>&1 || status=$?
  case $status in
    0|3) return "$status" ;;
    *) fail "${err:-shl_plotdata $1 failed (status $status)}" ;;
  esac
}

svg_terminal="set terminal svg size 1200,650 font 'DejaVu Sans,13' background rgb 'white' noenhanced"
png_terminal="set terminal pngcairo size 1200,650 font 'DejaVu Sans,11' background rgb 'white' noenhanced"

# plot_chart OUT_BASE GNUPLOT_ASSIGNMENTS SCRIPT: draws OUT_BASE.svg and OUT_BASE.png. The
# scripts run once per format rather than `replot`, which redraws only the last panel of a
# multiplot; the load path lets a script load another (by_family.gp loads by_size.gp).
plot_chart() {
  local base=$1 settings=$2 script=$3 err
  err=$(gnuplot -e "set loadpath '${here//\'/\'\'}'; $settings" \
      -e "$svg_terminal; set output '${base//\'/\'\'}.svg'" "$here/common.gp" "$here/$script" \
      -e "set output; $png_terminal; set output '${base//\'/\'\'}.png'" "$here/common.gp" "$here/$script" \
      -e "set output" \
      2>&1 >/dev/null) \
    || fail "gnuplot could not draw $(basename "$base"): $(printf '%s\n' "$err" | grep -iv warning | grep -m 1 .)"
}
