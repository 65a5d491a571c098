import type { CustomData, CustomPayload, MessageRecord } from '../store/records.js';
import { ChatKitError } from './errors.js';
import type { PayloadElement } from '../protocol/payload.js';

export type { PayloadElement };

/** What a custom type's renderer gets besides its data. */
export interface MessageTypeContext {
  message: MessageRecord;
}

/** A composer button that creates a message of the type (e.g. "Share contact card"). */
export interface MessageTypeComposer<T extends CustomData> {
  /** Button label and tooltip (plain text). */
  label: string;
  /** Optional icon: a Lit template (e.g. an inline SVG). */
  icon?: unknown;
  /** Asks the user for the data (a dialog, a picker); undefined cancels. */
  create(context: { conversationId: string }): T | undefined | Promise<T | undefined>;
}

/**
 * An integrator's own message type, as in LeanCloud's ChatKit: how to recognise it on
 * the wire, how to draw it, how the conversation list previews it, what other clients
 * see, and optionally a composer button.
 */
export interface MessageTypeDefinition<T extends CustomData = CustomData> {
  /** Unique name, e.g. `business-card`. */
  type: string;
  /** (1) Recognise: called for each child element of an incoming message; return the data, or undefined when it is not this type. Input is untrusted. */
  parse(element: PayloadElement): T | undefined;
  /** The element carrying `data` on the wire (use your own namespace). */
  serialize(data: T): PayloadElement;
  /** (2) The bubble's content, a Lit template. Data comes from other users: bind it as text, never as HTML. */
  render(data: T, context: MessageTypeContext): unknown;
  /** (3) The conversation list's preview line (plain text). */
  preview(data: T): string;
  /** (4) The body other clients show (plain text). */
  fallback(data: T): string;
  /** (5) Optional composer button. */
  composer?: MessageTypeComposer<T>;
}

/** The kit's registered custom types. */
export class MessageTypes {
  readonly #types = new Map<string, MessageTypeDefinition>();

  register<T extends CustomData>(definition: MessageTypeDefinition<T>): void {
    const d = definition as unknown as MessageTypeDefinition;
    if (!d || typeof d.type !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(d.type)) {
      throw new ChatKitError('invalid-argument', 'A message type needs a `type` name of letters, digits, ".", "_" or "-".');
    }
    for (const fn of ['parse', 'serialize', 'render', 'preview', 'fallback'] as const) {
      if (typeof d[fn] !== 'function') throw new ChatKitError('invalid-argument', `Message type "${d.type}" needs a \`${fn}\` function.`);
    }
    this.#types.set(d.type, d);
  }

  get(type: string): MessageTypeDefinition | undefined {
    return this.#types.get(type);
  }

  all(): MessageTypeDefinition[] {
    return [...this.#types.values()];
  }

  /** First registered type that recognises one of the elements (the protocol layer's hook). */
  recognise(elements: readonly PayloadElement[]): CustomPayload | undefined {
    for (const def of this.#types.values()) {
      for (const el of elements) {
        let data: CustomData | undefined;
        try {
          data = def.parse(el);
        } catch {
          continue; // a type's parser failing on hostile input is that element not being its type
        }
        if (data !== undefined) return { type: def.type, data };
      }
    }
    return undefined;
  }
}
