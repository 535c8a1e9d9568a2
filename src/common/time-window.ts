/**
 * Whether an event-time instant lies in [from, to). Compared as instants (Date.parse), so offsets other than Z
 * compare correctly. With a window given, a missing instant is outside it.
 */
export function inTimeWindow(at: string | null | undefined, from: string | undefined, to: string | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  if (!at) return false;
  const t = Date.parse(at);
  return (from === undefined || t >= Date.parse(from)) && (to === undefined || t < Date.parse(to));
}
