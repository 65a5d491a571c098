// "Customer service": a visitor chats with whichever agent is online. The integrator keeps
// its own accounts: the app server answers generateSignature('open') with a credential for
// the visitor and fetchProfiles with agent names; agents are a roster group it configures.
import { ChatKit, type Profile, type Signature, type SignatureRequest } from '../src/index.js';

/** The roster group that holds the shop's agents (configured by the integrator). */
const AGENTS_GROUP = 'Agents';
const VISITOR = new URLSearchParams(location.search).get('visitor') ?? 'carol';

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

const status = document.querySelector<HTMLElement>('.status')!;
const view = document.querySelector('ck-chat-view')!;
const config = (await (await fetch('/api/config')).json()) as { service: string; domain: string };
const kit = new ChatKit({
  service: config.service,
  domain: config.domain,
  locale: document.documentElement.lang,
  fetchProfiles: (ids) => post<Profile[]>('/api/profiles', { ids }),
  generateSignature: (req: SignatureRequest) => post<Signature>('/api/sign', req),
});
view.kit = kit;

/** An agent who is online now, else any agent (the message waits for them). */
async function pickAgent(): Promise<{ id: string; online: boolean } | undefined> {
  const db = kit.db!;
  const agents = (await db.contacts.toArray()).filter((c) => c.groups.includes(AGENTS_GROUP));
  const presence = await db.presence.bulkGet(agents.map((a) => a.id));
  const online = agents.find((_, i) => presence[i] && presence[i]!.show !== 'offline');
  const agent = online ?? agents[0];
  return agent && { id: agent.id, online: !!online };
}

try {
  await kit.open(VISITOR);
  // Give the roster and the agents' presence a moment to arrive after sign-in.
  let agent: Awaited<ReturnType<typeof pickAgent>>;
  for (let i = 0; i < 20 && !(agent = await pickAgent())?.online; i++) await new Promise((r) => setTimeout(r, 150));
  if (!agent) {
    status.textContent = 'No agent is configured for this shop.';
  } else {
    view.conversation = await kit.startConversation([agent.id]);
    status.textContent = agent.online ? 'An agent is online and will answer shortly.' : 'All agents are away: leave a message and we will answer.';
  }
} catch (err) {
  status.textContent = err instanceof Error ? err.message : String(err);
}
