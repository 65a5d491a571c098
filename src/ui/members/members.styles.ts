import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    --_avatar-size: var(--ck-members-avatar-size, 32px);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
    min-block-size: 44px;
    box-sizing: border-box;
  }
  .avatar-button {
    display: contents;
    cursor: pointer;
  }
  .name {
    flex: 1;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .you {
    color: var(--_muted);
    margin-inline-start: 0.4em;
    font-size: 0.85em;
  }
  .role {
    flex: none;
    padding: 0 0.5em;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.75em;
    line-height: 1.6em;
  }
  .remove {
    flex: none;
    color: var(--_muted);
  }
  .remove:hover {
    color: var(--_danger);
  }
  .remove:focus-visible,
  .avatar-button:focus-visible {
    outline: var(--_focus);
  }
  .empty {
    color: var(--_muted);
    padding: var(--_space) calc(var(--_space) * 1.5);
    margin: 0;
  }
  h2 {
    font-size: 0.85em;
    font-weight: 600;
    color: var(--_muted);
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5) 0;
  }
`;
