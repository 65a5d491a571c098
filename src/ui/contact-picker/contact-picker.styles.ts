import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    contain: content;
  }
  .search {
    margin: var(--_space);
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
    font-size: max(16px, 1em);
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    padding: 0 var(--_space);
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 2px 4px 2px 10px;
    border-radius: 999px;
    background: var(--_selected);
    font-size: 0.875em;
  }
  .chip button {
    border: none;
    background: transparent;
    padding: 0 4px;
  }
  ul {
    flex: 1;
    list-style: none;
    margin: 0;
    padding: 0;
    overflow: auto;
  }
  li {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: 6px calc(var(--_space) * 1.5);
    min-block-size: 48px;
    cursor: pointer;
  }
  li:hover {
    background: var(--_surface);
  }
  li[aria-selected='true'] {
    background: var(--_selected);
  }
  .name {
    flex: 1;
    unicode-bidi: isolate;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .id {
    color: var(--_muted);
    font-size: 0.8em;
  }
  .check {
    inline-size: 20px;
    block-size: 20px;
    border: 2px solid var(--_border);
    border-radius: 4px;
    display: grid;
    place-items: center;
  }
  [aria-selected='true'] .check {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  .empty {
    padding: calc(var(--_space) * 3);
    color: var(--_muted);
    text-align: center;
  }
  footer {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space);
    padding: var(--_space);
    border-block-start: 1px solid var(--_border);
  }
  footer button {
    min-block-size: 40px;
    padding: 0 16px;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_bg);
  }
  footer button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  footer button:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;
