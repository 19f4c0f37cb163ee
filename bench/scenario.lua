-- One benchmark scenario for wrk, chosen by the SCENARIO environment variable.
-- Requests vary (ids, ages, fragments) so no single row or plan stays hot by accident.

local token = os.getenv("TOKEN")
local scenario = os.getenv("SCENARIO")
local actors = tonumber(os.getenv("ACTORS"))
local roles = tonumber(os.getenv("ROLES"))
local middle_page = tonumber(os.getenv("MIDDLE_PAGE") or "1")
local fragments = {"oka", "mar", "chen", "ana", "sato", "lim", "eva", "reyes", "sin", "ito"}

local function get(path)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

-- wrk.format does not merge wrk.headers into headers passed to it, so each request
-- carries its own.
local function send_json(method, path, body)
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
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
    local body = string.format('{"actor_id": %d}', math.random(1, actors))
    return send_json("PATCH", "/roles/" .. math.random(1, roles), body)
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
