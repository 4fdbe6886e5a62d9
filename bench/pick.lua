-- bench/pick.lua: a request whose path varies, picked at random per request.
--
--   wrk -s bench/pick.lua URL -- TEMPLATE
--
-- TEMPLATE is a path with one or more `{name}` placeholders, e.g.
--   '/v1/articles?topic={topic}'
--   '/v1/articles?published_after={year}-01-01&published_before={year}-12-31'
-- Each `name` is a table defined in the targets file that bench/run.sh
-- generates (path in $BENCH_TARGETS, default bench/cache/targets.lua), e.g.
--   topic = { "the-korean-peninsula", "japan-russia-relations", ... }
-- or a number N, meaning any integer 1..N (page numbers).
-- All placeholders of one request take values from the same random index, so
-- `{year}` twice gives the same year.
--
-- Every request is built once in init(); request() only picks one of them,
-- keeping per-request Lua cost to one math.random and one table read.

local here = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
dofile(here .. "report.lua")

local reqs, n = {}, 0
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_id", counter)
end

function init(args)
   local template = args[1]
   if not template then
      error("pick.lua: usage: wrk -s pick.lua URL -- TEMPLATE")
   end
   local targets = os.getenv("BENCH_TARGETS") or (here .. "cache/targets.lua")
   local t = dofile(targets)

   -- How many values do the tables the template uses offer (the fewest)?
   local count
   for name in template:gmatch("{([%w_]+)}") do
      local v = t[name]
      if v == nil then error("pick.lua: no table `" .. name .. "` in " .. targets) end
      local len = type(v) == "number" and v or #v
      if len < 1 then error("pick.lua: table `" .. name .. "` is empty") end
      count = count and math.min(count, len) or len
   end
   if not count then error("pick.lua: template has no {placeholder}: " .. template) end

   -- Cap the number of pre-built requests (memory); the cap is far above the
   -- sizes the targets file holds, except for page numbers.
   local limit = 20000
   local stride = count > limit and count / limit or 1
   local i = 1
   while i <= count do
      local k = math.floor(i)
      local path = template:gsub("{([%w_]+)}", function(name)
         local v = t[name]
         if type(v) == "number" then return tostring(k) end
         return tostring(v[k])
      end)
      n = n + 1
      reqs[n] = wrk.format(nil, path)
      i = i + stride
   end

   math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
end

function request()
   return reqs[math.random(n)]
end
