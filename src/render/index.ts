export { safeHref, safeImageSrc } from './url.js';
export type { SafeHrefOptions, SafeImageSrcOptions } from './url.js';
export { renderText, plainPreview, truncateText, MAX_RENDER_CHARS } from './text.js';
export type { MentionRange, RenderTextOptions } from './text.js';
export { dateLocale, formatListTime, formatDaySeparator, formatMessageTime, isSameDay } from './dates.js';
