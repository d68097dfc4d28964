# Shared by render.sh and compare.sh (sourced; the caller sets `prog`, `usage` and `here`,
# the folder holding the gnuplot scripts and results.jq).

fail_usage() { echo "${prog}: $* (usage: ${usage})" >&2; exit 2; }
fail() { echo "${prog}: $*" >&2; exit 1; }

require_tools() {
  local tool
  for tool in jq gnuplot awk; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (ci/setup.sh installs it)"
  done
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

rq() { jq -L "$here" "$@"; }

# Exit 1 with the first thing wrong in a results document.
check_results() {
  local file=$1 problem
  check_json "$file"
  problem=$(rq -r 'include "results"; first_problem // empty' "$file") \
    || fail "$file could not be read as results"
  [ -z "$problem" ] || fail "$file: $problem"
}

# Exit 1 unless the file holds exactly one JSON document.
check_json() {
  local documents
  documents=$(jq -s length "$1" 2>/dev/null) || fail "$1 is not valid JSON"
  [ "$documents" = 1 ] || fail "$1 holds $documents JSON documents, not one"
}

# A gnuplot string literal (single quotes double inside single-quoted gnuplot strings).
gp_str() { printf "'%s'" "${1//\'/\'\'}"; }

# Reads a series table (key, colour, dash, point per line) and prints the gnuplot
# assignments by_size.gp and friends expect (keys quoted: a key may hold spaces).
series_vars() {
  awk -F '\t' '
    { keys = keys sep "\\\"" $1 "\\\""; colours = colours sep $2; dashes = dashes sep $3; points = points sep $4
      sep = " "; n++ }
    END { printf "n=%d; keys=\"%s\"; colours=\"%s\"; dashes=\"%s\"; points=\"%s\"\n",
                 n, keys, colours, dashes, points }' "$1"
}

svg_terminal="set terminal svg size 1200,650 font 'DejaVu Sans,13' background rgb 'white' noenhanced"
png_terminal="set terminal pngcairo size 1200,650 font 'DejaVu Sans,11' background rgb 'white' noenhanced"

# plot_chart OUT_BASE GNUPLOT_ASSIGNMENTS SCRIPT: draws OUT_BASE.svg and OUT_BASE.png.
plot_chart() {
  local base=$1 settings=$2 script=$3 err
  err=$(gnuplot -e "$settings" -e "$svg_terminal; set output $(gp_str "$base.svg")" \
      "$here/common.gp" "$here/$script" \
      -e "set output; $png_terminal; set output $(gp_str "$base.png"); replot; set output" \
      2>&1 >/dev/null) \
    || fail "gnuplot could not draw $(basename "$base"): $(printf '%s\n' "$err" | grep -iv warning | grep -m 1 .)"
}

# human VALUE UNIT: "141 ns" for 1.41e-7 s (format.awk).
human() { awk -v v="$1" -v u="$2" -f "$here/format.awk" -f /dev/stdin <<< 'BEGIN { print human(v, u) }'; }

# floor_reference JSON TRANSPORT LABEL UNIT COLOUR DATAFILE: a by_size.gp reference drawn
# from floor rows (kept in DATAFILE): a level line labelled with its value if there is one
# row, a line through them if there are several.
floor_reference() {
  local file=$6
  rq -r --arg t "$2" 'include "results"; floor_blocks($t)' "$1" > "$file"
  case $(grep -c . "$file" || true) in
    0) ;;
    1) printf ', %s with lines lc rgb "%s" dt 3 lw 2 title %s' "$(cut -f 2 "$file")" "$5" \
         "$(gp_str "$3, $(human "$(cut -f 2 "$file")" "$4")")" ;;
    *) printf ', %s using 1:2 with linespoints lc rgb "%s" dt 3 lw 2 pt 2 title %s' \
         "$(gp_str "$file")" "$5" "$(gp_str "$3")" ;;
  esac
}

# format_columns KIND...: formats a table's cells by column. A kind is "-" (text as is),
# "!" (drop the column), "x" (a ratio: 1.30×), "@N" (quantities in the unit named in column
# N) or a unit ("s", "B/s"). A quantity cell "a|b" holds two and becomes "a / b".
format_columns() {
  awk -F '\t' -v OFS='\t' -v kinds="$*" -f "$here/format.awk" -f /dev/fd/3 3<<'AWK'
BEGIN { ncols = split(kinds, kind, " ") }
{ line = ""; sep = ""
  for (i = 1; i <= NF; i++) {
    k = (i <= ncols) ? kind[i] : kind[ncols]
    if (k == "!") continue
    cell = $i
    if (NR > 1 && k != "-") {
      if (cell == "" || cell == "NaN") cell = "–"
      else if (k == "x") cell = sprintf("%.2f×", cell)
      else {
        unit = (substr(k, 1, 1) == "@") ? $(substr(k, 2) + 0) : k
        n = split(cell, parts, "|"); cell = ""
        for (j = 1; j <= n; j++) cell = cell (j > 1 ? " / " : "") human(parts[j], unit)
      }
    }
    line = line sep cell; sep = OFS
  }
  print line }
AWK
}

tsv_to_markdown() {
  awk -F '\t' '{ gsub(/\|/, "\\|"); line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line
                 if (NR == 1) { line = "|"; for (i = 1; i <= NF; i++) line = line " --- |"; print line } }'
}

