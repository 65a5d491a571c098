// Types for scripts/prosody.mjs (so TypeScript code such as the demo dev server can import it).

export interface UserSpec {
  username: string;
  password: string;
}

export interface DemoUser extends UserSpec {
  /** Display name (roster name the other demo users see). */
  name: string;
}

export interface FriendOptions {
  /** username -> roster name the other side sees */
  names?: Record<string, string>;
  /** roster group for the items */
  group?: string;
}

export interface StartOptions {
  /** HTTP port (WebSocket, uploads, /ck-testkit). Default: a free loopback port. */
  httpPort?: number;
  /** Client-to-server TCP port. Default: a free loopback port. */
  c2sPort?: number;
  /** Load mod_ck_testkit (createUsers/befriend). Default true. */
  testkit?: boolean;
  /** Use this data dir instead of a fresh temp dir (kept on stop()). */
  dataDir?: string;
  /** Keep the temp data dir on stop(). */
  keepDataDir?: boolean;
}

export interface ServerInfo {
  id: string;
  domain: string;
  mucDomain: string;
  uploadDomain: string;
  /** ws://127.0.0.1:PORT/xmpp-websocket */
  service: string;
  /** http://127.0.0.1:PORT */
  httpBase: string;
  c2sPort: number;
  /** Secret mod_ck_signature checks group-action signatures with. */
  signatureSecret: string;
}

export interface ProsodyServer extends ServerInfo {
  readonly httpPort: number;
  readonly dataDir: string;
  readonly running: boolean;
  /** Last lines of Prosody's stdout/stderr. */
  readonly output: string;
  info(): ServerInfo;
  /** Tail of the warn-level log file in the data dir. */
  logTail(max?: number): string;
  /** SIGTERM, SIGKILL after 5 s; removes the temp data dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL (no session can be resumed); data stays, restart() works. */
  kill(): Promise<void>;
  /** Stop, then start again on the same ports and data dir. */
  restart(): Promise<void>;
  createUsers(users: UserSpec[]): Promise<{ ok: true; created: string[]; updated: string[] }>;
  befriend(pairs: Array<[string, string]>, options?: FriendOptions): Promise<{ ok: true; pairs: number }>;
  /** Appends `count` messages between owner and peer to the owner's archive, one second apart. */
  seedArchive(seed: {
    owner: string;
    peer: string;
    count: number;
    start?: number;
    direction?: 'in' | 'out' | 'both';
    prefix?: string;
  }): Promise<{ ok: true; count: number }>;
}

export const CONFIG_DIR: string;
export const CONFIG_FILE: string;
export const DOMAIN: 'localhost';
export const MUC_DOMAIN: 'conference.localhost';
export const UPLOAD_DOMAIN: 'upload.localhost';
export const DEMO_HTTP_PORT: number;
export const DEMO_C2S_PORT: number;
/** The fixed, public test secret for signed group actions (when CK_SIGNATURE_SECRET is unset). */
export const TEST_SIGNATURE_SECRET: string;
/** CK_SIGNATURE_SECRET, else TEST_SIGNATURE_SECRET. */
export function signatureSecret(): string;
/** alice/bob/carol, password `<username>-pass`, names Alice Liddell / Bob Builder / Carol Danvers. */
export const DEMO_USERS: ReadonlyArray<Readonly<DemoUser>>;

export function freePort(): Promise<number>;
export function startProsody(options?: StartOptions): Promise<ProsodyServer>;
/** Creates the demo users and makes them all mutual friends (with their names). */
export function seedDemo(server: ProsodyServer, users?: ReadonlyArray<Readonly<DemoUser>>): Promise<void>;
