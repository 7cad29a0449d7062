-- wrk script of `make load` (bench/load.py): GET requests rotating over (path, cookie) pairs.
--
-- Usage: wrk ... -s bench/load.lua http://127.0.0.1:PORT -- MIX_FILE
-- MIX_FILE has one request a line: the path, a tab, the Cookie header (the session of its user).
-- Any status other than 200 counts as an error (wrk itself only counts statuses above 399).
-- At the end, one line "LOAD_RESULT {json}" gives the counts and the latency percentiles (µs).

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  mix = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    if path then
      table.insert(mix, wrk.format("GET", path, { ["Cookie"] = cookie }))
    end
  end
  if #mix == 0 then
    error("no request in " .. tostring(args[1]))
  end
  -- Threads start at different places of the rotation, so that the mix holds at any moment.
  position = thread_id % #mix
  non200 = 0
  statuses = {}
end

function request()
  position = position % #mix + 1
  return mix[position]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non200_total = 0
  local merged = {}
  for _, thread in ipairs(threads) do
    non200_total = non200_total + (thread:get("non200") or 0)
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"duration_us": %d, "requests": %d, "bytes": %d, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"non200": %d, "statuses": {%s}, '
      .. '"latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "max": %d, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.duration, summary.requests, summary.bytes,
    errors.connect, errors.read, errors.write, errors.timeout,
    non200_total, table.concat(parts, ", "),
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)
  ))
end
