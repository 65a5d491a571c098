import { html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { cssProps } from '../shared/css-props.js';
import { repeat } from '../shared/repeat.js';
import { guard } from 'lit/directives/guard.js';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName, presenceText } from '../shared/people.js';
import { icons } from '../shared/icons.js';
import { styles } from './chat-view.styles.js';
import { messageRow, type RowContext } from './message-row.js';
import { onLongPress, type Press } from './press.js';
import {
  INITIAL,
  LATEST,
  newerWindow,
  olderWindow,
  readWindow,
  reuseMap,
  reuseRecords,
  sameWindow,
  windowAround,
  type MessageWindow,
  type Step,
  type WindowData,
} from './message-window.js';
import { carryCounts, countWindow, nearbyCounts, type Counts } from './log-positions.js';
import { carriesFiles, fileName, filesOf, refusalText } from './composer-attachments.js';
import { composerIcons } from './composer-icons.js';
import { imageViewer } from './image-viewer.js';
import { findOriginal, HIGHLIGHT_MS } from './jump.js';
import { canEdit, canReply, menuItems, quickReactions } from './menu.js';
import { RowFocus, type RowExtent } from './row-focus.js';
import { FreshRows } from './fresh-rows.js';
import { rowLabel } from './row-label.js';
import { composeBar } from './compose-bar.js';
import { activeTypers, nextStale, typingText } from './typing.js';
import { canRecord } from './voice-recorder.js';
import { VoiceCapture } from './voice-capture.js';
import { profilesById, roomMembers } from '../../store/queries.js';
import '../members/members.js';
import { blockedIds, isBlockedId } from '../../store/contacts.js';
import type { ChatDB } from '../../store/schema.js';
import type {
  ContactRecord,
  ConversationRecord,
  MemberRecord,
  Mention,
  MessageRecord,
  PresenceRecord,
  ProfileRecord,
  TypingRecord,
} from '../../store/records.js';
import { CkErrorEvent, CkOpenProfileEvent } from '../../kit/events.js';
import type { ConnectionStatus, MessageAction, SendFileOptions } from '../../kit/types.js';
import type { MessageTypeDefinition } from '../../kit/message-types.js';
import { formatDaySeparator, isSameDay } from '../../render/dates.js';
import { MAX_RENDER_CHARS } from '../../render/text.js';

/** Within this many px of the bottom the log counts as "at the latest message" and follows new ones. */
const STICK_PX = 48;
/** Within this many px of an end of the log, the window steps further that way. */
const EDGE_PX = 600;
const BACK_ONLINE_MS = 3000;
/** Steps paused this long (ms): the live query reads the window they reached. */
const SETTLE_MS = 150;
/** A pull of this many px down from the top of the log loads older messages (touch). */
const PULL_PX = 60;
/** How long a brief notice ("Original message not available") stays (ms). */
const NOTICE_MS = 3000;

/** The composer answers a message, or corrects one of the user's own. */
type ComposeMode = { kind: 'reply'; message: MessageRecord } | { kind: 'edit'; message: MessageRecord; stash: string };

/** How far the log is scrolled up from its bottom (px). */
const fromBottom = (log: HTMLElement): number => log.scrollHeight - log.scrollTop - log.clientHeight;

