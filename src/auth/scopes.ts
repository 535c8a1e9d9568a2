/** What a bearer token may do. `write`: POST endpoints; `read`: GET endpoints when reads are protected. */
export const SCOPES = ['read', 'write'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
