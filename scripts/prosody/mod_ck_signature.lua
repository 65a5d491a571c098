-- mod_ck_signature: the server half of xmpp-chatkit's signed group actions (Prosody 0.12).
--
-- Load it on a MUC component (see prosody.cfg.lua). The app's own server signs what a
-- user may do (kit option `generateSignature`); this module refuses the MUC actions that
-- come without a valid, fresh, unused signature:
--
--   * creating a room              (action "start"; the join presence that creates it)
--   * adding members               (action "invite", or the "start" that created the room):
--       muc#admin affiliation changes that give an unaffiliated or banned JID an
--       affiliation, and mediated invites into members-only rooms (which grant membership)
--   * removing members             (action "kick"): muc#admin changes to "none" or "outcast"
--
-- The signature travels inside the stanza that does the action (for a muc#admin set, inside
-- <query/> after the <item/>):
--
--   <signature xmlns="urn:xmpp-chatkit:signature:0" action="kick" timestamp="1732500000000"
--              nonce="4f9c..." members="bob@example.com carol@example.com">hex</signature>
--
-- hex = lower-case HMAC-SHA256(secret, action .. "\n" .. actor .. "\n" .. room .. "\n" ..
--        sorted members joined by " " .. "\n" .. timestamp .. "\n" .. nonce)
-- where actor is the sender's bare JID, room the room's bare JID, members bare JIDs (the
-- members the action adds or removes, not the actor), timestamp milliseconds since the epoch.
-- Actor and room come from the stanza's addresses, so a signature cannot be moved to
-- another user or room. One signature covers every member it names, each once (clients send
-- one muc#admin item per IQ); a nonce is never accepted for a different statement, and a
-- statement is accepted only within `ck_signature_window` seconds of its timestamp.
--
-- Refusals are <not-authorized/> errors with a text starting "ck-signature:".
--
-- Also: a member may remove themselves from the member list (leaving a group), which stock
-- Prosody allows only to admins and owners; the broadcast presence then names them as actor
-- so other clients can tell a leave from a kick.
--
-- Options (on the component):
--   ck_signature_secret    shared secret (required; the test config reads ENV_CK_SIGNATURE_SECRET)
--   ck_signature_window    seconds a signature stays valid either side of now (default 300)
--   ck_signature_require_start  refuse unsigned room creation (default true)
--
-- Nonces are remembered in memory for twice the window: a restart forgets them, and a
-- statement captured less than `window` seconds before a restart could be replayed once.

local st = require "util.stanza";
local jid_bare = require "util.jid".bare;
local jid_prep = require "util.jid".prep;
local hashes = require "util.hashes";
local time_now = require "util.time".now;

local xmlns_sig = "urn:xmpp-chatkit:signature:0";
local xmlns_muc_admin = "http://jabber.org/protocol/muc#admin";
local xmlns_muc_user = "http://jabber.org/protocol/muc#user";

local secret = module:get_option_string("ck_signature_secret");
local window = module:get_option_number("ck_signature_window", 300);
local require_start = module:get_option_boolean("ck_signature_require_start", true);

if not secret or secret == "" then
	module:log("error", "ck_signature_secret is not set: every signed action will be refused");
end

local rank = { outcast = -1, none = 0, member = 1, admin = 2, owner = 3 };

-- nonce -> { digest = hex, expires = seconds, used = { [op] = true } }
local nonces = {};
local nonce_count = 0;

local function sweep(now)
	for nonce, entry in pairs(nonces) do
		if entry.expires < now then
			nonces[nonce] = nil;
			nonce_count = nonce_count - 1;
		end
	end
end

module:add_timer(60, function ()
	sweep(time_now());
	return 60;
end);

local function payload(action, actor, room, members, timestamp, nonce)
	local sorted = {};
	for i, m in ipairs(members) do sorted[i] = m; end
	table.sort(sorted);
	return table.concat({ action, actor, room, table.concat(sorted, " "), timestamp, nonce }, "\n");
end

-- Reads and checks a <signature/> for `action` by `actor` in `room` covering `target`
-- (a bare JID) or, with target == nil, the room creation. Returns the parsed statement
-- or nil and the reason. Does not consume anything.
local function check(sig, actions, actor, room, target)
	if not sig then return nil, "missing signature"; end
	if not secret or secret == "" then return nil, "the server has no signature secret"; end
	local action = sig.attr.action;
	if not action or not actions[action] then
		return nil, ("signature is for %q, not for this action"):format(tostring(action));
	end
	local timestamp, nonce = sig.attr.timestamp, sig.attr.nonce;
	if type(timestamp) ~= "string" or not timestamp:match("^%d+$") or #timestamp > 16 then
		return nil, "malformed timestamp";
	end
	if type(nonce) ~= "string" or not nonce:match("^[%w%-_%.:]+$") or #nonce < 8 or #nonce > 128 then
		return nil, "malformed nonce";
	end
	local members, listed = {}, {};
	for m in (sig.attr.members or ""):gmatch("%S+") do
		local bare = jid_prep(m);
		if not bare or bare ~= jid_bare(bare) then return nil, "malformed member list"; end
		if not listed[bare] then
			listed[bare] = true;
			members[#members + 1] = bare;
		end
		if #members > 1000 then return nil, "too many members"; end
	end
	if target and not listed[target] then
		return nil, ("signature does not cover %s"):format(target);
	end
	local now = time_now();
	local age = now - tonumber(timestamp) / 1000;
	if age > window then return nil, "signature expired"; end
	if age < -window then return nil, "signature timestamp is in the future"; end
	local expected = hashes.hmac_sha256(secret, payload(action, actor, room, members, timestamp, nonce), true);
	local given = (sig:get_text() or ""):lower():gsub("%s", "");
	if #given ~= #expected or not hashes.equals(given, expected) then
		return nil, "invalid signature";
	end
	local seen = nonces[nonce];
	local op = target or "@create";
	if seen and (seen.digest ~= expected or seen.used[op]) then
		return nil, "nonce already used";
	end
	return { nonce = nonce, digest = expected, op = op, action = action, members = listed, now = now };
end

local function consume(statement)
	local entry = nonces[statement.nonce];
	if not entry then
		entry = { digest = statement.digest, expires = statement.now + 2 * window, used = {} };
		nonces[statement.nonce] = entry;
		nonce_count = nonce_count + 1;
		if nonce_count > 100000 then sweep(statement.now); end
	end
	entry.used[statement.op] = true;
end

local function refuse(origin, stanza, reason, by)
	module:log("info", "Refused %s from %s: %s", stanza.name, tostring(stanza.attr.from), reason);
	origin.send(st.error_reply(stanza, "auth", "not-authorized", "ck-signature: " .. reason, by));
	return true;
end

local function find_signature(stanza, query)
	return (query and query:get_child("signature", xmlns_sig)) or stanza:get_child("signature", xmlns_sig);
end

-- Room creation: the creating presence must carry a "start" signature for this room.
module:hook("muc-room-pre-create", function (event)
	if not require_start then return; end
	local origin, stanza, room = event.origin, event.stanza, event.room;
	local statement, why = check(find_signature(stanza), { start = true }, jid_bare(stanza.attr.from), room.jid, nil);
	if not statement then return refuse(origin, stanza, why, room.jid); end
	consume(statement);
end, 100);

-- The room keeps and rebroadcasts an occupant's presence: the signature stays out of it.
local function strip_signature(event)
	event.stanza:remove_children("signature", xmlns_sig);
end
module:hook("muc-occupant-pre-join", strip_signature, 100);
module:hook("muc-occupant-pre-change", strip_signature, 100);

-- The room archive tells clients who wrote a message with an <x><item jid/></x> it adds;
-- one written by the sender must not be there to be mistaken for it.
module:hook("muc-occupant-groupchat", function (event)
	event.stanza:remove_children("x", xmlns_muc_user);
end, 100);

-- The member who leaves is named as actor of their own removal.
local leaving;
module:hook("muc-broadcast-presence", function (event)
	if leaving and event.occupant and event.occupant.bare_jid == leaving.jid then
		event.actor = leaving.actor;
	end
end);

local mod_muc = module:depends "muc";
local get_room_from_jid = mod_muc.get_room_from_jid;

-- muc#admin affiliation changes: additions need "invite" (or the room's "start"),
-- removals need "kick"; a member removing themselves needs nothing.
module:hook("iq-set/bare/" .. xmlns_muc_admin .. ":query", function (event)
	local origin, stanza = event.origin, event.stanza;
	local room = get_room_from_jid(jid_bare(stanza.attr.to));
	local query = stanza.tags[1];
	local item = room and query and query:get_child("item");
	if not item or not item.attr.affiliation or not item.attr.jid or item.attr.role then
		return; -- role changes, malformed requests: Prosody's own handler answers
	end
	local target = jid_prep(item.attr.jid);
	if not target or target ~= jid_bare(target) then return; end
	local actor = jid_bare(stanza.attr.from);
	local new = item.attr.affiliation;
	if rank[new] == nil then return; end
	local current = room:get_affiliation(target) or "none";
	if current == new then return; end -- no change: nothing to authorise

	if target == actor and new == "none" and (current == "member" or current == "admin") then
		leaving = { jid = target, actor = stanza.attr.from };
		local ok, errtype, err = room:set_affiliation(true, target, "none", item:get_child_text("reason"));
		leaving = nil;
		room:save(true);
		if ok then
			origin.send(st.reply(stanza));
		else
			origin.send(st.error_reply(stanza, errtype, err));
		end
		return true;
	end

	local actions;
	if new == "none" or new == "outcast" then
		actions = { kick = true };
	elseif rank[current] <= rank.none then
		actions = { invite = true, start = true };
	else
		return; -- promotions and demotions among members are Prosody's business
	end
	local statement, why = check(find_signature(stanza, query), actions, actor, room.jid, target);
	if not statement then return refuse(origin, stanza, why); end
	if statement.action == "start" and not (nonces[statement.nonce] and nonces[statement.nonce].used["@create"]) then
		-- A "start" signature adds members only to the room it created.
		return refuse(origin, stanza, "signature is for creating a room");
	end
	consume(statement);
end, 100);

-- Mediated invites into members-only rooms grant membership: they need "invite" too.
module:hook("muc-pre-invite", function (event)
	local room, origin, stanza = event.room, event.origin, event.stanza;
	if not room:get_members_only() then return; end
	local invite = stanza:get_child("x", xmlns_muc_user):get_child("invite");
	local invitee = invite and jid_prep(invite.attr.to);
	if not invitee then return; end
	invitee = jid_bare(invitee);
	if rank[room:get_affiliation(invitee) or "none"] > rank.none then return; end
	local statement, why = check(find_signature(stanza), { invite = true }, jid_bare(stanza.attr.from), room.jid, invitee);
	if not statement then return refuse(origin, stanza, why); end
	consume(statement);
end, 100);

module:log("info", "ck-signature enforcing signed group actions on %s", module.host);
