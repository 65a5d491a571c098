/** How long a finger must rest on a message for its menu (ms), and how far it may drift (px). */
export const LONG_PRESS_MS = 500;
const SLOP_PX = 10;

/**
 * Calls `onLongPress` when a touch (or pen) rests on an element without moving, the phone
 * equivalent of a right click. Returns the function that stops listening.
 */
export interface Press {
  /** The event path at press time (an event's path is empty once its dispatch is over). */
  path: EventTarget[];
  x: number;
  y: number;
}

export function onLongPress(target: HTMLElement, onLongPress: (press: Press) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let start: { x: number; y: number } | undefined;
  const cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
    start = undefined;
  };
  const down = (e: PointerEvent): void => {
    if (e.pointerType === 'mouse') return;
    cancel();
    start = { x: e.clientX, y: e.clientY };
    const press: Press = { path: e.composedPath(), x: e.clientX, y: e.clientY };
    timer = setTimeout(() => {
      timer = undefined;
      onLongPress(press);
    }, LONG_PRESS_MS);
  };
  const move = (e: PointerEvent): void => {
    if (start && Math.hypot(e.clientX - start.x, e.clientY - start.y) > SLOP_PX) cancel();
  };
  target.addEventListener('pointerdown', down);
  target.addEventListener('pointermove', move);
  target.addEventListener('pointerup', cancel);
  target.addEventListener('pointercancel', cancel);
  return () => {
    cancel();
    target.removeEventListener('pointerdown', down);
    target.removeEventListener('pointermove', move);
    target.removeEventListener('pointerup', cancel);
    target.removeEventListener('pointercancel', cancel);
  };
}
