# The report beside the charts: report.md and a self-contained report.html (charts inlined
# as data: URIs). Sourced by render.sh, which provides json, out, work, conformance
# and machine, and the helpers of lib.sh.

tsv_to_html() {
  awk -F '\t' '
    function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
    NR == 1 { print "<table><thead><tr>"; for (i = 1; i <= NF; i++) print "<th>" esc($i) "</th>"
              print "</tr></thead><tbody>"; next }
    { printf "<tr>"
      for (i = 1; i <= NF; i++)
        printf "<td%s>%s</td>", ($i == "met" || $i ~ /^within /) ? " class=\"met\"" : \
                                ($i == "not met" || $i ~ /^outside / || $i == "FAIL" || $i == "BROKEN") ? " class=\"unmet\"" : "", esc($i)
      print "</tr>" }
    END { if (NR > 0) print "</tbody></table>" }'
}

html_escape() { jq -Rr @html <<< "$1"; }

# Each section is written to both documents: md_* and html_* append to them.
md() { printf '%s\n' "$@" >> "$out/report.md"; }
html() { printf '%s\n' "$@" >> "$work/report.html"; }
heading() { md "## $1" ""; html "<h2>$(html_escape "$1")</h2>"; }
paragraph() { md "$1" ""; html "<p>$(html_escape "$1")</p>"; }
table() { tsv_to_markdown < "$1" >> "$out/report.md"; md ""; tsv_to_html < "$1" >> "$work/report.html"; }

# rq_table JQ_FILTER NAME FORMATTER...: a results table into $work/NAME.tsv, formatted.
rq_table() {
  local filter=$1 name=$2
  shift 2
  rq -r "include \"results\"; $filter" "$json" | "$@" > "$work/$name.tsv"
}

chart_titles=(
  "latency:Round-trip latency by message size (p50, whisker up to p99) against the cache-line floor"
  "throughput:One-way throughput by message size against memcpy bandwidth"
  "distribution:Latency percentiles at a small size"
  "setup:Set-up cost per mechanism and segment size"
  "advantage:Each transport's p50 as a multiple of the best shared-memory p50"
)

write_report() {
  : > "$out/report.md"
  : > "$work/report.html"
  md "# shmlab benchmark report" "" "$machine" ""
  html "<h1>shmlab benchmark report</h1>" "<p class=\"machine\">$(html_escape "$machine")</p>"

  # What the run skipped or failed changes what the tables mean: said before them.
  local note
  while IFS= read -r note; do
    paragraph "Note from the run: $note"
  done < <(jq -r '.context.notes // [] | .[] | tostring' "$json")

  heading "Efficiency against the floor"
  rq_table efficiency_table efficiency format_columns - @4 @4 ! x - -
  table "$work/efficiency.tsv"

  heading "Round-trip latency, p50 / p99"
  rq_table latency_table latency format_columns - s
  table "$work/latency.tsv"
  local batched
  batched=$(rq -r 'include "results"; batched_latency' "$json")
  if [ -n "$batched" ]; then
    paragraph "Timed in batches, where one round trip is too short for the clock: $batched. Their percentiles are percentiles of batch means and understate the tail."
  fi

  local wakeup_rows
  wakeup_rows=$(rq -r 'include "results"; [rows("wakeup")] | length' "$json")
  if [ "$wakeup_rows" -gt 0 ]; then
    heading "Wake-up latency at low rates: p50 / the serving peer's CPU time per message"
    paragraph "A blocking strategy pays for the wake-up; a spinning peer burns a whole core between messages."
    rq_table wakeup_table wakeup format_columns - s
    table "$work/wakeup.tsv"
  fi

  rq -r 'include "results"; crosscheck_table' "$json" | format_columns - - s x - > "$work/crosscheck.tsv"
  if [ -s "$work/crosscheck.tsv" ]; then
    heading "The measurement checked against a plain ping-pong"
    paragraph "An independent plain ping-pong (straight read/write loops) run interleaved with shmlab's own loop on the same transport and size; the benchmark issue asks that they agree within 25% (plain / shmlab between 0.8 and 1.25)."
    table "$work/crosscheck.tsv"
  fi

  heading "Charts"
  local entry chart title
  for entry in "${chart_titles[@]}"; do
    chart=${entry%%:*} title=${entry#*:}
    if [ ! -s "$out/$chart.svg" ]; then
      paragraph "$title: not drawn, the results hold no rows for it."
      continue
    fi
    md "### $title" "" "![$title]($chart.png) ([SVG]($chart.svg))" ""
    html "<figure><img alt=\"$(html_escape "$title")\" src=\"data:image/svg+xml;base64,$(base64 -w0 "$out/$chart.svg")\">" \
         "<figcaption>$(html_escape "$title")</figcaption></figure>"
  done

  if [ -n "$conformance" ]; then
    heading "Conformance"
    local platform
    platform=$(rq -r 'include "results"; conformance_platform' "$conformance")
    paragraph "Checker result $(basename "$conformance")${platform:+ ($platform)}: $(rq -r 'include "results"; conformance_summary' "$conformance")."
    rq -r 'include "results"; conformance_by_mechanism' "$conformance" > "$work/conformance.tsv"
    table "$work/conformance.tsv"
    rq -r 'include "results"; conformance_failures' "$conformance" > "$work/failures.tsv"
    if [ "$(wc -l < "$work/failures.tsv")" -gt 1 ]; then
      paragraph "Cases that failed or could not be set up:"
      table "$work/failures.tsv"
    fi
  fi

  heading "Machine and run"
  rq_table context_table context cat
  table "$work/context.tsv"

  {
    cat <<HTML
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>shmlab benchmark report: $(html_escape "$machine")</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1240px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } .machine { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
th:first-child, td:first-child { text-align: left; } th { background: #f2f2f2; }
figure { margin: 1em 0 2em; } figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
td.met { color: #1a7f37; } td.unmet { color: #b42318; font-weight: bold; }
</style></head><body>
HTML
    cat "$work/report.html"
    echo "</body></html>"
  } > "$out/report.html"
}
