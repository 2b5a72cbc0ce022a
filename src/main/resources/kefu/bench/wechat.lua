-- wrk script for kefu's wechat-bench: WeChat text messages to /wechat, signed in plaintext mode.
-- WeChat signs the query (token, timestamp, nonce), not the body, so the signed queries are made beforehand
-- by wechat-bench and each request takes the next; the body gets a fresh MsgId and the next message text.
-- Arguments (after --): queries file, contents file, requests/s to keep to (0: as fast as answers come).

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } kefu_timespec;
int clock_gettime(int clock, kefu_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("kefu_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local queries, contents = {}, {}
local interval_ms = 0
local next_due = nil
local n = 0
local threads = 0

-- thread_number is set in each thread's own state by setup, so MsgIds differ between threads.
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do queries[#queries + 1] = line end
  for line in io.lines(args[2]) do contents[#contents + 1] = line end
  local rate = tonumber(args[3])
  interval_ms = rate > 0 and 1000 / rate or 0
end

-- Open loop: every request has its slot on a fixed schedule, whichever connection is free takes the next one,
-- so a slow answer does not slow the schedule (only the connections, of which there are plenty).
function delay()
  if interval_ms == 0 then return 0 end
  local now = now_ms()
  next_due = (next_due or now) + interval_ms
  return math.max(0, math.floor(next_due - now))
end

function request()
  n = n + 1
  local openid = "o-bench-" .. (n % 1000)
  local body = "<xml><ToUserName><![CDATA[gh_kefusimulator]]></ToUserName><FromUserName><![CDATA[" .. openid
    .. "]]></FromUserName><CreateTime>" .. os.time() .. "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
    .. contents[(n % #contents) + 1] .. "]]></Content><MsgId>" .. string.format("%d%d%09d", thread_number, os.time(), n)
    .. "</MsgId></xml>"
  return wrk.format("POST", "/wechat?" .. queries[(n % #queries) + 1], { ["Content-Type"] = "text/xml" }, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + summary.errors.status
  io.write(string.format("RESULT requests=%d duration_us=%d errors=%d p50_us=%d p99_us=%d\n", summary.requests,
    summary.duration, errors, latency:percentile(50), latency:percentile(99)))
end
