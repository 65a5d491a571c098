-- mod_ck_testkit: test/demo-only seeding API for xmpp-chatkit (Prosody 0.12).
--
-- Loaded on VirtualHost "localhost" only when CK_TESTKIT=1 (see prosody.cfg.lua).
-- Serves JSON over the server's plain HTTP port, path prefix /ck-testkit:
--
--   GET  /ck-testkit/             -> {"ok":true,"host":"localhost"}
--   POST /ck-testkit/users        {"users":[{"username":"alice","password":"alice-pass"}]}
--                                 -> {"ok":true,"created":["alice"],"updated":[]}
--        Creates accounts (an existing account gets the new password).
--   POST /ck-testkit/friends      {"pairs":[["alice","bob"]],
--                                  "names":{"alice":"Alice Liddell","bob":"Bob Builder"},
--                                  "group":"Friends"}
--                                 -> {"ok":true,"pairs":1}
--        Writes mutual subscription="both" roster items on both sides (the item for bob in
--        alice's roster is named names.bob, and the reverse), pushes them to online
--        sessions and exchanges the current presence of online resources.
--   POST /ck-testkit/archive      {"owner":"bob","peer":"alice","count":10000} -> {"ok":true,"count":10000}
--        Appends messages to a user's archive (see seed_archive below).
--
-- Requests are refused (403) unless the TCP peer is 127.0.0.1 / ::1. CORS: any origin
-- (mod_http answers the OPTIONS preflight; POST with Content-Type: application/json).
-- NEVER load this module on a real server.

local json = require "util.json";
local array = require "util.array"; -- encodes as a JSON array even when empty
local nodeprep = require "util.encodings".stringprep.nodeprep;
local st = require "util.stanza";
local usermanager = require "core.usermanager";
local rostermanager = require "core.rostermanager";

local host = module.host;

local LOOPBACK = { ["127.0.0.1"] = true; ["::1"] = true; ["::ffff:127.0.0.1"] = true };

local function reply(event, status, data)
	local response = event.response;
	response.status_code = status;
	response.headers.content_type = "application/json";
	response.headers.cache_control = "no-store";
	response.headers.access_control_allow_origin = "*";
	return json.encode(data);
end

local function fail(event, status, message)
	return reply(event, status, { ok = false; error = message });
end

-- Wraps a handler: loopback check, JSON body parsing, error to JSON.
local function api(handler)
	return function (event)
		local request = event.request;
		-- The TCP peer, not request.ip: mod_http rewrites that from X-Forwarded-For.
		local peer = request.conn and request.conn:ip() or request.ip;
		if not LOOPBACK[peer] then
			module:log("warn", "Refused /ck-testkit request from %s", tostring(peer));
			return fail(event, 403, "ck-testkit answers loopback requests only");
		end
		local body;
		if request.method == "POST" then
			local text = request.body;
			if type(text) ~= "string" or text == "" then
				return fail(event, 400, "expected a JSON body");
			end
			local ok, parsed = pcall(json.decode, text);
			if not ok or type(parsed) ~= "table" then
				return fail(event, 400, "invalid JSON body");
			end
			body = parsed;
		end
		local ok, status, data = pcall(handler, body, event);
		if not ok then
			module:log("error", "ck-testkit handler error: %s", tostring(status));
			return fail(event, 500, tostring(status));
		end
		return reply(event, status, data);
	end
end

local function prep_username(name)
	if type(name) ~= "string" then return nil; end
	return nodeprep(name);
end

---------------------------------------------------------------------------------------------
-- POST /users

local function create_users(body)
	if type(body.users) ~= "table" then
		return 400, { ok = false; error = "expected {\"users\":[{\"username\":..,\"password\":..}]}" };
	end
	local created, updated = array(), array();
	for i, user in ipairs(body.users) do
		local username = type(user) == "table" and prep_username(user.username);
		local password = type(user) == "table" and user.password;
		if not username or username == "" or type(password) ~= "string" or password == "" then
			return 400, { ok = false; error = ("users[%d]: invalid username or password"):format(i - 1) };
		end
		if usermanager.user_exists(username, host) then
			local ok, err = usermanager.set_password(username, password, host, nil);
			if not ok then
				return 500, { ok = false; error = ("set_password(%s): %s"):format(username, tostring(err)) };
			end
			updated[#updated + 1] = username;
		else
			local ok, err = usermanager.create_user(username, password, host);
			if not ok then
				return 500, { ok = false; error = ("create_user(%s): %s"):format(username, tostring(err)) };
			end
			created[#created + 1] = username;
		end
	end
	return 200, { ok = true; created = created; updated = updated };
end

---------------------------------------------------------------------------------------------
-- POST /friends

-- Sends the current presence of every available resource of `from_user` to `to_user`
-- (both local and, now, mutually subscribed), as a presence probe answer would.
local function share_presence(from_user, to_user)
	local from_bare = from_user .. "@" .. host;
	local user_session = prosody.bare_sessions[from_bare];
	if not user_session then return; end
	for _, session in pairs(user_session.sessions) do
		if session.presence then
			local pres = st.clone(session.presence);
			pres.attr.from = session.full_jid;
			pres.attr.to = to_user .. "@" .. host;
			module:send(pres);
		end
	end
end

-- Makes `contact` a subscription="both" item of `username`'s roster.
local function add_both(username, contact, name, group)
	local roster, err = rostermanager.load_roster(username, host);
	if not roster then
		return nil, ("load_roster(%s): %s"):format(username, tostring(err));
	end
	local contact_jid = contact .. "@" .. host;
	local old = roster[contact_jid];
	local groups = {};
	if old and old.groups then
		for g in pairs(old.groups) do groups[g] = true; end
	end
	if type(group) == "string" and group ~= "" then groups[group] = true; end
	roster[contact_jid] = {
		subscription = "both";
		name = type(name) == "string" and name or (old and old.name) or nil;
		groups = groups;
	};
	local ok, save_err = rostermanager.save_roster(username, host, roster, contact_jid);
	if not ok then
		roster[contact_jid] = old;
		return nil, ("save_roster(%s): %s"):format(username, tostring(save_err));
	end
	rostermanager.roster_push(username, host, contact_jid);
	return true;
end

local function make_friends(body)
	if type(body.pairs) ~= "table" then
		return 400, { ok = false; error = "expected {\"pairs\":[[\"alice\",\"bob\"]], \"names\"?:{}, \"group\"?:\"..\"}" };
	end
	local names = type(body.names) == "table" and body.names or {};
	local group = body.group;
	local count = 0;
	for i, pair in ipairs(body.pairs) do
		local a = type(pair) == "table" and prep_username(pair[1]);
		local b = type(pair) == "table" and prep_username(pair[2]);
		if not a or not b or a == "" or b == "" or a == b then
			return 400, { ok = false; error = ("pairs[%d]: expected two different usernames"):format(i - 1) };
		end
		for _, u in ipairs({ a, b }) do
			if not usermanager.user_exists(u, host) then
				return 404, { ok = false; error = ("pairs[%d]: no such user %q"):format(i - 1, u) };
			end
		end
		local ok, err = add_both(a, b, names[b], group);
		if ok then ok, err = add_both(b, a, names[a], group); end
		if not ok then
			return 500, { ok = false; error = err };
		end
		share_presence(a, b);
		share_presence(b, a);
		count = count + 1;
	end
	return 200, { ok = true; pairs = count };
end

---------------------------------------------------------------------------------------------
-- POST /archive  {"owner":"bob","peer":"alice","count":10000,"start":1767225600,
--                 "direction":"in"|"out"|"both","prefix":"msg"}
--   -> {"ok":true,"count":10000}
-- Appends `count` chat messages between owner and peer to the OWNER's archive (the store
-- mod_mam reads), one second apart from `start` (unix seconds), bodies "<prefix> <i>".
-- "in": peer -> owner; "out": owner -> peer; "both": alternating. Seeds large histories
-- for benchmarks without sending live traffic. Archive order is append order.

local archive_store = module:open_store("archive", "archive");
local MAX_SEED = 200000;

local function seed_archive(body)
	local owner = prep_username(body.owner);
	local peer = body.peer and (body.peer:find("@", 1, true) and body.peer or (prep_username(body.peer) or "") .. "@" .. host);
	local count = tonumber(body.count) or 0;
	if not owner or not peer or count < 1 or count > MAX_SEED then
		return 400, { ok = false; error = "need owner, peer and 1 <= count <= " .. MAX_SEED };
	end
	local me = owner .. "@" .. host;
	local start = tonumber(body.start) or (os.time() - count);
	local prefix = type(body.prefix) == "string" and body.prefix or "msg";
	local direction = body.direction or "in";
	for i = 0, count - 1 do
		local incoming = direction == "in" or (direction == "both" and i % 2 == 0);
		local from, to = incoming and peer or me, incoming and me or peer;
		local msg = st.message({ from = from .. "/seed"; to = to; type = "chat"; id = "seed-" .. i })
			:tag("body"):text(prefix .. " " .. i):up();
		local ok, err = archive_store:append(owner, nil, msg, start + i, peer);
		if not ok then
			return 500, { ok = false; error = "archive append failed: " .. tostring(err); count = i };
		end
	end
	return 200, { ok = true; count = count };
end

---------------------------------------------------------------------------------------------

module:provides("http", {
	name = "ck-testkit";
	default_path = "/ck-testkit";
	route = {
		["GET /"] = api(function () return 200, { ok = true; host = host }; end);
		["POST /users"] = api(create_users);
		["POST /friends"] = api(make_friends);
		["POST /archive"] = api(seed_archive);
	};
});

module:log("info", "ck-testkit seeding API enabled on %s (test use only)", host);
