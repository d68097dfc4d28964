# How results.json rows (the schema the benchmark driver documents) become chart series.
# One place decides series names, their order and their look, so that every chart, the
# report and the comparison show a transport the same way.

def shm_mechanisms: ["mmap", "sysv", "posix"];
def kernel_transports: ["pipe", "fifo", "unix-stream", "unix-dgram", "tcp"];
# Strategies the benchmark is known to offer, cheapest-looking first; others sort after.
def notify_strategies: ["spin", "futex", "sem", "eventfd", "adaptive"];

def is_shm: .transport as $t | shm_mechanisms | index($t) != null;
def notify_name: (.notify // "") | if . == "none" then "" else . end;
def series_key: if notify_name == "" then .transport else "\(.transport)/\(notify_name)" end;

def rank_in($list; $item): ($list | index($item)) // ($list | length);
def series_rank:
  .transport as $t
  | [ (if is_shm then 0 elif (kernel_transports | index($t)) != null then 1 else 2 end),
    rank_in(shm_mechanisms + kernel_transports; .transport), .transport,
    rank_in(notify_strategies; notify_name), notify_name ];

# Colour names the transport (shared-memory mechanisms in cool colours, kernel transports in
# warm ones and grey); the notification strategy changes the dash and the point, so a
# mechanism's strategies read as one family.
def colour:
  { "mmap": "#0072B2", "sysv": "#009E73", "posix": "#7B3294",
    "pipe": "#D55E00", "fifo": "#E69F00", "unix-stream": "#8C564B",
    "unix-dgram": "#CC79A7", "tcp": "#555555" }[.transport] // "#17BECF";
def dash:
  if is_shm and notify_name != "" then rank_in(notify_strategies; notify_name) % 5 + 1 else 1 end;
# Mechanisms overlap where they cost the same, so each has its own point shape too:
# filled for the first strategy (spin), open for the second, then filled again with the
# strategy's dash.
def point:
  ({ "mmap": [7, 6], "sysv": [5, 4], "posix": [15, 14],
     "pipe": [9, 9], "fifo": [8, 8], "unix-stream": [13, 13], "unix-dgram": [12, 12],
     "tcp": [11, 11] }[.transport] // [1, 1])
  [if notify_name == "" then 0 else rank_in(notify_strategies; notify_name) % 2 end];

# Every quantity is handed to gnuplot in base units (seconds, bytes per second) so its
# axis formats can print SI prefixes whatever unit the producer chose.
def unit_scale:
  { "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1,
    "B/s": 1, "kB/s": 1e3, "MB/s": 1e6, "GB/s": 1e9,
    "KiB/s": 1024, "MiB/s": 1048576, "GiB/s": 1073741824 }[.unit // ""]
  // error("row \(.benchmark) \(series_key) size \(.size) has unknown unit \(.unit)");
def base($field): if .[$field] == null then null else .[$field] * unit_scale end;

def size_label:
  if . >= 1048576 and . % 1048576 == 0 then "\(. / 1048576) MiB"
  elif . >= 1024 and . % 1024 == 0 then "\(. / 1024) KiB"
  else "\(.) B" end;

def rows($benchmark): .results[] | select(.benchmark == $benchmark);
def series_rows($benchmark): [rows($benchmark)] | group_by(series_key) | sort_by(.[0] | series_rank);

# One line per series: key, colour, dash type, point type (what the gnuplot scripts read).
def series_table($benchmark):
  series_rows($benchmark)[] | .[0] | [series_key, colour, dash, point] | @tsv;

# The same at one size, where a series timed in batches says so: its percentiles are those
# of batch means, which understate the tail.
def batch_note: if (.batch // 1) > 1 then " (batch \(.batch))" else "" end;
def series_table_at($benchmark; $size):
  series_rows($benchmark)[] | (map(select(.size == $size))[0] // .[0]) as $at
  | .[0] | [series_key + ($at | batch_note), colour, dash, point] | @tsv;

# Which latency series were timed in batches, and at which sizes (for the report).
def batched_latency:
  [series_rows("latency")[] | map(select((.batch // 1) > 1))
   | select(length > 0)
   | "\(.[0] | series_key): \(group_by(.batch) | map("batch \(.[0].batch) at \(map(.size | size_label) | join(", "))") | join("; "))"]
  | join("; ");

# gnuplot data: one block per series (in series_table's order), blocks separated by two
# blank lines so that `index i` selects a series. gnuplot merges the blank lines of an
# empty block into one separator, which would hand the next series' data to this one, so
# a series without data gets a line of NaN (missing) instead.
def block(lines): [lines] | (if length == 0 then ["NaN\tNaN\tNaN"] else . end)[], "", "";

# Columns: size, p50, p99 in base units.
def size_blocks_for($benchmark; $keys):
  [rows($benchmark)] as $rows
  | $keys[] as $key
  | block($rows | map(select(series_key == $key)) | sort_by(.size)[]
          | [.size, base("p50"), base("p99")] | map(. // "NaN") | @tsv);
def series_keys($benchmark): [series_rows($benchmark)[] | .[0] | series_key];
def size_blocks($benchmark): size_blocks_for($benchmark; series_keys($benchmark));

def best_shm_p50_by_size:
  [rows("latency") | select(is_shm)] | group_by(.size)
  | map({key: (.[0].size | tostring), value: (map(.p50 * unit_scale) | min)}) | from_entries;

# Chart 5: each series' p50 as a multiple of the best shared-memory p50 at the same size.
def advantage_blocks:
  best_shm_p50_by_size as $best
  | series_rows("latency")[]
  | block(sort_by(.size)[] | select($best[.size | tostring] != null)
          | [.size, (.p50 * unit_scale / $best[.size | tostring])] | @tsv);

def nearest_size($benchmark; $wanted):
  [rows($benchmark) | .size] | unique
  | min_by((. / $wanted | log) | fabs);

# Chart 3: the percentiles of each series at one size, x = 1..4 for p50, p90, p99, p99.9.
def distribution_blocks($size):
  series_rows("latency")[]
  | block(map(select(.size == $size))[]
          | (["p50", "p90", "p99", "p999"] | to_entries[]) as $q
          | [$q.key + 1, base($q.value)] | map(. // "NaN") | @tsv);

# Chart 4: one line per segment size: its label, then mean and stddev per mechanism in table order.
def setup_matrix:
  [rows("setup")] as $rows
  | ($rows | group_by(series_key) | sort_by(.[0] | series_rank) | map(.[0] | series_key)) as $keys
  | ($rows | map(.size) | unique)[] as $size
  | [$size | size_label] + ($keys | map(. as $k | ($rows | map(select(series_key == $k and .size == $size))[0])
                            | if . == null then ["NaN", "NaN"]
                              else [base("mean"), (base("stddev") // 0)] end) | add)
  | @tsv;

def floor_value($transport; $field):
  [rows("floor") | select(.transport == $transport)] | sort_by(.size) | last
  | if . == null then null else base($field) end;

def floor_blocks($transport):
  [rows("floor") | select(.transport == $transport)] | sort_by(.size)[]
  | [.size, base("p50")] | @tsv;

def size_range($benchmark):
  [rows($benchmark) | .size] | "size_lo=\(min); size_hi=\(max)";
def size_tics($benchmark):
  "(" + ([rows($benchmark) | .size] | unique | map("\"\(size_label)\" \(.)") | join(", ")) + ")";

# The machine and the run, in two parts: what (CPU, kernel, mode) and where/when.
def machine_parts:
  .context as $c
  | [ "\($c.cpu_model // "unknown CPU"), \($c.kernel // "unknown kernel"), \($c.mode // "?") run",
      ([ (if $c.host then "on \($c.host)" else empty end),
         (if ($c.pinning | type) == "object" and $c.pinning.pinned then
            "pinned to CPUs \($c.pinning.cpu_a) and \($c.pinning.cpu_b)"
          elif ($c.pinning | type) == "object" then "unpinned" else empty end),
         ($c.date // empty) ] | join(", ")) ]
  | map(select(. != ""));
def machine_line: machine_parts | join(" ");

# Input checking: the first thing wrong with a results document, or null. Each benchmark
# needs the statistics its chart draws.
def needed_fields:
  ["benchmark", "transport", "size", "unit"]
  + ({ "latency": ["p50", "p90", "p99"], "wakeup": ["p50", "p99", "rate_hz"],
       "throughput": ["p50"], "setup": ["mean"], "floor": ["p50"] }[.benchmark // ""] // []);
def row_problem:
  if type != "object" then "is not an object"
  else
    ([needed_fields[] as $f | select(.[$f] == null) | "\"\($f)\""]) as $missing
    | "(\(.benchmark // "?") \(.transport // "?") \(.size // "?") B)" as $what
    | if ($missing | length) > 0 then "\($what) lacks \($missing | join(", "))"
      elif ([.benchmark, .transport, .unit] | any(type != "string")) or
           ((.notify | type) != "string" and .notify != null)
        then "\($what) has a benchmark, transport, notify or unit that is not text"
      elif ([(.size, .p50, .p90, .p99, .p999, .mean, .stddev, .min, .max, .batch, .rate_hz,
              .cpu_ns_per_msg, .cpu_ns_per_msg_b, .ratio)
             | select(. != null and type != "number")] | length) > 0
        then "\($what) has a statistic that is not a number"
      else .unit as $unit | try (unit_scale | null) catch "\($what) has unknown unit \"\($unit)\""
      end
  end;
def first_problem:
  if type != "object" then "the top level is not an object"
  elif (.context | type) != "object" then "no \"context\" object"
  elif (.results | type) != "array" then "no \"results\" array"
  elif (.results | length) == 0 then "\"results\" is empty"
  else [.results | to_entries[] | (.value | row_problem) as $p | select($p != null)
        | "results[\(.key)] \($p)"] | first
  end;


# ---- The report's tables: tab-separated, a header line first. A cell "a|b" holds two
# quantities in base units, shown as "a / b"; report.sh formats them.

# The sizes a reader usually asks about, as far as the run measured them.
def table_sizes:
  ([rows("latency") | .size] | unique) as $have
  | [64, 4096, 65536, 1048576] | map(select(. as $s | $have | index($s) != null))
  | if length > 0 then . else [$have[0], $have[-1]] | unique end;

def cell($fields): if . == null then "" else [$fields[] as $f | base($f) // "NaN"] | map(tostring) | join("|") end;

def latency_table:
  table_sizes as $sizes
  | (["transport"] + ($sizes | map(size_label)) | @tsv),
    (series_rows("latency")[] as $rows
     | [$rows[0] | series_key]
       + ($sizes | map(. as $s | $rows | map(select(.size == $s)) | first | cell(["p50", "p99"])))
     | @tsv);

def wakeup_table:
  ([rows("wakeup") | .rate_hz] | unique | reverse) as $rates
  | if ($rates | length) == 0 then empty else
    (["transport"] + ($rates | map("\(.) Hz")) | @tsv),
    (series_rows("wakeup")[] as $rows
     | [$rows[0] | series_key]
       + ($rates | map(. as $r | $rows | map(select(.rate_hz == $r)) | first
                        | if . == null then "" else cell(["p50"]) + "|" + ((.cpu_ns_per_msg_b // null) | if . == null then "NaN" else . * 1e-9 | tostring end) end))
     | @tsv)
    end;

def lowest($rows; f): $rows | map(select(f != null)) | min_by(f);
def highest($rows; f): $rows | map(select(f != null)) | max_by(f);

# Efficiency against the floor (targets from the benchmark issue): measure, value,
# reference, unit, ratio, target, verdict. Ratios to the floor are the ones the driver
# wrote in the rows (ratio, ratio_to); only the blocking-against-pipe ratio is new here.
def efficiency_table:
  def verdict($ratio; $ok): if $ratio == null then "not measured" elif $ok then "met" else "not met" end;
  def row($what; $a; $b; $unit; $ratio; $target; ok):
    [$what, ($a // "NaN"), ($b // "NaN"), $unit, ($ratio // "NaN"), $target,
     verdict($ratio; $ratio != null and ($ratio | ok))] | map(tostring) | @tsv;
  def name: if . then series_key else "not measured" end;
  def p50_of: if . then base("p50") else null end;
  (["measure", "value", "reference", "unit", "ratio", "target", "verdict"] | @tsv),
  ( . as $doc
    | [rows("latency") | select(is_shm and .size == 64)] as $shm64
    | lowest($shm64; .p50 * unit_scale) as $fast
    | ([rows("floor") | select(.transport == "cacheline")][0]) as $line
    | row("best shared-memory p50 at 64 B (\($fast | name)) / cache-line floor p50";
          $fast | p50_of; $line | p50_of; "s"; $fast.ratio; "at most 1.5×"; . <= 1.5),
    ( lowest($shm64 | map(select(notify_name != "spin")); .p50 * unit_scale) as $blocking
      | ([$doc | rows("latency") | select(.transport == "pipe" and .size == 64)][0]) as $pipe
      | ($blocking | p50_of) as $a | ($pipe | p50_of) as $b
      | row("best blocking shared-memory p50 at 64 B (\($blocking | name)) / pipe p50";
            $a; $b; "s"; (if $a and $b then $a / $b else null end); "at most 1×"; . <= 1) ),
    ( highest([$doc | rows("throughput") | select(is_shm and .size == 1048576)]; .p50 * unit_scale) as $top
      | ([$doc | rows("floor") | select(.transport == "memcpy" and .size == 1048576)][0]) as $memcpy
      | row("best shared-memory throughput at 1 MiB (\($top | name)) / memcpy bandwidth";
            $top | p50_of; $memcpy | p50_of; "B/s"; $top.ratio; "at least 0.5×"; . >= 0.5) ) );

# The measurement checked against an independent plain ping-pong (crosscheck rows). The
# driver interleaves the two loops and writes ratio = plain p50 / shmlab p50 of those same
# slices, so the latency row's p50 (another moment) is not shown beside it.
def crosscheck_table:
  [rows("crosscheck")]
  | if length == 0 then empty else
    (["transport", "size", "plain ping-pong p50", "plain / shmlab (interleaved)", "verdict"] | @tsv),
    (sort_by(series_rank, .size)[]
     | [series_key, (.size | size_label), base("p50"), (.ratio // "NaN"),
        (if .ratio == null then "not measured" elif .ratio >= 0.8 and .ratio <= 1.25 then "within 0.8–1.25"
         else "outside 0.8–1.25" end)]
     | map(tostring) | @tsv)
    end;

def context_table:
  def flat($prefix):
    to_entries[] | (if $prefix == "" then .key else "\($prefix).\(.key)" end) as $name
    | if (.value | type) == "object" then .value | flat($name)
      elif (.value | type) == "array" then [$name, (.value | if length == 0 then "none" else map(tostring) | join("; ") end)]
      else [$name, (.value | if . == null then "–" else tostring end)] end;
  # "charts" says what became of the charts, which the report is: written after it.
  (["field", "value"] | @tsv), (.context | del(.charts) | flat("") | @tsv);



# The comparison of two runs (input: [A, B]): B's p50 over A's per series and size,
# for every series and size both runs measured.
def ratio_table($benchmark):
  (.[0] | [rows($benchmark)]) as $a
  | (.[1] | [rows($benchmark)]) as $b
  | ([$a[], $b[]] | map(.size) | unique) as $sizes
  | (["\($benchmark) p50, B / A"] + ($sizes | map(size_label)) | @tsv),
    ([$a[], $b[]] | group_by(series_key) | sort_by(.[0] | series_rank)[] | .[0] | series_key) as $key
    | [$key] + ($sizes | map(. as $s
        | ($a | map(select(series_key == $key and .size == $s)) | first) as $x
        | ($b | map(select(series_key == $key and .size == $s)) | first) as $y
        | if $x and $y and $x.p50 > 0 then ($y | base("p50")) / ($x | base("p50")) else "NaN" end))
    | map(tostring) | @tsv;

# ---- The conformance checker's JSON report (`checker --format json`, schema
# "shmlab-conformance/1", documented in conformance/checker/cf_matrix.h): "platform",
# "cases" [{id, mechanism, rule, source, verdict PASS|FAIL|SKIP|BROKEN, reason, info}] and
# "counts" per mechanism and "all". The counts are the checker's; they are computed from
# the cases only when a report has none.
def verdicts: ["pass", "fail", "skip", "broken"];
def conformance_problem:
  if type != "object" then "the top level is not an object"
  elif (.cases | type) != "array" then "no \"cases\" array"
  else [.cases | to_entries[] | select((.value | type) != "object" or (.value.verdict | type) != "string")
        | "cases[\(.key)] has no \"verdict\" text"] | first
  end;

def tally: reduce (.[] | .verdict | ascii_downcase) as $v
  ({cases: length} + (verdicts | map({key: ., value: 0}) | from_entries); .[$v] += 1);
def conformance_counts:
  if (.counts | type) == "object" then .counts
  else (.cases | group_by(.mechanism // "?") | map({key: (.[0].mechanism // "?"), value: tally}) | from_entries)
       + {all: (.cases | tally)}
  end;

def conformance_platform:
  .platform as $p
  | if ($p | type) != "object" then empty
    else [ ($p.libc | if . then "\(.name // "?") \(.version // "")" else empty end),
           ($p.kernel | if . then "\(.sysname // "") \(.release // "") \(.machine // "")" else empty end),
           (if $p.shm_dir_fs then "/dev/shm on \($p.shm_dir_fs)" else empty end) ]
         | map(gsub("^ +| +$"; "")) | join(", ")
    end;

def conformance_summary:
  conformance_counts.all as $all
  | [verdicts[] as $v | select(($all[$v] // 0) > 0 or $v == "pass" or $v == "fail") | "\($all[$v] // 0) \($v)"]
  | join(", ");

def conformance_by_mechanism:
  (["mechanism", "cases"] + verdicts | @tsv),
  (conformance_counts | to_entries | map(select(.key != "all")) + map(select(.key == "all"))
   | .[] | [.key, .value.cases] + [verdicts[] as $v | .value[$v] // 0] | map(tostring) | @tsv);

# Cases that neither passed nor were skipped (FAIL, BROKEN), with the checker's reason.
def conformance_failures:
  (["case", "mechanism", "verdict", "reason"] | @tsv),
  (.cases[] | select(.verdict | ascii_downcase | . != "pass" and . != "skip")
   | [.id // "?", .mechanism // "?", .verdict, .reason // ""] | map(tostring | gsub("[\t\n]"; " ")) | @tsv);
