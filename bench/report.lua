-- bench/report.lua: wrk's done() hook, shared by every scenario.
--
-- Used on its own (`wrk -s bench/report.lua URL`) for scenarios that send the
-- same request every time: no request()/response() is defined, so wrk keeps
-- its pre-built static request and pays no per-request Lua cost.
--
-- At the end it prints one line
--   BENCH_RESULT {"requests":...,"duration_us":...,"bytes":...,
--                 "p50_us":...,"p99_us":...,"mean_us":...,"max_us":...,
--                 "non2xx":...,"connect":...,"read":...,"write":...,"timeout":...}
-- which bench/run.sh parses. `non2xx` is wrk's errors.status: responses with a
-- status >= 400 (wrk's "Non-2xx or 3xx responses" line). No response() hook is
-- needed for it, which keeps wrk fast.

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d,' ..
      '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.mean, latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
