let last = 0;

/**
 * A strictly increasing number per tab, larger than any issued in an earlier
 * page load (it starts from the clock in µs), used to order records with equal times.
 */
export function nextSeq(): number {
  last = Math.max(last + 1, Date.now() * 1000);
  return last;
}
