/**
 * The period after `start`–`end` (ISO dates): as many whole months when it covers whole months
 * (a quarter, a half-year), else as many days, starting the day after `end`. The server's audit
 * clone and the web app's clone dialog both use it, so the dialog proposes what the server does.
 */
export function followingPeriod(start: string, end: string): { start: string; end: string } {
  const day = 86_400_000;
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T00:00:00Z`);
  const nextStart = new Date(to.getTime() + day);
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  if (from.getUTCDate() === 1 && nextStart.getUTCDate() === 1) {
    const months =
      (nextStart.getUTCFullYear() - from.getUTCFullYear()) * 12 +
      nextStart.getUTCMonth() -
      from.getUTCMonth();
    const nextEnd = new Date(Date.UTC(nextStart.getUTCFullYear(), nextStart.getUTCMonth() + months, 1) - day);
    return { start: iso(nextStart), end: iso(nextEnd) };
  }
  return { start: iso(nextStart), end: iso(new Date(nextStart.getTime() + (to.getTime() - from.getTime()))) };
}
