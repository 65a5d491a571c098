import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    overflow: auto;
    contain: content;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
    padding: var(--_space) calc(var(--_space) * 1.5);
    min-block-size: 64px;
    cursor: pointer;
    border-block-end: 1px solid var(--_border);
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
