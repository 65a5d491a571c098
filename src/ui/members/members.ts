import { html, nothing } from 'lit';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName } from '../shared/people.js';
import { icons } from '../shared/icons.js';
import { styles } from './members.styles.js';
import { profilesById, roomMembers } from '../../store/queries.js';
import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, MemberRecord, ProfileRecord } from '../../store/records.js';
import { CkErrorEvent, CkOpenProfileEvent } from '../../kit/events.js';

interface MembersData {
  /** The group this was read for. */
  id: string | null;
  members: MemberRecord[];
  profiles: Map<string, ProfileRecord>;
  contacts: Map<string, ContactRecord>;
}

/**
 * A group's members with their standing (owner, admin) and whether they are in the
 * group now. Owners and admins get a remove button per member they may remove (it
 * calls `kit.kick`, which asks `generateSignature` to sign first).
 *
 * @summary Group members panel.
 * @fires ck-open-profile - a member's avatar or name was activated (`event.userId`)
 * @fires ck-error - removing a member failed (`event.error` is a ChatKitError)
 * @slot actions - extra content after the list (e.g. invite and leave buttons)
 * @csspart heading - the "Members (n)" heading
 * @csspart list - the list
 * @csspart item - one member row (`data-id` = user id, `data-affiliation`, `data-online`)
 * @csspart avatar - a member's avatar
 * @csspart name - a member's name
 * @csspart role - the owner/admin label
 * @csspart remove-button - the remove button
 * @cssproperty [--ck-members-avatar-size=32px] - avatar size in the list
 */
export class CkMembers extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    conversation: { type: String, reflect: true },
    _removing: { state: true },
  };

  /** The group's id (its room's bare JID). */
  declare conversation: string | null;
  declare _removing: ReadonlySet<string>;

  #data = new LiveQueryController<MembersData>(
    this,
    (db) => this.#load(db),
    () => [this.conversation],
  );

  constructor() {
    super();
    this.conversation = null;
    this._removing = new Set();
  }

  async #load(db: ChatDB): Promise<MembersData> {
    const id = this.conversation;
    if (!id) return { id, members: [], profiles: new Map(), contacts: new Map() };
    const members = await roomMembers(db, id);
    const ids = members.map((m) => m.userId);
    const [profiles, contactRows] = await Promise.all([profilesById(db, ids), db.contacts.bulkGet(ids)]);
    const contacts = new Map<string, ContactRecord>();
    contactRows.forEach((c) => c && contacts.set(c.id, c));
    // Owners, admins, members (the query's order); by shown name within each.
    const collator = new Intl.Collator(this.ck?.locale ?? 'en', { sensitivity: 'base' });
    const rank = { owner: 0, admin: 1, member: 2 } as const;
    const label = (m: MemberRecord): string => displayName(m.userId, profiles.get(m.userId), contacts.get(m.userId)) ?? m.userId;
    members.sort((a, b) => rank[a.affiliation] - rank[b.affiliation] || collator.compare(label(a), label(b)));
    return { id, members, profiles, contacts };
  }

  protected override updated(): void {
    const data = this.#data.value;
    const kit = this.ck;
    if (!data || !kit || data.id !== this.conversation) return;
    const missing = data.members.map((m) => m.userId).filter((id) => !data.profiles.has(id));
    if (missing.length) kit.requestProfiles(missing);
  }

  override render() {
    const data = this.#data.value;
    if (!this.conversation || !data || data.id !== this.conversation) return html`<ul part="list" role="list" aria-busy="true"></ul>`;
    const self = this.ck?.clientId ?? null;
    const own = data.members.find((m) => m.userId === self);
    const total = data.members.length;
    return html`
      <h2 part="heading" id="heading">${this.t('members.label')} (${total})</h2>
      ${total === 0
        ? html`<p class="empty">${this.t('members.empty')}</p>`
        : html`<ul part="list" role="list" aria-labelledby="heading">
            ${data.members.map((m, i) => this.#row(m, i, total, data, own, self))}
          </ul>`}
      <slot name="actions"></slot>
    `;
  }

  #row(m: MemberRecord, index: number, total: number, data: MembersData, own: MemberRecord | undefined, self: string | null) {
    const profile = data.profiles.get(m.userId);
    const name = displayName(m.userId, profile, data.contacts.get(m.userId));
    const label = name ?? m.userId;
    // Owners remove anyone; admins only plain members (as XEP-0045 and the server allow).
    const canRemove =
      m.userId !== self && (own?.affiliation === 'owner' || (own?.affiliation === 'admin' && m.affiliation === 'member'));
    return html`<li
      part="item"
      data-id=${m.userId}
      data-affiliation=${m.affiliation}
      data-online=${m.online ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${total}
    >
      <span class="avatar-button" @click=${() => this.#openProfile(m.userId)}>${avatar(m.userId, name, profile, m.online ? 'online' : undefined)}</span>
      <span part="name" class="name" dir="auto" @click=${() => this.#openProfile(m.userId)}
        >${name ?? html`<span class="placeholder" role="img" aria-label=${this.t('profile.loading')}></span>`}${m.userId === self
          ? html`<span class="you">(${this.t('members.you')})</span>`
          : nothing}${m.online ? html`<span class="visually-hidden">, ${this.t('members.online')}</span>` : nothing}</span
      >
      ${m.affiliation === 'owner' || m.affiliation === 'admin'
        ? html`<span part="role" class="role">${this.t(m.affiliation === 'owner' ? 'members.owner' : 'members.admin')}</span>`
        : nothing}
      ${canRemove
        ? html`<button
            part="remove-button"
            class="icon-button remove"
            type="button"
            aria-label=${this.t('members.remove', { name: label })}
            title=${this.t('members.remove', { name: label })}
            ?disabled=${this._removing.has(m.userId)}
            @click=${() => void this.#remove(m.userId)}
          >
            ${icons.close}
          </button>`
        : nothing}
    </li>`;
  }

  async #remove(userId: string): Promise<void> {
    const kit = this.ck;
    const id = this.conversation;
    if (!kit || !id || this._removing.has(userId)) return;
    this._removing = new Set([...this._removing, userId]);
    try {
      await kit.kick(id, [userId]);
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    } finally {
      const next = new Set(this._removing);
      next.delete(userId);
      this._removing = next;
    }
  }

  #openProfile(userId: string): void {
    this.dispatchEvent(new CkOpenProfileEvent(userId));
  }
}

customElements.define('ck-members', CkMembers);

declare global {
  interface HTMLElementTagNameMap {
    'ck-members': CkMembers;
  }
}
