import { ChatKit, type Profile, type Signature, type SignatureRequest } from '../src/index.js';
import { businessCard } from './business-card.js';

interface DemoConfig {
  service: string;
  domain: string;
  users: Array<{ id: string; name: string }>;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as T;
}

const params = new URLSearchParams(location.search);
const lang = params.get('lang') ?? 'en';
document.documentElement.lang = lang;
const langSelect = document.querySelector<HTMLSelectElement>('#lang')!;
langSelect.value = lang;
langSelect.addEventListener('change', () => {
  params.set('lang', langSelect.value);
  location.search = params.toString();
});

const config = (await (await fetch('/api/config')).json()) as DemoConfig;

for (const pane of document.querySelectorAll<HTMLElement>('.pane')) {
  const chat = pane.querySelector('ck-chat')!;
  const who = pane.querySelector<HTMLSelectElement>('.who')!;
  const status = pane.querySelector<HTMLElement>('.status')!;
  const kit = new ChatKit({
    service: config.service,
    domain: config.domain,
    locale: lang,
    fetchProfiles: (ids) => post<Profile[]>('/api/profiles', { ids }),
    generateSignature: (req: SignatureRequest) => post<Signature>('/api/sign', req),
    // LeanCloud-style hooks: a word filter on everything sent (edits included) ...
    beforeSend: (message) => ({ ...message, text: message.text.replace(/\b(darn|heck)\b/gi, (w) => '*'.repeat(w.length)) }),
    // ... and an app's own item in the message menu.
    messageActions: (message) =>
      message.own ? [] : [{ id: 'report', label: 'Report', run: () => alert(`Reported message ${message.id} to the moderators (demo).`) }],
  });
  // An app's own message type: a business card with its composer button (demo/business-card.ts).
  kit.registerMessageType(businessCard);
  chat.kit = kit;
  kit.addEventListener('ck-status', () => (status.textContent = kit.status));
  kit.addEventListener('ck-error', (e) => console.warn(e.error));
  for (const u of config.users) who.add(new Option(u.name, u.id));
  const signIn = (user: string): void => {
    chat.conversation = null;
    kit.open(user).catch((err: unknown) => (status.textContent = err instanceof Error ? err.message : String(err)));
  };
  who.value = params.get(pane.dataset.user!) ?? pane.dataset.user!;
  who.addEventListener('change', () => signIn(who.value));
  signIn(who.value);
}
