import { css } from 'lit';

// Row and header heights must match ROW_PX and HEADER_PX in contact-picker.ts.
export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    max-block-size: var(--ck-picker-max-height, 480px);
    contain: content;
  }
  /* Only the list gives up height when the element is short. */
  :host > * {
    flex-shrink: 0;
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
    max-block-size: 6em;
    overflow: auto;
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
    min-block-size: 0;
    border: none;
    background: transparent;
    padding: 0 4px;
  }
  .requests {
    max-block-size: 12em;
    overflow: auto;
    border-block-end: 1px solid var(--_border);
  }
  h3 {
    margin: 0;
    padding: 4px calc(var(--_space) * 1.5);
    font-size: 0.8em;
    color: var(--_muted);
  }
  .body {
    position: relative;
    display: flex;
    flex: 1 1 auto;
    flex-shrink: 1;
    min-block-size: 0;
  }
  .scroller {
    flex: 1;
    min-inline-size: 0;
    overflow: auto;
    overscroll-behavior: contain;
  }
  .scroller:focus-visible {
    outline-offset: -2px;
  }
  .sizer {
    position: relative;
    contain: strict;
    inline-size: 100%;
  }
  .row,
  .header {
    position: absolute;
    inset-inline: 0;
    inset-block-start: 0;
    display: flex;
    align-items: center;
  }
  .header {
    block-size: 28px;
    padding: 0 calc(var(--_space) * 1.5);
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.8em;
    font-weight: 600;
  }
  .row,
  .request {
    gap: var(--_space);
    padding: 0 calc(var(--_space) * 1.5);
    padding-inline-end: 28px;
  }
  .row {
    block-size: 56px;
    cursor: pointer;
  }
  .request {
    display: flex;
    align-items: center;
    min-block-size: 56px;
    padding-inline-end: var(--_space);
  }
  .row:hover,
  .row.active {
    background: var(--_surface);
  }
  .row[aria-selected='true'] {
    background: var(--_selected);
  }
  .row.active {
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .face {
    display: contents;
  }
  .text {
    flex: 1;
    min-inline-size: 0;
    display: flex;
    flex-direction: column;
  }
  .line {
    display: flex;
    align-items: baseline;
    gap: 6px;
    min-inline-size: 0;
  }
  .name,
  .sub,
  .id {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    unicode-bidi: isolate;
  }
  .name {
    flex: 0 1 auto;
  }
  .id,
  .sub {
    color: var(--_muted);
    font-size: 0.8em;
  }
  .id {
    flex: 0 10 auto;
  }
  .check {
    flex: none;
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
  .index {
    position: absolute;
    inset-block: 0;
    inset-inline-end: 0;
    inline-size: 24px;
    display: flex;
    flex-direction: column;
    justify-content: center;
    font-size: 10px;
    line-height: 1.3;
    text-align: center;
    color: var(--_accent);
    touch-action: none;
    user-select: none;
    cursor: pointer;
  }
  .index .off {
    color: var(--_muted);
    opacity: 0.5;
  }
  .add {
    display: flex;
    align-items: center;
    gap: var(--_space);
    margin: 0 var(--_space) var(--_space);
    padding: 8px 12px;
    border: 1px dashed var(--_accent);
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_accent);
    text-align: start;
  }
  .note {
    margin: 0 var(--_space) var(--_space);
    color: var(--_muted);
    font-size: 0.875em;
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
  button {
    min-block-size: 36px;
    padding: 0 14px;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_bg);
  }
  footer button {
    min-block-size: 40px;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;
