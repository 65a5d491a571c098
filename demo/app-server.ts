import type { Plugin } from 'vite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { signaturePayloadFor, type SignedActionName } from '../src/protocol/signing.ts';

/**
 * The demo's stand-in for an integrator's own app server: it knows the app's users
 * (names, avatars) and signs their actions. A real one signs only for the user
 * signed in to the app; this demo trusts the page, which is fine on loopback only.
 */

export interface DemoUser {
  username: string;
  password: string;
  name: string;
}

const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];

function usersFromEnv(): DemoUser[] {
  try {
    return JSON.parse(process.env.CK_DEMO_USERS ?? '[]') as DemoUser[];
  } catch {
    return [];
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 64 * 1024) throw new Error('body too large');
  }
  return JSON.parse(body || '{}');
}

function send(res: ServerResponse, status: number, data: unknown, type = 'application/json'): void {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', 'no-store');
  res.end(typeof data === 'string' ? data : JSON.stringify(data));
}

function avatarSvg(name: string, index: number): string {
  const letter = [...name.trim()][0]?.toUpperCase() ?? '?';
  const escaped = letter.replace(/[<>&'"]/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${COLORS[index % COLORS.length]}"/><text x="32" y="42" font-family="sans-serif" font-size="30" font-weight="700" text-anchor="middle" fill="#fff">${escaped}</text></svg>`;
}

export function appServer(): Plugin {
  return {
    name: 'xmpp-chatkit-demo-app-server',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://demo.invalid');
        if (!url.pathname.startsWith('/api/')) return next();
        const users = usersFromEnv();
        const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
        try {
          if (url.pathname === '/api/config') {
            return send(res, 200, {
              service: process.env.CK_SERVICE ?? 'ws://127.0.0.1:5380/xmpp-websocket',
              domain: process.env.CK_DOMAIN ?? 'localhost',
              users: users.map((u) => ({ id: u.username, name: u.name })),
            });
          }
          if (url.pathname === '/api/profiles' && req.method === 'POST') {
            const { ids } = (await readJson(req)) as { ids?: unknown };
            const wanted = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
            const profiles = wanted.flatMap((id) => {
              const index = users.findIndex((u) => u.username === id);
              const user = users[index];
              return user ? [{ id, name: user.name, avatarUrl: `${origin}/api/avatar/${encodeURIComponent(id)}.svg` }] : [];
            });
            return send(res, 200, profiles);
          }
          const avatar = /^\/api\/avatar\/([^/]+)\.svg$/.exec(url.pathname);
          if (avatar) {
            const id = decodeURIComponent(avatar[1]!);
            const index = users.findIndex((u) => u.username === id);
            if (index === -1) return send(res, 404, { error: 'unknown user' });
            return send(res, 200, avatarSvg(users[index]!.name, index), 'image/svg+xml');
          }
          if (url.pathname === '/api/sign' && req.method === 'POST') {
            const request = (await readJson(req)) as { action?: string; clientId?: string; conversationId?: string; memberIds?: unknown };
            const user = users.find((u) => u.username === request.clientId);
            if (!user) return send(res, 403, { error: 'unknown user' });
            if (request.action === 'open') {
              // The demo's accounts use passwords; an app with its own accounts would mint a token here.
              return send(res, 200, { signature: user.password, timestamp: Date.now(), nonce: crypto.randomUUID() });
            }
            if (request.action === 'start' || request.action === 'invite' || request.action === 'kick') {
              // Signed with the secret the demo's Prosody (mod_ck_signature) checks. A real app
              // decides here whether this user may do this to these members.
              const memberIds = Array.isArray(request.memberIds) ? request.memberIds.filter((id): id is string => typeof id === 'string') : [];
              if (typeof request.conversationId !== 'string') return send(res, 400, { error: 'conversationId missing' });
              const signed = { timestamp: Date.now(), nonce: randomUUID() };
              const payload = signaturePayloadFor(
                { action: request.action as SignedActionName, clientId: user.username, conversationId: request.conversationId, memberIds },
                signed,
                process.env.CK_DOMAIN ?? 'localhost',
              );
              const secret = process.env.CK_SIGNATURE_SECRET ?? 'xmpp-chatkit-test-secret';
              return send(res, 200, { signature: createHmac('sha256', secret).update(payload).digest('hex'), ...signed });
            }
            return send(res, 403, { error: `action ${String(request.action)} is not signed by this demo` });
          }
          return send(res, 404, { error: 'not found' });
        } catch (err) {
          return send(res, 400, { error: err instanceof Error ? err.message : 'bad request' });
        }
      });
    },
  };
}
