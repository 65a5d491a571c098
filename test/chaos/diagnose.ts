// Turns a failed chaos result with a trace into a short story: for the messages the judge
// flagged (missing, stuck, duplicated, out of order), the trace lines that carry them (by body
// and by stanza id) and the connection events around them (drops, statuses, resumptions,
// archive queries, presence).

import type { ChaosResult } from './harness.js';

const LIFECYCLE =
  /DROP|SILENCED|close event|close not answered|status |<resume |<resumed|<enabled|<failed|<presence|urn:xmpp:mam:2" queryid|<fin |disconnect \d|reload|ERROR/;

function flagged(result: ChaosResult): string[] {
  const names = new Set<string>();
  for (const d of result.analysis.directions) {
    const sender = d.direction.split('->')[0]!;
    for (const n of d.missing.slice(0, 10)) names.add(`${sender}#${n}`);
    for (const s of d.stuck.slice(0, 10)) names.add(`${sender}#${s.split(':')[0]}`);
  }
  for (const l of result.analysis.logs) {
    for (const dup of l.duplicates.slice(0, 10)) names.add(dup.split(' ')[0]!);
    for (const ex of l.inversionExamples.slice(0, 5)) for (const m of ex.match(/(alice|bob)#\d+/g) ?? []) names.add(m);
  }
  return [...names];
}

export function explain(result: ChaosResult, maxLines = 300): string {
  const trace = result.trace;
  const names = flagged(result);
  if (names.length === 0) return '';
  if (!trace) return `flagged: ${names.join(', ')} (run with trace for the story)`;
  // Bodies look like "alice#51 @97 seed=..."; the stanza id of each copy sent is its origin-id.
  const bodyNeedles = names.map((n) => `>${n} @`);
  const ids = new Set<string>();
  for (const line of trace) {
    if (!bodyNeedles.some((b) => line.includes(b))) continue;
    for (const m of line.matchAll(/ id=['"]([0-9a-f-]{36})['"]/g)) ids.add(m[1]!);
  }
  const idNeedles = [...ids];
  const hit = (line: string) => bodyNeedles.some((b) => line.includes(b)) || idNeedles.some((id) => line.includes(id));
  const times = trace.filter(hit).map((l) => parseFloat(l));
  if (times.length === 0) return `flagged: ${names.join(', ')}; not found in the trace`;
  const from = Math.min(...times) - 2;
  const to = Math.max(...times) + 2;
  const out: string[] = [`flagged: ${names.join(', ')}; trace ${from.toFixed(1)}s..${to.toFixed(1)}s:`];
  for (const line of trace) {
    const t = parseFloat(line);
    if (t < from || t > to) continue;
    if (hit(line) || LIFECYCLE.test(line)) out.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
    if (out.length >= maxLines) {
      out.push('… (cut; the full trace is in the report)');
      break;
    }
  }
  return out.join('\n');
}
