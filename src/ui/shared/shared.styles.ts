import { css } from 'lit';

/** Pieces several elements draw: avatars, name placeholders, badges, icon buttons. */
export const sharedStyles = css`
  .avatar {
    position: relative;
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: var(--_avatar-size);
    block-size: var(--_avatar-size);
    border-radius: 50%;
    /* 30% lightness: white initials keep 4.5:1 on every hue (yellows are the brightest). */
    background: hsl(var(--_hue, 210) 45% 30%);
    color: #fff;
    font-weight: 600;
    font-size: calc(var(--_avatar-size) * 0.38);
    user-select: none;
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    border-radius: 50%;
    object-fit: cover;
  }
  /* Presence dot (avatar()'s fourth argument); the ring keeps it apart from the photo. */
  .avatar .presence {
    position: absolute;
    inset-block-end: 0;
    inset-inline-end: 0;
    inline-size: 28%;
    block-size: 28%;
    min-inline-size: 8px;
    min-block-size: 8px;
    border-radius: 50%;
    box-shadow: 0 0 0 2px var(--_bg);
    background: var(--ck-color-presence-online, #16a34a);
  }
  .presence[data-show='away'],
  .presence[data-show='xa'] {
    background: var(--ck-color-presence-away, #f59e0b);
  }
  .presence[data-show='dnd'] {
    background: var(--ck-color-presence-dnd, #dc2626);
  }
  .presence[data-show='offline'] {
    background: var(--_bg);
    border: 2px solid var(--ck-color-presence-offline, #9ca3af);
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
  /* Fingers need bigger targets than pointers. */
  @media (pointer: coarse) {
    .icon-button {
      min-inline-size: 44px;
      min-block-size: 44px;
    }
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
