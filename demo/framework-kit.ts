// Shared by the React and Vue demo pages: a ChatKit signed in through the demo's app server
// (demo/app-server.ts answers /api/config, /api/profiles and /api/sign).
import { ChatKit, type Profile, type Signature, type SignatureRequest } from '../src/index.js';

interface DemoConfig {
  service: string;
  domain: string;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** A kit for `?user=` (default alice), signed in; resolves once the store is selected. */
export async function demoKit(): Promise<ChatKit> {
  const config = (await (await fetch('/api/config')).json()) as DemoConfig;
  const params = new URLSearchParams(location.search);
  const kit = new ChatKit({
    service: config.service,
    domain: config.domain,
    locale: params.get('lang') ?? 'en',
    fetchProfiles: (ids) => post<Profile[]>('/api/profiles', { ids }),
    generateSignature: (req: SignatureRequest) => post<Signature>('/api/sign', req),
  });
  kit.addEventListener('ck-error', (e) => console.warn(e.error));
  void kit.open(params.get('user') ?? 'alice').catch((err: unknown) => console.error(err));
  return kit;
}
