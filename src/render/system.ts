import { translate } from '../i18n/index.js';
import type { SystemEvent } from '../store/records.js';

/**
 * The text of a group's system line (a message with `kind: 'system'`) in `locale`:
 * "Alice added Bob", "Bob left", "The group was renamed to “Team”". `nameOf` turns the
 * event's user ids into display names. Plain text: render it as text (names and group
 * names come from users).
 */
export function describeSystemEvent(event: SystemEvent, locale: string, nameOf: (userId: string) => string): string {
  const actor = event.actor ? nameOf(event.actor) : '';
  const target = event.target ? nameOf(event.target) : '';
  const params = { actor, target, name: event.name ?? '', subject: event.subject ?? '' };
  switch (event.event) {
    case 'created':
      return translate(locale, 'system.created', params);
    case 'invited':
      return translate(locale, 'system.invited', params);
    case 'joined':
      return translate(locale, actor ? 'system.added' : 'system.joined', params);
    case 'left':
      return translate(locale, 'system.left', params);
    case 'kicked':
      return translate(locale, actor ? 'system.removed' : 'system.kicked', params);
    case 'renamed':
      return translate(locale, actor ? 'system.renamedBy' : 'system.renamed', params);
    case 'subject':
      return translate(locale, actor ? 'system.subject' : 'system.subjectNone', params);
    default:
      return '';
  }
}
