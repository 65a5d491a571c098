// Counts anything hostile input managed to do to the page: calls of the payloads' trap
// (`window.__ckPwn`), CSP violation reports, and dangerous nodes or attributes appearing in
// any shadow root (watched live with MutationObservers, and by a full scan on demand).
import { TRAP } from '../fixtures/hostile-strings.js';

const DANGEROUS_TAGS = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'applet', 'base', 'meta', 'link']);
const URL_ATTRS = ['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'srcdoc', 'poster', 'background'];

export interface Guard {
  /** Payload ids whose code ran. */
  readonly executions: number[];
  readonly violations: string[];
  /** Dangerous things found in shadow roots, described. */
  readonly findings: string[];
  /** Scans every shadow root under `root` now (and starts watching new ones). */
  scan(root?: ParentNode): void;
  stop(): void;
}

function describe(el: Element, what: string): string {
  return `<${el.localName}> ${what} in ${(el.getRootNode() as ShadowRoot).host?.localName ?? 'document'}`;
}

export function installGuard(): Guard {
  const executions: number[] = [];
  const violations: string[] = [];
  const findings: string[] = [];
  const observers: MutationObserver[] = [];
  const watched = new WeakSet<Node>();
  (window as unknown as Record<string, unknown>)[TRAP] = (n: number) => executions.push(n);
  const onViolation = (e: SecurityPolicyViolationEvent) => violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
  document.addEventListener('securitypolicyviolation', onViolation);

  const check = (el: Element): void => {
    if (DANGEROUS_TAGS.has(el.localName)) findings.push(describe(el, 'element'));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) findings.push(describe(el, `attribute ${name}`));
      if (URL_ATTRS.includes(name) && /^\s*(javascript|vbscript|data:text)/i.test(attr.value.replace(/[\u0000-\u0020]/g, ''))) {
        findings.push(describe(el, `${name}=${attr.value.slice(0, 60)}`));
      }
    }
  };

  const walk = (root: ParentNode): void => {
    for (const el of root.querySelectorAll('*')) {
      if (root !== document) check(el);
      if (el.shadowRoot) watch(el.shadowRoot);
    }
  };

  const watch = (shadow: ShadowRoot): void => {
    if (!watched.has(shadow)) {
      watched.add(shadow);
      const mo = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes' && r.target instanceof Element) check(r.target);
          r.addedNodes.forEach((n) => {
            if (n instanceof Element) {
              check(n);
              walk(n);
            }
          });
        }
      });
      mo.observe(shadow, { subtree: true, childList: true, attributes: true });
      observers.push(mo);
    }
    walk(shadow);
  };

  return {
    executions,
    violations,
    findings,
    scan: (root: ParentNode = document) => walk(root),
    stop: () => {
      observers.forEach((o) => o.disconnect());
      document.removeEventListener('securitypolicyviolation', onViolation);
    },
  };
}
