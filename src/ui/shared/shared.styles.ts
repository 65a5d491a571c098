import { css } from 'lit';

/** Pieces several elements draw: avatars, name placeholders, badges, icon buttons. */
export const sharedStyles = css`
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: var(--_avatar-size);
    block-size: var(--_avatar-size);
    border-radius: 50%;
    overflow: hidden;
    background: hsl(var(--_hue, 210) 45% 42%);
    color: #fff;
    font-weight: 600;
    font-size: calc(var(--_avatar-size) * 0.38);
    user-select: none;
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .placeholder {
    display: inline-block;
    inline-size: 7em;
    block-size: 0.9em;
    border-radius: 4px;
    background: var(--_surface);
    vertical-align: middle;
  }
  .badge {
    min-inline-size: 1.4em;
    padding: 0 0.4em;
    border-radius: 999px;
    background: var(--_badge);
    color: var(--_badge-text);
    font-size: 0.75em;
    font-weight: 600;
    line-height: 1.4em;
    text-align: center;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    min-inline-size: 36px;
    min-block-size: 36px;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: transparent;
  }
  .icon-button:hover {
    background: var(--_surface);
  }
  svg {
    inline-size: 1.25em;
    block-size: 1.25em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
`;
