import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    grid-template-columns: minmax(240px, var(--ck-list-width, 320px)) 1fr;
    block-size: 100%;
    min-block-size: 0;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  :host([narrow]) {
    grid-template-columns: 1fr;
    /* Never taller than what the soft keyboard leaves visible. */
    max-block-size: var(--ck-visual-height, 100%);
  }
  aside {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    border-inline-end: 1px solid var(--_border);
  }
  :host([narrow]) aside {
    border-inline-end: none;
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    min-block-size: 56px;
    border-block-end: 1px solid var(--_border);
  }
  .toolbar .title {
    flex: 1;
    font-weight: 700;
    font-size: 1.1em;
  }
  ck-conversation-list {
    flex: 1;
    min-block-size: 0;
  }
  ck-chat-view {
    min-inline-size: 0;
    min-block-size: 0;
  }
  :host([narrow]) [hidden-narrow] {
    display: none;
  }
  dialog {
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    box-shadow: var(--_shadow);
    inline-size: min(420px, 92vw);
    block-size: min(560px, 86vh);
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
  dialog h2 {
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    font-size: 1.05em;
  }
  ck-contact-picker {
    flex: 1;
    min-block-size: 0;
  }
`;
