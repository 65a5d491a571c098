-- xmpp-chatkit: Prosody 0.12 configuration for tests and the demo.
--
-- Loopback only, non-standard ports, all state in a throw-away data directory.
-- Started by scripts/prosody.mjs as `prosody --config <this file> -F` with:
--   CK_DATA_DIR    data directory (required; a fresh temp dir per server)
--   CK_HTTP_PORT   HTTP port: WebSocket /xmpp-websocket, file share, /ck-testkit
--   CK_C2S_PORT    client-to-server TCP port (plain XMPP, no TLS)
--   CK_TESTKIT=1   load mod_ck_testkit (test/demo-only seeding API; never in production)
--   CK_PLUGIN_DIR  directory holding mod_ck_testkit.lua (defaults to this file's folder)
--   CK_SIGNATURE_SECRET  secret shared with the app server for signed group actions
--                  (mod_ck_signature); a fixed test secret when unset
-- Prosody 0.12 exposes environment variables to this file as ENV_<NAME> globals.
--
-- NEVER use this file for a real deployment: it allows plaintext passwords,
-- open registration and an unauthenticated seeding API (loopback only).

local data_dir = ENV_CK_DATA_DIR;
if not data_dir or data_dir == "" then
	error("CK_DATA_DIR is not set: start Prosody through scripts/prosody.mjs", 0);
end
local http_port = tonumber(ENV_CK_HTTP_PORT or "5380");
local c2s_port = tonumber(ENV_CK_C2S_PORT or "5322");
local testkit = ENV_CK_TESTKIT == "1";

-- Folder of this file, for plugin_paths (the chunk name is "@<path of this file>").
local this_dir = ENV_CK_PLUGIN_DIR;
if not this_dir or this_dir == "" then
	this_dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or ".";
end

run_as_root = true;
daemonize = false;
pidfile = data_dir .. "/prosody.pid";
data_path = data_dir;
plugin_paths = { this_dir };
-- No TLS here; point the certificate indexer at an existing folder to keep it quiet.
certificates = data_dir;

admins = {};

-- Warnings and errors only, to a file in the data dir; the console stays quiet.
log = {
	warn = data_dir .. "/prosody.log";
};

-- Network: loopback only, nothing on the standard ports, no TLS anywhere.
interfaces = { "127.0.0.1" };
local_interfaces = { "127.0.0.1" };
c2s_interfaces = { "127.0.0.1" };
http_interfaces = { "127.0.0.1" };
https_interfaces = { "127.0.0.1" };
c2s_ports = { c2s_port };
c2s_direct_tls_ports = {};
http_ports = { http_port };
https_ports = {};
s2s_ports = {};
component_ports = {};
http_default_host = "localhost";
http_external_url = "http://127.0.0.1:" .. http_port .. "/";
-- Do not set http_cors_override: websocket and http_file_share already send CORS
-- headers for any origin, and an override breaks the upload PUT preflight.

c2s_require_encryption = false;
s2s_require_encryption = false;
allow_unencrypted_plain_auth = true;
consider_websocket_secure = true;
consider_bosh_secure = true;

authentication = "internal_hashed";

-- Everything persists in data_dir, so a restart keeps accounts, rosters and archives.
storage = "internal";
storage_archive_item_limit = 1000000;

-- Message archive (XEP-0313): archive everything for everyone, keep it for good.
default_archive_policy = true;
archive_expires_after = "never";
muc_log_expires_after = "never";
max_archive_query_results = 250;

-- Stream management (XEP-0198): keep hibernating sessions for a while so that
-- resumption after a dropped socket works; a killed server cannot resume.
smacks_hibernation_time = 300;

-- In-band registration (XEP-0077) is fine here: loopback only, throw-away data.
-- (mod_register_limits never throttles 127.0.0.1, its default allowlist.)
allow_registration = true;

modules_enabled = {
	"roster";
	"saslauth";
	"disco";
	"ping";
	"websocket";
	"smacks";
	"mam";
	"offline";
	"carbons";
	"pep";
	"vcard4";
	"vcard_legacy";
	"blocklist";
	"lastactivity"; -- XEP-0012: when an offline contact was last online
	"bookmarks";
	"private";
	"register";
	"time";
	"version";
	"http";
};

modules_disabled = {
	"s2s";
	"tls";
};

VirtualHost "localhost" {
	modules_enabled = testkit and { "ck_testkit" } or {};
}

-- Group chats: mod_ck_signature refuses room creation, member additions and removals
-- without a valid signature from the app server (HMAC-SHA256 with this shared secret).
-- The default is a fixed, public test secret: a real deployment sets its own.
Component "conference.localhost" "muc" {
	modules_enabled = { "muc_mam"; "ck_signature" };
	ck_signature_secret = ENV_CK_SIGNATURE_SECRET or "xmpp-chatkit-test-secret";
	muc_log_by_default = true;
	muc_log_all_rooms = false;
	max_history_messages = 50;
}

Component "upload.localhost" "http_file_share" {
	http_host = "localhost";
	http_external_url = "http://127.0.0.1:" .. http_port .. "/";
	http_file_share_size_limit = 10 * 1024 * 1024;
}
