-- wrk script: cycles through bench/search-queries.txt (keyword, county, department), asking
-- GET /api/v1/postings?q=...&county=...&department=...&limit=20 for each in turn.
local queries = {}
for line in io.lines("bench/search-queries.txt") do
  local q, county, department = line:match("^(%S+)\t(%S+)\t(%S+)$")
  if q then
    queries[#queries + 1] = "/api/v1/postings?q=" .. q .. "&county=" .. county .. "&department=" .. department .. "&limit=20"
  end
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i])
end