/** Messages count as seen only in a visible tab that has focus. */
function isSeen(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

interface ViewData extends WindowData {
  /** What this was read for (a stale result may belong to another conversation or window). */
  id: string | null;
  window: MessageWindow;
  conversation?: ConversationRecord;
  profiles: Map<string, ProfileRecord>;
  contact?: ContactRecord;
  presence?: PresenceRecord;
  /** Group members (for the @-mention picker). */
  members: MemberRecord[];
  /** Blocked senders (hidden from the log). */
  hidden: ReadonlySet<string>;
  /** Typing notices in this conversation (the view shows the fresh ones of others). */
  typing: TypingRecord[];
  /** Where the rows sit in the conversation: counted, carried over from the last render, or not known yet. */
  counts?: Counts;
  countsExact: boolean;
}

interface Anchor {
  id: string;
  /** Distance from the log's top edge to the row's top, in px. */
  offset: number;
}

/**
 * One conversation: header, message log with day separators, own and peer
 * bubbles with delivery state, a connection banner, and the composer (Enter
 * sends, Shift+Enter starts a new line). The log holds a window of at most a
 * few hundred rows of a conversation of any length: scrolling steps the window
 * through the store (and, past its start, through the server archive) while the
 * message under the reader's eyes stays where it is.
 *
 * Rich messages: files go out from the attach button, a drop onto the view or a
 * paste; the mic records a voice message (hold to record and release to send, or
 * click to start and click to send); the location button shares the device's
 * position; registered custom types add their own composer buttons. A message's
 * menu (right click, long press) offers quick reactions, reply, edit and recall
 * (own messages), copy, delete and the integrator's `messageActions`. ArrowUp in an
 * empty composer edits the last own message; Escape ends a reply or an edit. Who is
 * typing shows above the composer; a reply's quote jumps to its original
 * (`showMessage`), and an image opens in a full view.
 *
 * Keyboard: the log is one Tab stop. In it, ArrowUp / ArrowDown move focus from message to
 * message (further history loads as focus reaches the end of what is shown), Home / End go
 * to the first loaded / the latest message, PageUp / PageDown move by a screenful. On a
 * focused message, Enter, the ContextMenu key or Shift+F10 open its menu (Escape closes it
 * and focus returns to the message), R replies to it and E edits it (own text messages);
 * Tab walks the message's own links and buttons (image, reply quote, reactions, voice
 * player, "Show all", download), and Escape there returns to the message. The focused
 * message is named for screen readers by sender, time, content and reactions.
 *
 * @summary Chat view.
 * @fires ck-open-profile - the header avatar or name was activated (`event.userId`)
 * @fires ck-error - a send was refused (the text stays in the composer), a file, voice message, location or custom message was not sent (also shown in the composer), or an integrator's menu action failed
 * @slot empty - shown when no conversation is set
 * @slot header-start - content before the avatar (e.g. a back button)
 * @slot header-actions - extra buttons at the end of the header
 * @slot composer-actions - extra buttons beside the send button (e.g. an app's attachment or emoji button)
 * @slot footer - content under the composer (e.g. a disclaimer or an app's quick replies)
 * @csspart header - the header bar
 * @csspart avatar - the header avatar and message avatars
 * @csspart title - the conversation name
 * @csspart status - the peer's presence or last-seen line under the name
 * @csspart block-button - blocks or unblocks the peer (1:1)
 * @csspart members-button - shows the members panel (groups)
 * @csspart leave-button - leaves the group
 * @csspart details - the members panel (a `<ck-members>`)
 * @csspart mention-picker - the member list that typing "@" opens in groups
 * @csspart show-all - shows the whole of a message cut for length (see the `maxDisplayChars` option)
 * @csspart message-menu - a message's menu (right click or long press): quick reactions, reply, edit, copy, recall, resend, delete, integrator items (each item has `data-action`)
 * @csspart banner - the connection status banner
 * @csspart log - the scrolling message log (`role="log"`)
 * @csspart loading - the spinner while older messages load
 * @csspart day - a day separator
 * @csspart message - one message row (also `system` for system lines)
 * @csspart sender - the sender's name above a bubble in groups
 * @csspart unread-separator - the "New messages" line
 * @csspart jump-button - "jump to the latest message", with the count of new ones
 * @csspart bubble - a message bubble
 * @csspart state - the delivery state mark on own messages
 * @csspart caption - text under an attachment
 * @csspart image - an image attachment's thumbnail (opens the image viewer)
 * @csspart file - a file attachment's card
 * @csspart file-name - the file's name on its card
 * @csspart file-size - the file's size on its card
 * @csspart download - a file card's download link
 * @csspart upload-progress - an own attachment's upload progress bar
 * @csspart cancel-upload - stops an own upload
 * @csspart voice - a voice message's player
 * @csspart play-button - a voice message's play / pause button
 * @csspart progress - a voice message's seek slider
 * @csspart duration - a voice message's length or elapsed time
 * @csspart location - a shared location
 * @csspart coordinates - a location's coordinates
 * @csspart map-link - a location's OpenStreetMap link
 * @csspart custom - a custom message type's content
 * @csspart recalled - the "message was recalled" text
 * @csspart edited - the "edited" mark
 * @csspart reply-quote - a reply's quote of its original (jumps to it)
 * @csspart reply-author - the quoted message's author
 * @csspart reply-excerpt - the quoted text
 * @csspart reactions - a message's reaction chips
 * @csspart reaction - one reaction chip (toggles the viewer's reaction)
 * @csspart notice - a brief notice over the log (e.g. "Original message not available")
 * @csspart drop-zone - shown over the log while files are dragged over the view
 * @csspart typing - "Bob is typing…" above the composer (a polite live region)
 * @csspart reply-bar - "Replying to …" above the input, with a close button
 * @csspart edit-bar - "Editing message" above the input, with a close button
 * @csspart composer-error - why a file, voice message or location was not sent (`role="alert"`)
 * @csspart composer - the form around the input
 * @csspart attach-button - opens the file chooser
 * @csspart location-button - shares the device's location (where geolocation exists)
 * @csspart custom-button - a registered custom type's composer button (`data-type`)
 * @csspart voice-button - records a voice message (where the browser can record)
 * @csspart recording - the recording indicator with the elapsed time
 * @csspart voice-cancel - throws the recording away
 * @csspart input - the text entry
 * @csspart send-button - the send button (saves in edit mode)
 * @csspart image-viewer - the full view of an image (`role="dialog"`)
 * @csspart image-download - the image viewer's download link
 * @csspart image-close - closes the image viewer
 * @cssproperty [--ck-bubble-own-background=var(--ck-color-accent)] - own bubble color
 * @cssproperty [--ck-bubble-peer-background=var(--ck-color-surface)] - peer bubble color
 * @cssproperty [--ck-bubble-radius=16px] - bubble corner radius
 */
export class CkChatView extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    conversation: { type: String, reflect: true },
    _window: { state: true },
    _draft: { state: true },
    _backOnline: { state: true },
    _loading: { state: true },
    _atBottom: { state: true },
    _unseen: { state: true },
    _showMembers: { state: true },
    _mention: { state: true },
    _menu: { state: true },
    _mode: { state: true },
    _composerError: { state: true },
    _notice: { state: true },
    _dropping: { state: true },
    _image: { state: true },
    _locating: { state: true },
  };

  /** Id of the conversation shown: the peer's or the room's bare JID. */
  declare conversation: string | null;
  declare _window: MessageWindow;
  declare _draft: string;
  declare _backOnline: boolean;
  declare _loading: boolean;
  declare _atBottom: boolean;
  declare _unseen: number;
  declare _showMembers: boolean;
  /** The @-mention being typed: where its '@' is and the text after it. */
  declare _mention: { at: number; query: string; active: number } | null;
  /** The message whose menu is open, and where; `confirm` once Recall asked "are you sure?". */
  declare _menu: { id: string; x: number; y: number; confirm?: boolean } | null;
  declare _mode: ComposeMode | null;
  /** Why the last file, voice message, location or custom message was not sent. */
  declare _composerError: string | null;
  /** A brief notice over the log. */
  declare _notice: string | null;
  /** Files are being dragged over the view. */
  declare _dropping: boolean;
  /** The image shown in the full view. */
  declare _image: MessageRecord | null;
  declare _locating: boolean;

  #live = new LiveQueryController<ViewData>(
    this,
    (db) => this.#load(db),
    () => [this.conversation, this.#queried],
  );
  /** New messages shown before the live query brings them. */
  #fresh = new FreshRows(this, () => this.conversation);
  /** The data rendered last (to tell a new result from a re-render for other reasons). */
  #rendered: ViewData | undefined;
  /** Live results completed with their counts (counted off the paint path). */
  #counted = new WeakMap<ViewData, ViewData>();
  /** The live result being counted. */
  #counting: ViewData | undefined;
  #countTimer: ReturnType<typeof setTimeout> | undefined;
  /** The conversation's size when last counted (new messages since then are "unseen"). */
  #countedTotal: number | undefined;
  #rowCtx: { key: readonly unknown[]; ctx: RowContext } | undefined;
  #anchor: Anchor | undefined;
  /** Follow new messages: the reader is at the latest one. */
  #stick = true;
  /** The log's scroll position when it last followed the latest message. */
  #followTop = 0;
  /** A window step is on its way: no further step until its data arrives. */
  #stepping = false;
  /**
   * The window the live query reads: the one shown, but after a step only once steps have
   * paused (a fling re-reads its window once, not per step; until then the steps' rows show).
   */
  #queried: MessageWindow = LATEST;
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last step's rows, shown until the live query has read its window. */
  #stepped: { window: MessageWindow; rows: WindowData; counts?: Counts; exact: boolean; over?: ViewData; data?: ViewData } | undefined;
  #scrollFrame = 0;
  #firstUnread: { conversation: string; id: string | undefined } | undefined;
  #lastStatus: ConnectionStatus | undefined;
  #triedConnect = false;
  #backOnlineTimer: ReturnType<typeof setTimeout> | undefined;
  #endViewing: (() => void) | undefined;
  #viewingKey: string | undefined;
  /** The conversation whose short history was already topped up from the archive. */
  #autoLoaded: string | null = null;
  /** The conversation (and connection status) whose peer's last-seen time was last asked for. */
  #lastSeenAsked: string | undefined;
  /** The newest peer message already reported as displayed. */
  #reported: string | undefined;
  /** Mentions inserted in the draft, as XEP-0372 ranges (code points). */
  #mentions: Mention[] = [];
  #draftTimer: ReturnType<typeof setTimeout> | undefined;
  #stopLongPress: (() => void) | undefined;
  /** Long messages the reader expanded. */
  #expanded = new Set<string>();
  /** Where a pull-down at the top of the log began (touch). */
  #pullFrom: number | undefined;
  /** The conversation whose saved draft was put in the composer. */
  #draftLoaded: string | null = null;
  /** The conversation the user was last reported typing in. */
  #typingIn: string | null = null;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #voice = new VoiceCapture(this, {
    t: (key, params) => this.t(key, params),
    target: () => this.conversation ?? undefined,
    started: () => {
      this._composerError = null;
      this.#stopTyping();
    },
    failed: (err, message) => this.#fail(err, message),
    recorded: async (id, rec) => {
      const reply = this.#takeReply();
      this.scrollToLatest();
      await this.#sendBlob(id, rec.blob, { ...reply, voice: true, duration: rec.duration, name: rec.name }, rec.name);
    },
  });
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** A message to scroll to once its window is rendered. */
  #jumpTarget: string | undefined;
  #highlight: { id: string; until: number } | undefined;
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where focus goes back to when the image viewer closes. */
  #imageReturn: HTMLElement | undefined;
  /** Keyboard focus among the log's messages. */
  #rows = new RowFocus(this, {
    log: () => this.#log(),
    scope: () => this.conversation,
    extent: () => this.#rowExtent(),
    loadOlder: () => this.#pullEarlier(),
    loadNewer: () => this.#pullLater(),
    toLatest: () => this.scrollToLatest(),
    describe: (id) => this.#describeRow(id),
    rowKey: (row, e) => this.#onRowKey(row, e),
  });

  constructor() {
    super();
    this.conversation = null;
    this._window = LATEST;
    this._draft = '';
    this._backOnline = false;
    this._loading = false;
    this._atBottom = true;
    this._unseen = 0;
    this._showMembers = false;
    this._mention = null;
    this._menu = null;
    this._mode = null;
    this._composerError = null;
    this._notice = null;
    this._dropping = false;
    this._image = null;
    this._locating = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('focus', this.#onVisibility);
    window.addEventListener('blur', this.#onVisibility);
    window.visualViewport?.addEventListener('resize', this.#onViewport);
    this.addEventListener('dragenter', this.#onDragOver);
    this.addEventListener('dragover', this.#onDragOver);
    this.addEventListener('dragleave', this.#onDragLeave);
    this.addEventListener('drop', this.#onDrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('focus', this.#onVisibility);
    window.removeEventListener('blur', this.#onVisibility);
    window.visualViewport?.removeEventListener('resize', this.#onViewport);
    this.#stopLongPress?.();
    this.#stopLongPress = undefined;
    cancelAnimationFrame(this.#scrollFrame);
    this.#setViewing(undefined);
    clearTimeout(this.#backOnlineTimer);
    this.removeEventListener('dragenter', this.#onDragOver);
    this.removeEventListener('dragover', this.#onDragOver);
    this.removeEventListener('dragleave', this.#onDragLeave);
    this.removeEventListener('drop', this.#onDrop);
    this.#stopTyping();
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#noticeTimer);
    clearTimeout(this.#highlightTimer);
    clearTimeout(this.#countTimer);
    // No settling left pending: back on a page, the live query reads the window shown.
    clearTimeout(this.#settleTimer);
    this.#queried = this._window;
  }

  /** Shows the newest messages and follows new ones. */
  scrollToLatest(): void {
    this.#stick = true;
    this._unseen = 0;
    if (sameWindow(this._window, LATEST)) {
      const log = this.#log();
      if (log) this.#toLatest(log);
      this._atBottom = true;
    } else {
      this._window = LATEST;
    }
  }

  /** Points the live query at the window shown: at once, or for a step once stepping pauses. */
  #queryWindow(): void {
    clearTimeout(this.#settleTimer);
    if (this.#stepped?.window !== this._window) {
      this.#queried = this._window;
      return;
    }
    this.#settleTimer = setTimeout(() => {
      this.#queried = this._window;
      this.requestUpdate();
    }, SETTLE_MS);
  }

  /** The live data, if it is for the conversation shown now. */
  get #data(): ViewData | undefined {
    const value = this.#live.value;
    return value && value.id === this.conversation ? this.#fresh.merge(this.#withStep(this.#counted.get(value) ?? value)) : undefined;
  }

  /**
   * The live data, or while the live query reads a stepped window, the step's rows over it:
   * a step shows when its few new rows are read (one round trip), not after a full re-read.
   */
  #withStep(live: ViewData): ViewData {
    const s = this.#stepped;
    if (!s || s.window !== this._window || live.window === this._window) return live;
    if (s.over !== live) {
      s.over = live;
      s.data = { ...live, window: s.window, ...s.rows, counts: s.counts, countsExact: s.exact };
    }
    return s.data!;
  }

  /** Counts the rows' positions when the live result could not (the store changed, or a first visit). */
  #count(): void {
    const live = this.#live.value;
    const db = this.ck?.db;
    if (!live || !db || !live.id || live.countsExact || this.#counted.has(live) || this.#counting === live) return;
    this.#counting = live;
    clearTimeout(this.#countTimer);
    void countWindow(db, live.id, live.rows[0], live.hidden)
      .catch(() => undefined)
      .then((counts) => {
        if (this.#counting === live) this.#counting = undefined;
        if (this.#live.value !== live) return;
        if (counts) {
          this.#counted.set(live, { ...live, counts, countsExact: true });
          this.requestUpdate();
        } else {
          // A write came in meanwhile: count again shortly.
          this.#countTimer = setTimeout(() => this.#count(), 100);
        }
      });
  }

  async #load(db: ChatDB): Promise<ViewData> {
    const id = this.conversation;
    const window = this.#queried;
    const kit = this.ck;
    const none = { id, window, rows: [], hasOlder: false, reachesLatest: true, profiles: new Map(), hidden: new Set<string>(), members: [], typing: [], counts: { before: 0, total: 0 }, countsExact: true };
    if (!id || !kit) return none;
    const peer = kit.userIdOf(id);
    // One round of reads for the window and what surrounds it (the block list is nearly always empty:
    // the unfiltered window read in parallel is then the one used).
    const [hidden, conversation, unfiltered, typing, contact, presence] = await Promise.all([
      blockedIds(db),
      db.conversations.get(id),
      readWindow(db, id, window),
      db.typing.where('conversationId').equals(id).toArray(),
      db.contacts.get(peer),
      db.presence.get(peer),
    ]);
    const slice = hidden.size ? await readWindow(db, id, window, hidden) : unfiltered;
    const group = conversation?.type === 'group';
    const ids = new Set<string>(group ? [] : [peer]);
    for (const m of slice.rows) {
      if (!m.own) ids.add(m.from);
      if (m.system?.actor) ids.add(m.system.actor);
      if (m.system?.target) ids.add(m.system.target);
    }
    for (const r of typing) if (r.userId !== kit.clientId) ids.add(r.userId);
    const [members, profiles, counted] = await Promise.all([
      group ? roomMembers(db, id) : Promise.resolve([]),
      profilesById(db, [...ids]),
      nearbyCounts(db, id, slice.rows[0], hidden),
    ]);
    if (group) {
      const more = members.map((m) => m.userId).filter((u) => !profiles.has(u));
      if (more.length) for (const [k, v] of await profilesById(db, more)) profiles.set(k, v);
    }
    const shown = this.#rendered?.id === id ? this.#rendered : undefined;
    const counts = counted ?? carryCounts(shown, slice);
    // Unchanged records stay the objects already rendered: their rows are not rendered again.
    const rows = reuseRecords(shown?.rows, slice.rows);
    return { id, window, conversation, ...slice, rows, profiles: reuseMap(shown?.profiles, profiles), contact, presence, hidden, members, typing, counts, countsExact: !!counted };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('conversation')) {
      // An edit in progress is dropped; what was typed before it is the draft to keep.
      if (this._mode?.kind === 'edit') this._draft = this._mode.stash;
      this._mode = null;
      this._composerError = null;
      this._menu = null;
      this._image = null;
      this.#jumpTarget = undefined;
      this.#stopTyping();
      this.#voice.cancel();
      this.#saveDraftNow(changed.get('conversation') as string | null | undefined);
      this._draft = '';
      this.#mentions = [];
      this._mention = null;
      this._showMembers = false;
      this._window = LATEST;
      this.#stick = true;
      this.#stepping = false;
      this.#stepped = undefined;
      this._unseen = 0;
      this.#anchor = undefined;
      this.#rendered = undefined;
      this.#countedTotal = undefined;
    }
    if (changed.has('_window') || changed.has('conversation')) this.#queryWindow();
    this.#trackStatus();
    const data = this.#data;
    if (data && data !== this.#rendered) {
      // Before the DOM changes: whether the reader left the latest message, and which
      // message is at the top of the screen.
      const log = this.#log();
      if (log) this.#noticeScrollUp(log);
      this.#anchor = log && this.#rendered ? this.#topRow(log) : undefined;
      if (data.window === this._window) this.#stepping = false;
      if (data.countsExact && data.counts) {
        const was = this.#countedTotal;
        this.#countedTotal = data.counts.total;
        if (was !== undefined && (!this._atBottom || !data.reachesLatest)) this._unseen += Math.max(0, data.counts.total - was);
      }
      this.#markFirstUnread(data);
      if (this.#draftLoaded !== data.id) {
        this.#draftLoaded = data.id;
        if (!this._draft && data.conversation?.draft) this._draft = data.conversation.draft;
      }
    }
  }

  protected override firstUpdated(): void {
    this.#bindLog();
  }

  /** Long-press opens a message's menu; a pull down at the top of the log loads older messages. */
  #bindLog(): void {
    const log = this.#log();
    if (!log || this.#stopLongPress) return;
    this.#stopLongPress = onLongPress(log, (press) => this.#openMenuFor(press));
    log.addEventListener('pointerdown', (e) => {
      this.#pullFrom = e.pointerType !== 'mouse' && log.scrollTop <= 0 ? e.clientY : undefined;
    });
    log.addEventListener('pointermove', (e) => {
      if (this.#pullFrom !== undefined && e.clientY - this.#pullFrom > PULL_PX) {
        this.#pullFrom = undefined;
        this.#pullEarlier();
      }
    });
    log.addEventListener('pointerup', () => (this.#pullFrom = undefined));
  }

  protected override updated(): void {
    if (!this.#stopLongPress) this.#bindLog();
    const data = this.#data;
    const kit = this.ck;
    const log = this.#log();
    if (log && data && data !== this.#rendered) {
      const prev = this.#rendered;
      this.#rendered = data;
      const last = data.rows[data.rows.length - 1];
      const ownNew = !!last?.own && last.id !== prev?.rows[prev.rows.length - 1]?.id && data.reachesLatest;
      if (!prev || ownNew || (this.#stick && data.reachesLatest)) {
        this.#toLatest(log);
        this.#stick = true;
        this._atBottom = true;
        this._unseen = 0;
      } else if (this.#anchor) {
        const row = log.querySelector<HTMLElement>(`[data-id="${CSS.escape(this.#anchor.id)}"]`);
        if (row) log.scrollTop += row.getBoundingClientRect().top - log.getBoundingClientRect().top - this.#anchor.offset;
      }
      this.#anchor = undefined;
      // A jump lands before the edge check, which would otherwise step away from the target.
      this.#revealTarget(log, data);
      // A short window may not fill the screen: keep stepping until it does or the store ends.
      this.#onScroll();
    }
    if (log && data) {
      this.#revealTarget(log, data);
      this.#applyHighlight(log);
      this.#watchTyping(data);
      if (!data.countsExact) this.#count();
    }
    if (!kit || !data || !this.conversation) return;
    const seen = isSeen();
    this.#setViewing(seen ? this.conversation : undefined);
    const lastPeer = [...data.rows].reverse().find((m) => !m.own && m.kind !== 'system');
    const unreported = data.reachesLatest && lastPeer && lastPeer.state !== 'read' && lastPeer.id !== this.#reported;
    if (seen && ((data.conversation?.unread ?? 0) > 0 || unreported)) {
      this.#reported = lastPeer?.id;
      void kit.markRead(this.conversation);
    }
    // A conversation with little stored history (a new device) fills from the archive at once.
    if (
      this.#autoLoaded !== this.conversation &&
      !data.hasOlder &&
      data.reachesLatest &&
      data.rows.length < INITIAL &&
      data.conversation &&
      !data.conversation.historyComplete &&
      kit.status === 'online'
    ) {
      this.#autoLoaded = this.conversation;
      void this.#loadEarlier();
    }
    // Last seen: asked once each time the peer is seen offline (not on every render).
    const offline = data.conversation?.type !== 'group' && (!data.presence || data.presence.show === 'offline');
    const lastSeenKey = offline ? `${this.conversation}\n${kit.status}` : undefined;
    if (lastSeenKey && lastSeenKey !== this.#lastSeenAsked && kit.status === 'online') kit.requestLastSeen([kit.userIdOf(this.conversation)]);
    this.#lastSeenAsked = lastSeenKey;
    const missing = [...new Set([kit.userIdOf(this.conversation), ...data.rows.filter((m) => !m.own).map((m) => m.from)])].filter(
      (id) => !data.profiles.has(id),
    );
    if (missing.length) kit.requestProfiles(missing);
  }

  override render() {
    if (!this.conversation) {
      return html`<slot name="empty"><p class="empty">${this.t('view.empty')}</p></slot>`;
    }
    const data = this.#data;
    const kit = this.ck;
    const peer = kit?.userIdOf(this.conversation) ?? this.conversation;
    const profile = data?.profiles.get(peer);
    const group = data?.conversation?.type === 'group';
    const name = group ? (data?.conversation?.name ?? this.conversation) : displayName(peer, profile, data?.contact);
    const showJump = !!data && (!this._atBottom || !data.reachesLatest);
    const closed = !!(data?.conversation?.left || data?.conversation?.invitePending);
    const recording = !!this.#voice.state;
    return html`
      <header part="header">
        <slot name="header-start"></slot>
        <span class="profile-link" @click=${() => !group && this.#openProfile(peer)}
          >${avatar(peer, name, group ? undefined : profile, group ? undefined : data?.presence)}</span
        >
        <span class="heading">
          <span part="title" class="title" dir="auto" @click=${() => !group && this.#openProfile(peer)}
            >${name ?? html`<span class="placeholder" role="img" aria-label=${this.t('profile.loading')}></span>`}</span
          >
          ${!group && data?.presence
            ? html`<span part="status" class="status" dir="auto">${presenceText(data.presence, kit?.locale ?? 'en')}</span>`
            : nothing}
          ${group && data?.conversation?.subject
            ? html`<span part="status" class="status" dir="auto" title=${this.t('group.subject')}>${data.conversation.subject}</span>`
            : nothing}
        </span>
        <slot name="header-actions"></slot>
        ${!group && kit && data ? this.#blockButton(peer, isBlockedId(data.hidden, peer)) : nothing}
        ${group && data && !data.conversation?.left && !data.conversation?.invitePending
          ? html`<button
                part="members-button"
                class="header-button"
                type="button"
                aria-expanded=${this._showMembers ? 'true' : 'false'}
                aria-controls="details"
                @click=${() => (this._showMembers = !this._showMembers)}
              >
                ${this.t('members.label')}
              </button>
              <button part="leave-button" class="header-button" type="button" @click=${() => this.#leave()}>${this.t('group.leave')}</button>`
          : nothing}
      </header>
      ${this.#banner()} ${data?.conversation ? this.#groupBanner(data.conversation) : nothing}
      ${kit?.storage === 'memory' && kit.options.storage !== 'memory'
        ? html`<div part="banner" class="banner" data-status="storage" role="status">${this.t('view.memoryOnly')}</div>`
        : nothing}
      ${group && this._showMembers
        ? html`<aside part="details" id="details" class="details"><ck-members .kit=${this.kit} conversation=${this.conversation}></ck-members></aside>`
        : nothing}
      <div class="log-wrap">
        <div
          part="log"
          class="log"
          role="log"
          aria-live="polite"
          aria-label=${this.t('view.log')}
          tabindex="0"
          @scroll=${this.#onScrollEvent}
          @contextmenu=${this.#onContextMenu}
        >
          ${data ? this.#messages(data) : nothing}
        </div>
        ${this.#messageMenu(data)}
        ${this._loading
          ? html`<div part="loading" class="loading" role="status" aria-label=${this.t('view.loadEarlier')}><span class="spinner"></span></div>`
          : nothing}
        ${showJump
          ? html`<button part="jump-button" class="jump" type="button" aria-label=${this.t('view.jumpLatest')} @click=${() => this.scrollToLatest()}>
              ${this._unseen > 0 ? html`<span>${this.t('view.newMessages', { count: this._unseen })}</span>` : nothing}${icons.down}
            </button>`
          : nothing}
        ${this._dropping && !closed
          ? html`<div part="drop-zone" class="drop-zone"><span>${composerIcons.attach}${this.t('composer.drop')}</span></div>`
          : nothing}
        ${this._notice ? html`<div part="notice" class="notice" role="status">${this._notice}</div>` : nothing}
      </div>
      ${this.#typingLine(data)} ${this.#composeBar()}
      ${this._composerError
        ? html`<div part="composer-error" class="composer-error" role="alert">
            <span>${this._composerError}</span>
            <button type="button" class="icon-button" aria-label=${this.t('composer.dismiss')} title=${this.t('composer.dismiss')} @click=${() => (this._composerError = null)}>
              ${icons.close}
            </button>
          </div>`
        : nothing}
      ${this.#mentionPicker(data)}
      <form part="composer" @submit=${this.#onSubmit} @keydown=${this.#voice.onKey}>
        ${recording ? nothing : this.#composerTools(closed)} ${this.#voice.strip()}
        <textarea
          part="input"
          rows="1"
          aria-label=${this.t('view.input')}
          placeholder=${this.t('view.placeholder')}
          ?disabled=${closed}
          ?hidden=${recording}
          aria-autocomplete=${group ? 'list' : nothing}
          aria-controls=${this._mention ? 'mentions' : nothing}
          .value=${live(this._draft)}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
          @paste=${this.#onPaste}
          @blur=${() => this.#stopTyping()}
        ></textarea>
        <slot name="composer-actions"></slot>
        ${canRecord() && !closed && this._mode?.kind !== 'edit' ? this.#voice.button() : nothing}
        ${recording
          ? nothing
          : html`<button
              part="send-button"
              class="send"
              type="submit"
              aria-label=${this.t(this._mode?.kind === 'edit' ? 'composer.save' : 'view.send')}
              ?disabled=${this._draft.trim() === ''}
            >
              ${this._mode?.kind === 'edit' ? composerIcons.save : icons.send}
            </button>`}
      </form>
      <slot name="footer"></slot>
      ${this._image ? imageViewer(this._image, { t: (key, params) => this.t(key, params), close: () => this.#closeImage() }) : nothing}
    `;
  }

  #messages(data: ViewData) {
    if (data.rows.length === 0) return html`<p class="empty">${this.t('view.noMessages')}</p>`;
    const kit = this.ck;
    const locale = kit?.locale ?? 'en';
    const now = Date.now();
    const group = data.conversation?.type === 'group';
    const firstUnread = this.#firstUnread?.conversation === data.id ? this.#firstUnread.id : undefined;
    const ctx = this.#rowContext(data, () => ({
      locale,
      t: (key, params) => this.t(key, params),
      resend: (id) => void kit?.resend(id),
      remove: (id) => void kit?.deleteMessage(id),
      nameOf: (id) => (id === kit?.clientId ? this.t('members.you') : (displayName(id, data.profiles.get(id)) ?? id)),
      maxChars: kit?.options.maxDisplayChars ?? MAX_RENDER_CHARS,
      expanded: this.#expanded,
      expand: (id) => {
        this.#expanded.add(id);
        this.requestUpdate();
      },
      selfUri: kit?.clientId ? kit.mentionUri(kit.clientId) : undefined,
      cancelUpload: (id) => this.#run(() => kit!.cancelUpload(id)),
      jumpTo: (target) => void this.#jumpTo(target),
      toggleReaction: (id, emoji) => this.#run(() => kit!.react(id, emoji)),
      openImage: (m) => this.#openImage(m),
      selfId: kit?.clientId ?? undefined,
      renderCustom: (m) => this.#renderCustom(m),
      renderLocation: this.#locationRenderer(),
    }));
    const counts = data.counts;
    const items = data.rows.map((m, i) => ({ m, i, prev: i > 0 ? data.rows[i - 1] : undefined }));
    return repeat(
      items,
      ({ m }) => m.id,
      ({ m, i, prev }) => {
        // The window's first row always gets its day line: dropping it when older rows come
        // in above is then a change above the anchor, which the scroll restore absorbs.
        const day = !prev || !isSameDay(prev.ts, m.ts);
        const sender =
          group && !m.own && m.kind !== 'system' && prev?.from !== m.from
            ? (displayName(m.from, data.profiles.get(m.from)) ?? m.from)
            : undefined;
        const dayLabel = day ? formatDaySeparator(m.ts, now, locale) : '';
        const pos = counts ? counts.before + i + 1 : undefined;
        const unread = m.id === firstUnread;
        // A window step keeps most rows: one whose inputs are all the same is not rendered again.
        // Fixed slots (day, unread line, row): separators coming and going never re-create the row.
        return guard(
          [m, pos, counts?.total, sender, dayLabel, unread, this.#expanded.has(m.id), ctx],
          () =>
            html`${dayLabel ? html`<div part="day" class="day" role="separator">${dayLabel}</div>` : nothing}${unread
              ? html`<div part="unread-separator" class="unread-separator" role="separator">${this.t('view.unreadSeparator')}</div>`
              : nothing}${messageRow(m, pos, counts?.total, { ...ctx, sender })}`,
        );
      },
    );
  }

  /**
   * The rows' shared context, the same object while what it reads is the same (locale, the
   * profiles shown, options, registered types), so unchanged rows keep their `guard`.
   */
  #rowContext(data: ViewData, make: () => RowContext): RowContext {
    const kit = this.ck;
    const key = [kit, kit?.locale, kit?.clientId, data.profiles, kit?.options, kit?.messageTypes?.all().length];
    const last = this.#rowCtx;
    if (last && last.key.length === key.length && last.key.every((k, i) => k === key[i])) return last.ctx;
    const ctx = make();
    this.#rowCtx = { key, ctx };
    return ctx;
  }

  #onContextMenu = (e: MouseEvent): void => {
    if (this.#openMenuFor({ path: e.composedPath(), x: e.clientX, y: e.clientY })) e.preventDefault();
  };

  /** Opens the menu of the message the press was on; false when there is none. */
  #openMenuFor({ path, x, y }: Press): boolean {
    const row = path.find((el): el is HTMLElement => el instanceof HTMLElement && !!el.dataset.id && el.getAttribute('part') === 'message');
    const wrap = this.renderRoot.querySelector<HTMLElement>('.log-wrap');
    if (!row || !wrap) return false;
    const box = wrap.getBoundingClientRect();
    const open = { id: row.dataset.id!, x: Math.max(0, Math.min(x - box.left, box.width - 180)), y: Math.max(0, y - box.top) };
    this._menu = open;
    void this.updateComplete.then(() => {
      // Now that the menu has its size: keep it inside the log.
      const menu = this.renderRoot.querySelector<HTMLElement>('[part=message-menu]');
      if (menu && this._menu === open) {
        const size = menu.getBoundingClientRect();
        const fit = { ...open, x: Math.max(0, Math.min(open.x, box.width - size.width)), y: Math.max(0, Math.min(open.y, box.height - size.height)) };
        if (fit.x !== open.x || fit.y !== open.y) this._menu = fit;
      }
      menu?.querySelector<HTMLElement>('[role^=menuitem]')?.focus();
    });
    return true;
  }

  #closeMenu(): void {
    this._menu = null;
  }

  /** Reactions, reply, edit, copy, recall, resend, delete and the integrator's items for one message (right click or long press). */
  #messageMenu(data: ViewData | undefined) {
    const open = this._menu;
    const m = open && data?.rows.find((r) => r.id === open.id);
    if (!open || !m) return nothing;
    const kit = this.ck;
    const act = (fn: () => unknown, back = true) => () => {
      this.#closeMenu();
      // Focus was on the item just removed: back to the message (reply and edit go to the composer).
      if (back) this.#refocusRow(m.id);
      void Promise.resolve()
        .then(fn)
        .catch((err: unknown) => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
    };
    return html`<div class="menu-backdrop" @click=${() => this.#closeMenu()} @contextmenu=${(e: Event) => (e.preventDefault(), this.#closeMenu())}></div>
      <div
        part="message-menu"
        class="menu"
        role="menu"
        aria-label=${this.t('view.messageMenu')}
        ${cssProps({ insetInlineStart: `${open.x}px`, insetBlockStart: `${open.y}px` })}
        @keydown=${(e: KeyboardEvent) => this.#onMenuKey(e)}
        @contextmenu=${(e: Event) => e.preventDefault()}
      >
        ${menuItems(m, {
          t: (key, params) => this.t(key, params),
          selfId: kit?.clientId ?? undefined,
          reactions: quickReactions(kit?.options.reactions),
          confirmingRecall: !!open.confirm,
          actions: this.#integratorActions(m),
          react: (emoji) => act(() => kit && kit.react(m.id, emoji))(),
          reply: act(() => this.#startReply(m), false),
          edit: act(() => this.#startEdit(m), false),
          copy: act(() => navigator.clipboard?.writeText(m.body)),
          recall: () => this.#askRecall(),
          confirmRecall: act(() => kit && kit.recall(m.id)),
          cancelRecall: () => {
            this.#closeMenu();
            this.#refocusRow(m.id);
          },
          resend: act(() => kit?.resend(m.id)),
          remove: act(() => kit?.deleteMessage(m.id)),
          run: (action) => act(() => action.run(m))(),
        })}
      </div>`;
  }

  /** The integrator's menu items for a message; a hook that throws adds none (and says why). */
  #integratorActions(m: MessageRecord): MessageAction[] {
    const hook = this.ck?.options.messageActions;
    if (!hook) return [];
    try {
      const list = hook(m);
      return Array.isArray(list) ? list.filter((a) => a && typeof a.id === 'string' && typeof a.run === 'function') : [];
    } catch (err) {
      queueMicrotask(() => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
      return [];
    }
  }

  /** Recall asks once more, in the menu itself. */
  #askRecall(): void {
    if (!this._menu) return;
    this._menu = { ...this._menu, confirm: true };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part=message-menu] [data-action=recall-confirm]')?.focus());
  }

  #onMenuKey(e: KeyboardEvent): void {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('[part=message-menu] [role^=menuitem]')];
    const i = items.indexOf(e.composedPath()[0] as HTMLElement);
    const rtl = getComputedStyle(this).direction === 'rtl';
    const forward = e.key === 'ArrowDown' || e.key === (rtl ? 'ArrowLeft' : 'ArrowRight');
    const backward = e.key === 'ArrowUp' || e.key === (rtl ? 'ArrowRight' : 'ArrowLeft');
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      const id = this._menu?.id;
      this.#closeMenu();
      void this.updateComplete.then(() => this.#rows.focusMessage(id));
    } else if (forward || backward) {
      e.preventDefault();
      items[(i + (forward ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
  }

  // ---- Keyboard access to messages (roving focus in row-focus.ts) ----

  #rowExtent(): RowExtent {
    const data = this.#data;
    if (!data) return { newer: false, busy: true };
    return { newer: !data.reachesLatest, busy: this.#stepping || this._loading || data.window !== this._window };
  }

  /** The window one step newer (focus moving down past the last row shown). */
  #pullLater(): void {
    const data = this.#data;
    const db = this.ck?.db;
    if (data && db && this.conversation && !data.reachesLatest) this.#step(newerWindow(db, this.conversation, data, data.hidden));
  }

  #describeRow(id: string): { label: string; shortcuts: string } | undefined {
    const data = this.#data;
    const kit = this.ck;
    const m = data?.rows.find((r) => r.id === id);
    if (!data || !m) return undefined;
    const peer = this.conversation && kit ? kit.userIdOf(this.conversation) : undefined;
    const label = rowLabel(m, {
      t: (key, params) => this.t(key, params),
      locale: kit?.locale ?? 'en',
      now: Date.now(),
      nameOf: (uid) => (uid === kit?.clientId ? this.t('members.you') : (displayName(uid, data.profiles.get(uid), uid === peer ? data.contact : undefined) ?? uid)),
    });
    if (m.kind === 'system') return { label, shortcuts: '' };
    const keys = ['Enter', 'ContextMenu', 'Shift+F10', ...(canReply(m) ? ['R'] : []), ...(canEdit(m) ? ['E'] : [])];
    return { label, shortcuts: keys.join(' ') };
  }

  /** Keys on a focused message: its menu, and R / E for reply and edit. */
  #onRowKey(row: HTMLElement, e: KeyboardEvent): boolean {
    const data = this.#data;
    const m = data?.rows.find((r) => r.id === row.dataset.id);
    if (!m) return false;
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) return this.#openMenuAtRow(row);
    if (e.shiftKey || e.repeat || data?.conversation?.left || data?.conversation?.invitePending) return false;
    const key = e.key.toLowerCase();
    if (key === 'r' && canReply(m)) {
      this.#startReply(m);
      return true;
    }
    if (key === 'e' && canEdit(m)) {
      this.#startEdit(m);
      return true;
    }
    return false;
  }

  /** The menu of a focused message, opened under its bubble (on the bubble's side of the log). */
  #openMenuAtRow(row: HTMLElement): boolean {
    const bubble = row.querySelector<HTMLElement>('[part=bubble]') ?? row;
    const r = bubble.getBoundingClientRect();
    const rtl = getComputedStyle(this).direction === 'rtl';
    const atEnd = row.classList.contains('own') !== rtl;
    return this.#openMenuFor({ path: [row], x: atEnd ? r.right - 200 : r.left, y: r.bottom + 4 });
  }

  /** After a menu item ran: if focus was lost with the menu, the message gets it back. */
  #refocusRow(id: string): void {
    void this.updateComplete.then(() => {
      if (!(this.renderRoot as ShadowRoot).activeElement) this.#rows.focusMessage(id);
    });
  }

  /** A pull down at the top: older messages from the store, else from the archive. */
  #pullEarlier(): void {
    const data = this.#data;
    const db = this.ck?.db;
    if (!data || !db || !this.conversation) return;
    if (data.hasOlder) this.#step(olderWindow(db, this.conversation, data, this._window, data.hidden));
    else if (!data.conversation?.historyComplete) void this.#loadEarlier();
  }

  /** An invitation waiting for an answer, or a group the user is no longer in. */
  #groupBanner(c: ConversationRecord) {
    if (c.type !== 'group') return nothing;
    const data = this.#data;
    const nameOf = (id: string) => displayName(id, data?.profiles.get(id)) ?? id;
    if (c.invitePending) {
      return html`<div part="banner" class="banner" data-status="invite" role="status">
        <span>${this.t('group.invitePending', { actor: c.invitedBy ? nameOf(this.ck?.userIdOf(c.invitedBy) ?? c.invitedBy) : '' })}</span>
        <button type="button" @click=${() => this.#run(() => this.ck!.acceptInvite(c.id))}>${this.t('group.accept')}</button>
        <button type="button" @click=${() => this.#run(() => this.ck!.declineInvite(c.id))}>${this.t('group.decline')}</button>
      </div>`;
    }
    if (c.left) {
      const reason = c.leftReason === 'kicked' || c.leftReason === 'destroyed' ? c.leftReason : 'left';
      return html`<div part="banner" class="banner" data-status="left" role="status">${this.t(`group.${reason}`)}</div>`;
    }
    return nothing;
  }

  #leave(): void {
    const id = this.conversation;
    if (id) this.#run(() => this.ck!.leave(id));
  }

  #run(action: () => Promise<unknown>): void {
    if (!this.ck) return;
    action().catch((err: unknown) => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
  }

  /** Members matching the @-mention being typed. */
  #mentionCandidates(data: ViewData | undefined): MemberRecord[] {
    const m = this._mention;
    const kit = this.ck;
    if (!m || !data || data.conversation?.type !== 'group') return [];
    const q = m.query.toLowerCase();
    return data.members
      .filter((x) => x.userId !== kit?.clientId)
      .filter((x) => {
        const name = displayName(x.userId, data.profiles.get(x.userId)) ?? x.userId;
        return !q || name.toLowerCase().includes(q) || x.userId.toLowerCase().startsWith(q);
      })
      .slice(0, 8);
  }

  #mentionPicker(data: ViewData | undefined) {
    const candidates = this.#mentionCandidates(data);
    if (!candidates.length) return nothing;
    const active = Math.min(this._mention?.active ?? 0, candidates.length - 1);
    return html`<ul part="mention-picker" id="mentions" class="mentions" role="listbox" aria-label=${this.t('members.label')}>
      ${candidates.map((c, i) => {
        const name = displayName(c.userId, data?.profiles.get(c.userId)) ?? c.userId;
        return html`<li
          role="option"
          aria-selected=${i === active ? 'true' : 'false'}
          @mousedown=${(e: Event) => {
            e.preventDefault();
            this.#insertMention(c.userId, name);
          }}
        >
          ${avatar(c.userId, name, data?.profiles.get(c.userId))}<span dir="auto">${name}</span>
        </li>`;
      })}
    </ul>`;
  }

  #onInput = (e: InputEvent): void => {
    const area = e.target as HTMLTextAreaElement;
    this._draft = area.value;
    // An '@' at a word start, followed by no whitespace, up to the caret: a mention being typed.
    const before = area.value.slice(0, area.selectionStart ?? area.value.length);
    const match = /(^|\s)@([^\s@]{0,32})$/u.exec(before);
    this._mention = match && this.#data?.conversation?.type === 'group' ? { at: before.length - match[2]!.length - 1, query: match[2]!, active: 0 } : null;
    // The text being corrected is not the draft.
    if (this._mode?.kind !== 'edit') this.#saveDraftSoon();
    if (area.value.trim()) this.#reportTyping();
    else this.#stopTyping();
  };

  #insertMention(userId: string, name: string): void {
    const m = this._mention;
    const kit = this.ck;
    if (!m || !kit) return;
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    const caret = area?.selectionStart ?? this._draft.length;
    const label = `@${name}`;
    const text = `${this._draft.slice(0, m.at)}${label} ${this._draft.slice(caret)}`;
    const begin = [...this._draft.slice(0, m.at)].length;
    this.#mentions.push({ begin, end: begin + [...label].length, uri: kit.mentionUri(userId) });
    this._draft = text;
    this._mention = null;
    void this.updateComplete.then(() => {
      const pos = m.at + label.length + 1;
      area?.focus();
      area?.setSelectionRange(pos, pos);
    });
    this.#saveDraftSoon();
  }

  /** Mentions whose text is still where it was inserted (editing may have moved or broken them). */
  #validMentions(text: string): Mention[] {
    const points = [...text];
    return this.#mentions.filter((m) => {
      const span = points.slice(m.begin, m.end).join('');
      return span.startsWith('@') && span.length > 1;
    });
  }

  #saveDraftSoon(): void {
    clearTimeout(this.#draftTimer);
    const id = this.conversation;
    this.#draftTimer = setTimeout(() => {
      // While an edit is open, the composer holds the correction; the draft waits in the stash.
      const draft = this._mode?.kind === 'edit' ? this._mode.stash : this._draft;
      if (id && id === this.conversation) void this.ck?.setDraft(id, draft).catch(() => undefined);
    }, 400);
  }

  #saveDraftNow(id: string | null | undefined): void {
    clearTimeout(this.#draftTimer);
    // Leaving a conversation keeps what was typed in it.
    if (id && this.#draftLoaded === id) void this.ck?.setDraft(id, this._draft).catch(() => undefined);
    this.#draftLoaded = null;
  }

  #blockButton(peer: string, blocked: boolean) {
    const label = this.t(blocked ? 'contact.unblock' : 'contact.block');
    return html`<button part="block-button" class="header-button" type="button" aria-pressed=${blocked ? 'true' : 'false'} @click=${() => this.#toggleBlock(peer, blocked)}>
      ${label}
    </button>`;
  }

  async #toggleBlock(peer: string, blocked: boolean): Promise<void> {
    const kit = this.ck;
    if (!kit) return;
    try {
      await (blocked ? kit.unblock(peer) : kit.block(peer));
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  }

  /** Remembers where "New messages" goes when a conversation opens with unread ones. */
  #markFirstUnread(data: ViewData): void {
    if (this.#firstUnread?.conversation === data.id || !data.id || !data.conversation) return;
    let unread = data.conversation.unread;
    let id: string | undefined;
    for (let i = data.rows.length - 1; i >= 0 && unread > 0; i--) {
      const m = data.rows[i]!;
      if (!m.own && m.kind !== 'system') {
        id = m.id;
        unread--;
      }
    }
    this.#firstUnread = { conversation: data.id, id };
  }

  #topRow(log: HTMLElement): Anchor | undefined {
    const top = log.getBoundingClientRect().top;
    for (const el of log.querySelectorAll<HTMLElement>('[data-id]')) {
      const r = el.getBoundingClientRect();
      if (r.bottom > top) return { id: el.dataset.id!, offset: r.top - top };
    }
    return undefined;
  }

  #banner() {
    const status = this.ck?.status ?? 'offline';
    // "Offline" is news only after a connection was tried (not for a store opened to paint).
    if (status === 'offline' && !this.#triedConnect) return nothing;
    if (status === 'online') {
      return this._backOnline
        ? html`<div part="banner" class="banner" data-status="online" role="status">${this.t('status.online')}</div>`
        : nothing;
    }
    return html`<div part="banner" class="banner" data-status=${status} role="status">
      <span>${this.t(`status.${status}`)}</span>
      ${status === 'reconnecting'
        ? html`<button type="button" @click=${() => this.ck?.reconnectNow()}>${this.t('status.retry')}</button>`
        : nothing}
    </div>`;
  }

  #trackStatus(): void {
    const status = this.ck?.status;
    if (status === this.#lastStatus) return;
    const wasDown = this.#lastStatus === 'reconnecting';
    this.#lastStatus = status;
    if (status && status !== 'offline') this.#triedConnect = true;
    clearTimeout(this.#backOnlineTimer);
    this._backOnline = status === 'online' && wasDown;
    if (this._backOnline) this.#backOnlineTimer = setTimeout(() => (this._backOnline = false), BACK_ONLINE_MS);
  }

  #log(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.log') ?? null;
  }

  #onScrollEvent = (): void => {
    if (this.#scrollFrame) return;
    this.#scrollFrame = requestAnimationFrame(() => {
      this.#scrollFrame = 0;
      this.#onScroll();
    });
  };

  /** Tracks "at the bottom" and steps the window when the reader nears one of its ends. */
  #onScroll(): void {
    const log = this.#log();
    const data = this.#data;
    const db = this.ck?.db;
    // A log without a size (hidden, or taken out of the page) has no edges to be near: stepping
    // there would page back and forth through the store for as long as the element lives.
    if (!log || !log.clientHeight || !data || !db || !this.conversation) return;
    const below = fromBottom(log);
    // Until the requested window is rendered, the DOM shows the old one: judge nothing by it.
    // (The live data can be a frame ahead of the DOM.)
    const shown = this.#rendered?.window === this._window;
    // Scrolling away from the bottom stops following new messages at once, even while a
    // step is being read: a stale "stick" would pull a reader who scrolled up back down when
    // a message arrives. (Not while another window is on its way, e.g. after "jump to latest".)
    if (below > STICK_PX && shown) {
      this.#stick = false;
      if (this._atBottom) this._atBottom = false;
    }
    if (this.#stepping || !shown) return;
    const atBottom = below <= STICK_PX;
    this.#stick = atBottom && data.reachesLatest;
    if (this.#stick) this.#followTop = log.scrollTop;
    if (atBottom !== this._atBottom) this._atBottom = atBottom;
    if (this.#stick && this._unseen) this._unseen = 0;
    const id = this.conversation;
    if (log.scrollTop < EDGE_PX) {
      if (data.hasOlder) {
        this.#step(olderWindow(db, id, data, this._window, data.hidden));
        return;
      }
      if (!data.conversation?.historyComplete && log.scrollTop < STICK_PX * 2) void this.#loadEarlier();
    }
    if (below < EDGE_PX && !data.reachesLatest) this.#step(newerWindow(db, id, data, data.hidden));
  }

  /** Shows the newest message, remembering where the log then stands (see #noticeScrollUp). */
  #toLatest(log: HTMLElement): void {
    log.scrollTop = log.scrollHeight;
    this.#followTop = log.scrollTop;
  }

  /**
   * Stops following new messages when the reader has scrolled up from where the log last
   * followed them. The scroll handler learns of it only at the next frame (later on a busy
   * page); a store result rendered before then must not pull the reader back to the bottom.
   */
  #noticeScrollUp(log: HTMLElement): void {
    if (!this.#stick || this.#rendered?.window !== this._window) return;
    if (fromBottom(log) > STICK_PX && log.scrollTop < this.#followTop - 1) {
      this.#stick = false;
      this._atBottom = false;
    }
  }

  #step(next: Promise<Step | null>): void {
    this.#stepping = true;
    const conversation = this.conversation;
    const from = this.#data;
    next
      .then((s) => {
        if (s && from && conversation === this.conversation && !sameWindow(s.window, this._window)) {
          const counts = carryCounts(from, s.data);
          this.#stepped = { window: s.window, rows: s.data, counts, exact: !!counts && from.countsExact };
          this._window = s.window;
        } else this.#stepping = false;
      })
      .catch(() => (this.#stepping = false));
  }

  /** Pages older messages in from the server archive, once at a time. */
  async #loadEarlier(): Promise<void> {
    const kit = this.ck;
    const id = this.conversation;
    if (!kit || !id || this._loading || kit.status !== 'online') return;
    this._loading = true;
    try {
      const added = await kit.loadEarlier(id);
      // The older messages are in the store now: step the window onto them.
      if (added > 0 && this.conversation === id) this.#onScroll();
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    } finally {
      this._loading = false;
    }
  }

  #onKeydown = (e: KeyboardEvent): void => {
    const candidates = this.#mentionCandidates(this.#data);
    if (this._mention && candidates.length) {
      const active = Math.min(this._mention.active, candidates.length - 1);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = (active + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length;
        this._mention = { ...this._mention, active: next };
        return;
      }
      if ((e.key === 'Enter' && !e.isComposing) || e.key === 'Tab') {
        e.preventDefault();
        const c = candidates[active]!;
        this.#insertMention(c.userId, displayName(c.userId, this.#data?.profiles.get(c.userId)) ?? c.userId);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        this._mention = null;
        return;
      }
    }
    if (e.key === 'Escape' && this._mode) {
      e.preventDefault();
      this.#cancelMode();
      return;
    }
    if (e.key === 'ArrowUp' && this._draft === '' && !this._mode && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      void this.#editLast();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void this.#send();
    }
  };

  #onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    void this.#send();
  };

  async #send(): Promise<void> {
    const kit = this.ck;
    const text = this._draft;
    if (!kit || !this.conversation || text.trim() === '') return;
    if (this._mode?.kind === 'edit') return this.#saveEdit(this._mode);
    const id = this.conversation;
    const mentions = this.#validMentions(text);
    const mode = this._mode;
    const replyTo = mode?.kind === 'reply' ? mode.message.id : undefined;
    this._draft = '';
    this.#mentions = [];
    this._mention = null;
    this._mode = null;
    clearTimeout(this.#draftTimer);
    this.#stopTyping();
    // Sending shows the newest messages, wherever the reader was.
    this.scrollToLatest();
    try {
      await kit.send(id, text, { ...(mentions.length ? { mentions } : {}), ...(replyTo ? { replyTo } : {}) });
      void kit.setDraft(id, '').catch(() => undefined);
    } catch (err) {
      // Nothing was queued: give the text back rather than lose it.
      this._draft = text;
      this.#mentions = mentions;
      if (id === this.conversation && !this._mode) this._mode = mode;
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  }

  // ---- Rich messages: composer modes, attachments, voice, location, custom types ----

  /** The reply or edit bar above the input. */
  #composeBar() {
    const mode = this._mode;
    const kit = this.ck;
    if (!mode || !kit) return nothing;
    const m = mode.message;
    return composeBar({
      kind: mode.kind,
      message: m,
      author: m.own ? this.t('members.you') : (displayName(m.from, this.#data?.profiles.get(m.from)) ?? m.from),
      types: kit.messageTypes,
      t: (key, params) => this.t(key, params),
      cancel: () => this.#cancelMode(),
    });
  }

  #focusInput(caretAtEnd = false): void {
    void this.updateComplete.then(() => {
      const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
      area?.focus();
      if (area && caretAtEnd) area.setSelectionRange(area.value.length, area.value.length);
    });
  }

  #startReply(m: MessageRecord): void {
    if (this._mode?.kind === 'edit') this._draft = this._mode.stash;
    this._mode = { kind: 'reply', message: m };
    this.#focusInput();
  }

  #startEdit(m: MessageRecord): void {
    if (!canEdit(m)) return;
    const stash = this._mode?.kind === 'edit' ? this._mode.stash : this._draft;
    this._mode = { kind: 'edit', message: m, stash };
    this._draft = m.body;
    this.#mentions = [];
    this._mention = null;
    this.#focusInput(true);
  }

  #cancelMode(): void {
    if (this._mode?.kind === 'edit') this._draft = this._mode.stash;
    this._mode = null;
    this.#focusInput();
  }

  async #saveEdit(mode: Extract<ComposeMode, { kind: 'edit' }>): Promise<void> {
    const kit = this.ck;
    const text = this._draft;
    if (!kit) return;
    this._mode = null;
    this._draft = mode.stash;
    this.#stopTyping();
    if (text === mode.message.body) return;
    try {
      await kit.edit(mode.message.id, text);
    } catch (err) {
      // Nothing changed: keep the correction in the composer to try again.
      if (!this._mode) {
        this._mode = mode;
        this._draft = text;
      }
      this.#fail(err);
    }
  }

  /** ArrowUp in an empty composer: correct the user's last own text message. */
  async #editLast(): Promise<void> {
    const db = this.ck?.db;
    const id = this.conversation;
    const data = this.#data;
    if (!db || !id || !data) return;
    let last = data.reachesLatest ? [...data.rows].reverse().find((m) => m.own && m.kind !== 'system') : undefined;
    if (!last) {
      last = await db.messages
        .where('[conversationId+ts+seq]')
        .between([id, -Infinity, -Infinity], [id, Infinity, Infinity])
        .reverse()
        .filter((m) => m.own && m.kind !== 'system')
        .first();
    }
    if (last && canEdit(last) && id === this.conversation && !this._mode && this._draft === '') this.#startEdit(last);
  }

  /** The reply being written, if any (sending ends it). */
  #takeReply(): { replyTo?: string } {
    const mode = this._mode;
    if (mode?.kind !== 'reply') return {};
    this._mode = null;
    return { replyTo: mode.message.id };
  }

  /** A failure the composer explains (role=alert), also reported as ck-error. */
  #fail(err: unknown, text?: string): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this._composerError = text ?? this.t('composer.sendFailed', { reason: error.message });
    this.dispatchEvent(new CkErrorEvent(error));
  }

  #composerTools(closed: boolean) {
    const kit = this.ck;
    const custom = (kit ? (kit.messageTypes?.all() ?? []) : []).filter((d) => !!d.composer);
    return html`<span class="tools">
      <button
        part="attach-button"
        class="icon-button"
        type="button"
        aria-label=${this.t('composer.attach')}
        title=${this.t('composer.attach')}
        ?disabled=${closed}
        @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}
      >
        ${composerIcons.attach}
      </button>
      <input type="file" multiple hidden tabindex="-1" aria-hidden="true" @change=${this.#onFilesChosen} />
      ${typeof navigator !== 'undefined' && 'geolocation' in navigator
        ? html`<button
            part="location-button"
            class="icon-button"
            type="button"
            aria-label=${this.t('composer.location')}
            title=${this.t('composer.location')}
            aria-busy=${this._locating ? 'true' : 'false'}
            ?disabled=${closed || this._locating}
            @click=${() => this.#shareLocation()}
          >
            ${composerIcons.location}
          </button>`
        : nothing}
      ${custom.map(
        (d) => html`<button
          part="custom-button"
          class="icon-button"
          type="button"
          data-type=${d.type}
          aria-label=${d.composer!.label}
          title=${d.composer!.label}
          ?disabled=${closed}
          @click=${() => void this.#composeCustom(d)}
        >
          ${d.composer!.icon ?? html`<span class="custom-label">${d.composer!.label}</span>`}
        </button>`,
      )}
    </span>`;
  }

  #onFilesChosen = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    // The same file can be chosen again next time.
    input.value = '';
    void this.#sendFiles(files);
  };

  #onPaste = (e: ClipboardEvent): void => {
    const files = filesOf(e.clipboardData);
    if (!files.length) return;
    e.preventDefault();
    void this.#sendFiles(files);
  };

  #onDragOver = (e: DragEvent): void => {
    if (!this.conversation || !carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    if (!this._dropping) this._dropping = true;
  };

  #onDragLeave = (e: DragEvent): void => {
    // Moving between the view's own parts is not leaving it.
    const to = e.relatedTarget as Node | null;
    if (to && (to === this || this.contains(to) || this.renderRoot.contains(to))) return;
    this._dropping = false;
  };

  #onDrop = (e: DragEvent): void => {
    this._dropping = false;
    if (!this.conversation || !carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    const data = this.#data;
    if (data?.conversation?.left || data?.conversation?.invitePending) return;
    void this.#sendFiles(filesOf(e.dataTransfer));
  };

  /** Each file goes as its own message, in order; a reply being written answers with all of them. */
  async #sendFiles(files: File[]): Promise<void> {
    const id = this.conversation;
    if (!id || !files.length) return;
    this._composerError = null;
    const reply = this.#takeReply();
    this.scrollToLatest();
    for (const file of files) await this.#sendBlob(id, file, reply, fileName(file, 'file'));
  }

  async #sendBlob(id: string, blob: Blob, options: SendFileOptions, name: string): Promise<void> {
    const kit = this.ck;
    if (!kit) return;
    try {
      await kit.sendFile(id, blob, options);
    } catch (err) {
      const text = await refusalText(err, name, { t: (key, params) => this.t(key, params), locale: kit.locale, limit: () => kit.uploadLimit() });
      if (text !== undefined) this.#fail(err, text);
    }
  }

  #shareLocation(): void {
    const id = this.conversation;
    const kit = this.ck;
    if (!id || !kit || !navigator.geolocation || this._locating) return;
    this._locating = true;
    this._composerError = null;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        this._locating = false;
        if (id !== this.conversation) return;
        const { latitude: lat, longitude: lon, accuracy } = pos.coords;
        const reply = this.#takeReply();
        this.scrollToLatest();
        kit
          .sendLocation(id, { lat, lon, ...(Number.isFinite(accuracy) ? { accuracy: Math.round(accuracy) } : {}) }, reply)
          .catch((err: unknown) => this.#fail(err));
      },
      (err) => {
        this._locating = false;
        // GeolocationPositionError codes: 1 permission denied, 2 unavailable, 3 timeout.
        const key = err.code === 1 ? 'composer.locationDenied' : err.code === 3 ? 'composer.locationTimeout' : 'composer.locationUnavailable';
        this.#fail(new Error(err.message || key), this.t(key));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  }

  /** A custom type's composer button: the type asks for its data, then it is sent. */
  async #composeCustom(def: MessageTypeDefinition): Promise<void> {
    const id = this.conversation;
    const kit = this.ck;
    if (!id || !kit || !def.composer) return;
    try {
      const data = await def.composer.create({ conversationId: id });
      if (data === undefined || id !== this.conversation) return;
      const reply = this.#takeReply();
      this.scrollToLatest();
      await kit.sendCustom(id, def.type, data, reply);
    } catch (err) {
      this.#fail(err);
    }
  }

  // ---- Typing ----

  #reportTyping(): void {
    const kit = this.ck;
    const id = this.conversation;
    if (!kit || !id) return;
    if (this.#typingIn && this.#typingIn !== id) this.#stopTyping();
    this.#typingIn = id;
    this.#setTyping(id, true);
  }

  #stopTyping(): void {
    const id = this.#typingIn;
    this.#typingIn = null;
    if (id) this.#setTyping(id, false);
  }

  #setTyping(id: string, on: boolean): void {
    const kit = this.ck;
    if (!kit) return;
    try {
      kit.setTyping(id, on);
    } catch (err) {
      // A chat state that cannot be sent is not worth interrupting the user for.
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  }

  /** "Bob is typing…" in a polite live region (always present, so its changes are announced). */
  #typingLine(data: ViewData | undefined) {
    const kit = this.ck;
    const typers = data ? activeTypers(data.typing, kit?.clientId, Date.now()) : [];
    const peer = this.conversation && kit ? kit.userIdOf(this.conversation) : undefined;
    const names = typers.map((r) => displayName(r.userId, data?.profiles.get(r.userId), r.userId === peer ? data?.contact : undefined) ?? r.userId);
    return html`<div part="typing" class="typing" role="status" aria-live="polite">${typingText(names, (key, params) => this.t(key, params))}</div>`;
  }

  /** A notice goes stale without any store change: re-render when the first one does. */
  #watchTyping(data: ViewData): void {
    clearTimeout(this.#typingTimer);
    const now = Date.now();
    const wait = nextStale(activeTypers(data.typing, this.ck?.clientId, now), now);
    this.#typingTimer = wait === undefined ? undefined : setTimeout(() => this.requestUpdate(), wait);
  }

  // ---- Jumping to a message, highlight, image viewer, custom and location bubbles ----

  /**
   * Scrolls the log to a message of the conversation shown, loading the part of the log
   * around it when it is not rendered, and highlights it briefly. Resolves false (and
   * says "Original message not available") when the store does not have it.
   */
  async showMessage(messageId: string): Promise<boolean> {
    return this.#jumpTo({ id: messageId, ref: messageId });
  }

  async #jumpTo(target: { id?: string; ref: string }): Promise<boolean> {
    const db = this.ck?.db;
    const cid = this.conversation;
    if (!db || !cid) return false;
    const m = await findOriginal(db, cid, target).catch(() => undefined);
    const data = this.#data;
    if (cid !== this.conversation) return false;
    if (!m || (!m.own && data && isBlockedId(data.hidden, m.from))) {
      this.#notify(this.t('view.originalMissing'));
      return false;
    }
    this.#jumpTarget = m.id;
    this.#stick = false;
    if (data?.rows.some((r) => r.id === m.id)) {
      this.requestUpdate();
      return true;
    }
    const w = await windowAround(db, cid, m, data?.hidden);
    if (cid !== this.conversation || this.#jumpTarget !== m.id) return true;
    this.#stepping = true;
    this._window = w;
    return true;
  }

  /** Once the jumped-to message is rendered: centre it in the log and highlight it. */
  #revealTarget(log: HTMLElement, data: ViewData): void {
    const id = this.#jumpTarget;
    if (!id || data.window !== this._window) return;
    const row = log.querySelector<HTMLElement>(`[role=article][data-id="${CSS.escape(id)}"]`);
    if (!row) return;
    this.#jumpTarget = undefined;
    const r = row.getBoundingClientRect();
    const box = log.getBoundingClientRect();
    log.scrollTop += r.top - box.top - Math.max(0, (log.clientHeight - r.height) / 2);
    this.#stick = false;
    this._atBottom = fromBottom(log) <= STICK_PX;
    this.#highlight = { id, until: Date.now() + HIGHLIGHT_MS };
    clearTimeout(this.#highlightTimer);
    this.#highlightTimer = setTimeout(() => {
      this.#highlight = undefined;
      this.#applyHighlight(this.#log());
    }, HIGHLIGHT_MS);
    this.#applyHighlight(log);
  }

  /** The highlight is set on the row itself (re-applied after renders, which rewrite its class). */
  #applyHighlight(log: HTMLElement | null): void {
    if (!log) return;
    const on = this.#highlight && this.#highlight.until > Date.now() ? this.#highlight.id : undefined;
    for (const el of log.querySelectorAll<HTMLElement>('[role=article].highlight')) {
      if (el.dataset.id !== on) {
        el.classList.remove('highlight');
        el.removeAttribute('aria-current');
      }
    }
    const row = on ? log.querySelector<HTMLElement>(`[role=article][data-id="${CSS.escape(on)}"]`) : null;
    if (row && !row.classList.contains('highlight')) {
      row.classList.add('highlight');
      row.setAttribute('aria-current', 'true');
    }
  }

  #notify(text: string): void {
    this._notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this._notice = null), NOTICE_MS);
  }

  #openImage(m: MessageRecord): void {
    const active = (this.renderRoot as ShadowRoot).activeElement;
    this.#imageReturn = active instanceof HTMLElement ? active : undefined;
    this._image = m;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part=image-viewer] [part=image-close]')?.focus());
  }

  #closeImage(): void {
    const m = this._image;
    this._image = null;
    const back = this.#imageReturn;
    this.#imageReturn = undefined;
    void this.updateComplete.then(() => {
      // The thumbnail may have been re-rendered meanwhile: then its row's first control.
      const target = back?.isConnected
        ? back
        : m
          ? this.renderRoot.querySelector<HTMLElement>(`[role=article][data-id="${CSS.escape(m.id)}"] :is(button, a[href])`)
          : null;
      target?.focus();
    });
  }

  /** A registered type's bubble; undefined (the fallback body) for an unknown type or a renderer that throws. */
  #renderCustom(m: MessageRecord): unknown {
    const c = m.custom;
    const kit = this.ck;
    const def = c && kit ? kit.messageTypes?.get(c.type) : undefined;
    if (!c || !def) return undefined;
    try {
      return def.render(c.data, { message: m });
    } catch (err) {
      queueMicrotask(() => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
      return undefined;
    }
  }

  #locationRenderer(): ((m: MessageRecord) => unknown) | undefined {
    const draw = this.ck?.options.renderLocation;
    if (!draw) return undefined;
    return (m) => {
      if (!m.location) return undefined;
      try {
        return draw(m.location, m);
      } catch {
        return undefined;
      }
    };
  }

  #openProfile(userId: string): void {
    this.dispatchEvent(new CkOpenProfileEvent(userId));
  }

  /** The soft keyboard opening shrinks the log: a reader at the latest message stays there. */
  #onViewport = (): void => {
    if (!this.#stick) return;
    requestAnimationFrame(() => {
      const log = this.#log();
      if (log && this.#stick) this.#toLatest(log);
    });
  };

  #onVisibility = (): void => {
    this.requestUpdate();
    if (!isSeen()) this.#setViewing(undefined);
  };

  #setViewing(id: string | undefined): void {
    if (id === this.#viewingKey) return;
    this.#endViewing?.();
    this.#endViewing = undefined;
    this.#viewingKey = id;
    if (id && this.ck) this.#endViewing = this.ck.viewing(id);
  }
}

customElements.define('ck-chat-view', CkChatView);

declare global {
  interface HTMLElementTagNameMap {
    'ck-chat-view': CkChatView;
  }
}
