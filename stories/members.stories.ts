import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { action } from 'storybook/actions';
import '../src/index.js';
import type { ChatKit } from '../src/index.js';
import { replaceRoomMembers, updateMember } from '../src/store/members.js';
import { DOMAIN, person, seededKit, themeOf } from './fixtures.js';

const ROOM = `team@conference.${DOMAIN}`;

interface Loaded {
  kit: ChatKit;
}

/** A group of eight: the signed-in user as `standing`, a few members in the group now. */
function groupLoader(standing: 'owner' | 'member') {
  return async ({ globals }: { globals: Record<string, unknown> }): Promise<Loaded> => {
    const kit = await seededKit({ locale: String(globals.lang ?? 'en'), conversations: 0 });
    const self = kit.clientId!;
    const others = Array.from({ length: 7 }, (_, i) => person(i));
    await replaceRoomMembers(kit.db!, ROOM, [
      { userId: self, jid: `${self}@${DOMAIN}`, affiliation: standing },
      ...others.map((p, i) => ({ userId: p.id, jid: `${p.id}@${DOMAIN}`, affiliation: i === 0 && standing === 'member' ? ('owner' as const) : i === 1 ? ('admin' as const) : ('member' as const) })),
    ]);
    for (const p of others.slice(0, 3)) {
      const row = (await kit.db!.members.get([ROOM, p.id]))!;
      await updateMember(kit.db!, ROOM, { userId: p.id, jid: row.jid, affiliation: row.affiliation, online: true, role: 'participant' });
    }
    return { kit };
  };
}

const meta: Meta = {
  title: 'Elements/ck-members',
  component: 'ck-members',
  parameters: { frame: { width: '320px', height: '520px' } },
  render: (_args, { loaded, globals }) => html`<ck-members
    style="border: 1px solid rgb(128 128 128 / 0.35); border-radius: 10px"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    conversation=${ROOM}
    @ck-open-profile=${action('ck-open-profile')}
    @ck-error=${action('ck-error')}
  ></ck-members>`,
};
export default meta;

type Story = StoryObj;

/** Seen by a plain member: roles and who is in the group, no remove buttons. */
export const AsMember: Story = { loaders: [groupLoader('member')] };

/** Seen by the owner: a remove button on every other member (it calls `kit.kick`). */
export const AsOwner: Story = { loaders: [groupLoader('owner')] };
