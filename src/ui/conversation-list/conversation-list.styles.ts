import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    contain: content;
  }
  .scroller {
    position: relative;
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    box-sizing: border-box;
  }
  /* Fixed height: the list renders only rows on screen and places them by arithmetic. */
  li {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
    padding: 0 calc(var(--_space) * 1.5);
    block-size: 68px;
    cursor: pointer;
    border-block-end: 1px solid var(--_border);
  }
  li {
    transition: transform 0.15s ease-out;
  }
  li.swiped {
    transform: translateX(calc(-1 * var(--ck-row-actions-width, 216px)));
  }
  :host(:dir(rtl)) li.swiped {
    transform: translateX(var(--ck-row-actions-width, 216px));
  }
  .row-actions {
    position: absolute;
    inset-inline-end: 0;
    display: flex;
    inline-size: var(--ck-row-actions-width, 216px);
  }
  .row-actions button {
    flex: 1;
    border: none;
    background: var(--_surface);
    color: var(--_text);
    font-size: 0.85em;
  }
  .row-actions button.danger {
    background: var(--_danger);
    color: #fff;
  }
  li.pinned {
    background: color-mix(in srgb, var(--_surface) 60%, transparent);
  }
  .avatar-button {
    display: contents;
  }
  .flag {
    flex: none;
    color: var(--_muted);
    display: inline-flex;
  }
  .flag svg {
    inline-size: 14px;
    block-size: 14px;
  }
  .marker {
    color: var(--_danger);
  }
  .badge.dot {
    min-inline-size: 10px;
    inline-size: 10px;
    block-size: 10px;
    padding: 0;
  }
  li:hover {
    background: var(--_surface);
  }
  li[aria-selected='true'] {
    background: var(--_selected);
  }
  .main {
    flex: 1;
    min-inline-size: 0;
    display: grid;
    /* A long preview must end in an ellipsis, not widen the row. */
    grid-template-columns: minmax(0, 1fr);
    gap: 2px;
  }
  .top,
  .bottom {
    display: flex;
    align-items: baseline;
    gap: var(--_space);
  }
  .name {
    flex: 1;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .time {
    flex: none;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .name,
  .preview {
    unicode-bidi: isolate;
  }
  .preview {
    flex: 1;
    color: var(--_muted);
    font-size: 0.9em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .preview.failed {
    color: var(--_danger);
  }
  .empty {
    padding: calc(var(--_space) * 3);
    color: var(--_muted);
    text-align: center;
  }
`;
