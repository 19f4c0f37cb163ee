-- One benchmark scenario for wrk, chosen by the SCENARIO environment variable.
-- Requests vary (ids, ages, fragments) so no single row or plan stays hot by accident.

local token = os.getenv("TOKEN")
local scenario = os.getenv("SCENARIO")
local actors = tonumber(os.getenv("ACTORS"))
local roles = tonumber(os.getenv("ROLES"))
local middle_page = tonumber(os.getenv("MIDDLE_PAGE") or "1")
local fragments = {"oka", "mar", "chen", "ana", "sato", "lim", "eva", "reyes", "sin", "ito"}
local threads_total = tonumber(os.getenv("THREADS") or "1")
local all_submissions = {}
for id in string.gmatch(os.getenv("SUBMISSIONS") or "", "%d+") do
  all_submissions[#all_submissions + 1] = id
end

-- Each wrk thread runs its own Lua state: without its own seed every thread (and the
-- warm-up run) would send the very same sequence of ids, in step with the others.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

-- The move scenario: this thread's share of the released submissions, each sent to
-- shortlisted, then back to released, in turn. A submission comes round again only
-- after the whole share, long after its last move was answered, so every move is
-- allowed (a 409 would count as an error). bench.py releases them all before each run.
-- wrk calls request() once on its first thread before the run, to check the script,
-- and never sends that request: that call gets a harmless GET, so no move is lost.
local moving, next_move, turn, checked = {}, {}, 0, true

function init(args)
  math.randomseed(os.time() * 100 + thread_number)
  checked = thread_number ~= 1
  for i = thread_number, #all_submissions, threads_total do
    moving[#moving + 1] = all_submissions[i]
    next_move[all_submissions[i]] = "shortlisted"
  end
end

local function get(path)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

-- wrk.format does not merge wrk.headers into headers passed to it, so each request
-- carries its own.
local function send_json(method, path, body, extra_headers)
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  for name, value in pairs(extra_headers or {}) do headers[name] = value end
  return wrk.format(method, path, headers, body)
end

local builders = {
  ceiling = function() return get("/_bench/ceiling") end,
  get_actor = function() return get("/actors/" .. math.random(1, actors)) end,
  list_actors_filtered = function()
    return get("/actors?gender=female&min_age=25&max_age=40&page=" .. middle_page)
  end,
  search_actors = function()
    return get("/actors?search_term=" .. fragments[math.random(1, #fragments)])
  end,
  open_roles_by_age = function()
    return get("/roles?open=true&age=" .. math.random(18, 70))
  end,
  role_candidates = function()
    return get("/roles/" .. math.random(1, roles) .. "/candidates")
  end,
  actor_matching_roles = function()
    return get("/actors/" .. math.random(1, actors) .. "/matching-roles")
  end,
  create_actor = function()
    local body = string.format(
      '{"name": "Bench Actor %d", "age": %d, "gender": "female", "location": "Lisbon"}',
      math.random(1, 1000000), math.random(18, 80))
    return send_json("POST", "/actors", body)
  end,
  cast_actor = function()
    -- Most roles are cast already: replacing an actor without If-Match is refused (409)
    -- by design, so this director says "recast whoever holds it" with If-Match: *.
    local body = string.format('{"actor_id": %d}', math.random(1, actors))
    return send_json("PATCH", "/roles/" .. math.random(1, roles), body, {["If-Match"] = "*"})
  end,
  role_submissions = function()
    return get("/roles/" .. math.random(1, roles) .. "/submissions")
  end,
  move_submission = function()
    if not checked then
      checked = true
      return get("/health")
    end
    turn = turn % #moving + 1
    local id = moving[turn]
    local to = next_move[id]
    next_move[id] = to == "shortlisted" and "released" or "shortlisted"
    return send_json("POST", "/submissions/" .. id .. "/transitions", '{"to": "' .. to .. '"}')
  end,
}

request = builders[scenario]

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "socket_errors": %d, "http_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
