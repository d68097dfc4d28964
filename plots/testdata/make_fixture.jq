# Makes testdata/results.json: jq -n -f make_fixture.jq > results.json. Deterministic figures shaped
# like this VM's (ipc-bench, lmbench and the floor in shared/notes), in the driver's schema.
def jitter($i): 1 + (((($i * 7919) % 97) - 48) / 1000);
def stats($p50; $tail; $i): {min: ($p50*0.92|floor), p50: ($p50|floor), p90: ($p50*1.08|floor),
  p99: ($p50*$tail|floor), p999: ($p50*$tail*1.9|floor), max: ($p50*$tail*9|floor),
  mean: ($p50*1.05|floor), stddev: ($p50*0.12|floor)};
def sizes: [8,64,256,1024,4096,16384,65536,262144,1048576];
def shm: [["mmap",1.0],["sysv",1.03],["posix",0.97]];
def kern: [["pipe",25000,2.1e9],["fifo",26000,2.0e9],["unix-stream",33000,4.5e9],["unix-dgram",30000,3.8e9],["tcp",31000,3.0e9]];
def notif: [["spin",190,1.4],["futex",9500,2.5]];
{context: {schema_version: 1, host: "shmlab-ci", kernel: "Linux 6.18.44-fc-v595 x86_64", cpu_model: "Intel(R) Xeon(R) Processor",
  cpus: 2, pinning: {pinned: true, cpu_a: 0, cpu_b: 1},
  buffers: {pipe: 65536, unix_stream_sndbuf: 212992, unix_stream_rcvbuf: 212992, unix_dgram_sndbuf: 212992, unix_dgram_rcvbuf: 212992, tcp_sndbuf: 2626560, tcp_rcvbuf: 131072},
  mode: "quick", date: "2026-11-29T19:55:00Z", clock: "CLOCK_MONOTONIC", timer_overhead_ns: 33.4, clock_resolution_ns: 1, timeout_ms: 5000,
  charts: null, notes: ["hand-made fixture for plots/ tests, shaped like this VM's figures"]},
 results: (
  [ sizes as $s | range(0; sizes|length) as $k | sizes[$k] as $z
    | (shm[] as $m | notif[] as $n
        | (($n[1]*$m[1] + 2*$z/18e9*1e9) * jitter($k+($n[1]|floor))) as $p
        | {benchmark:"latency", transport:$m[0], notify:$n[0], size:$z, unit:"ns"} + stats($p;$n[2];$k) + {n:20000, cpu_ns_per_msg:($p|floor)}),
      (kern[] as $t | (($t[1] + 2*$z/$t[2]*1e9) * jitter($k+$t[1]/1000)) as $p
        | {benchmark:"latency", transport:$t[0], notify:null, size:$z, unit:"ns"} + stats($p;1.9;$k) + {n:5000, cpu_ns_per_msg:($p*0.6|floor)})
  ] +
  [ range(0; sizes|length) as $k | sizes[$k] as $z
    | (shm[] as $m | notif[] as $n
        | ($z / (($n[1]/20 + $z/28e9*1e9)*$m[1]) * 1000) as $mbs
        | {benchmark:"throughput", transport:$m[0], notify:$n[0], size:$z, unit:"MB/s", min:($mbs*0.9|floor), p50:($mbs|floor), p90:($mbs*1.04|floor), p99:($mbs*1.06|floor), p999:($mbs*1.06|floor), max:($mbs*1.07|floor), mean:($mbs|floor), stddev:($mbs*0.03|floor), n:10}),
      (kern[] as $t | ($z / ($t[1]/10 + $z/$t[2]*1e9) * 1000) as $mbs
        | {benchmark:"throughput", transport:$t[0], notify:null, size:$z, unit:"MB/s", min:($mbs*0.9|floor), p50:($mbs|floor), p90:($mbs*1.04|floor), p99:($mbs*1.06|floor), p999:($mbs*1.06|floor), max:($mbs*1.07|floor), mean:($mbs|floor), stddev:($mbs*0.05|floor), n:10})
  ] +
  [ {benchmark:"floor", transport:"cacheline", notify:null, size:64, unit:"ns", min:128, p50:141, p90:152, p99:198, p999:420, max:5100, mean:146, stddev:21, n:100000},
    ({benchmark:"floor", transport:"memcpy", notify:null, unit:"MB/s"} + (
      (sizes[] as $z | [$z, (if $z <= 65536 then 20000 + 77000 * ($z / 65536 | sqrt) else 97000 - 50000 * (($z / 65536 | log2) / 4) end | floor)]) | {size:.[0], min:(.[1]*0.93|floor), p50:.[1], p90:(.[1]*1.02|floor), p99:(.[1]*1.03|floor), p999:(.[1]*1.03|floor), max:(.[1]*1.04|floor), mean:.[1], stddev:(.[1]*0.02|floor), n:50})) ] +
  [ (["mmap",1.1],["sysv",0.95],["posix",1.0]) as $m | [4096,1048576,67108864][] as $z
    | ((0.0011 + $z/4096*0.00000035)*$m[1]) as $t
    | {benchmark:"setup", transport:$m[0], notify:null, size:$z, unit:"ns", min:($t*0.85e9|floor), p50:($t*1e9|floor), p90:($t*1.1e9|floor), p99:($t*1.3e9|floor), p999:($t*1.35e9|floor), max:($t*1.4e9|floor), mean:($t*1.02e9|floor), stddev:($t*0.08e9|floor), n:30} ] +
  [ [["pipe",25361],["unix-stream",33788],["tcp",30918]][] as $c
    | ($c[1] * 0.93 | floor) as $plain
    | {benchmark:"crosscheck", transport:$c[0], notify:null, size:64, unit:"ns"} + stats($plain;1.8;3) + {n:2000} ] +
  [ [10000,1000,100][] as $r
    | (shm[] as $m | notif[] as $n
        | ((if $n[0]=="spin" then 210 else 38000 + 1e9/$r/2000 end)*$m[1]) as $p
        | {benchmark:"wakeup", transport:$m[0], notify:$n[0], size:64, rate_hz:$r, unit:"ns"} + stats($p;2.2;$r%7) + {n:($r/10), cpu_ns_per_msg:(if $n[0]=="spin" then 1e9/$r else 7200 end)}),
      (kern[] as $t | ($t[1]*1.8 + 1e9/$r/5000) as $p
        | {benchmark:"wakeup", transport:$t[0], notify:null, size:64, rate_hz:$r, unit:"ns"} + stats($p;2.0;$r%5) + {n:($r/10), cpu_ns_per_msg:9000})
  ]
 )}
