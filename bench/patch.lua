-- bench/patch.lua: single-article PATCH requests, a random article each.
--
--   wrk -s bench/patch.lua URL -- TOKEN MAX_ID [DELAY_MS]
--
-- Each request is `PATCH /v1/articles/{random id in 1..MAX_ID}` with a JSON
-- Merge Patch of the summary, `If-Match: *` (a benchmark overwrites whatever
-- is there; editors send the ETag they read) and the API key. DELAY_MS, when
-- given, paces each connection (wrk's delay()): a fixed write rate.

local here = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
dofile(here .. "report.lua")

local token, max_id, pause
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_id", counter)
end

function init(args)
   token = args[1]
   max_id = tonumber(args[2])
   pause = tonumber(args[3] or "0")
   math.randomseed(os.time() + (thread_id or 0) * 7919)
end

local n = 0
function request()
   n = n + 1
   local id = math.random(1, max_id)
   local body = string.format('{"summary": "Benchmark edit %d of thread %d."}', n, thread_id or 0)
   return wrk.format("PATCH", "/v1/articles/" .. id, {
      ["Authorization"] = "Bearer " .. token,
      ["If-Match"] = "*",
      ["Content-Type"] = "application/merge-patch+json",
   }, body)
end

function delay()
   return pause
end