| .results |= map({batch: 1, rate_hz: null, cpu_ns_per_msg: null, cpu_ns_per_msg_a: null, cpu_ns_per_msg_b: null, messages: .n, ratio: null, ratio_to: null} + .)
| (.results | map(select(.benchmark == "floor")) | map({key: "\(.transport)/\(.size)", value: .p50}) | from_entries) as $floor
| (.results | map(select(.benchmark == "latency" and .notify == null)) | map({key: "\(.transport)/\(.size)", value: .p50}) | from_entries) as $plain
| .results |= map(
    if .benchmark == "latency" and .notify != null then . + {ratio: (.p50 / $floor["cacheline/64"]), ratio_to: "cacheline"}
    elif .benchmark == "throughput" and .notify != null then . + {ratio: (.p50 / $floor["memcpy/\(.size)"]), ratio_to: "memcpy"}
    elif .benchmark == "crosscheck" then . + {ratio: (.p50 / $plain["\(.transport)/\(.size)"]), ratio_to: "latency"}
    else . end)
| .results |= map(
    if .benchmark == "latency" and .p50 < 1650 then . + {batch: 5}
    elif .benchmark == "wakeup" then . + {cpu_ns_per_msg_b: .cpu_ns_per_msg, cpu_ns_per_msg_a: 3000}
    else . end)
