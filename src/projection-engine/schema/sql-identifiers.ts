const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export class InvalidIdentifierError extends Error {
  constructor(readonly identifier: string) {
    super(`"${identifier}" is not a valid table/column name for a projection (snake_case, at most 63 chars)`);
    this.name = 'InvalidIdentifierError';
  }
}

/** Quotes a table or column name declared by a projection, refusing anything that is not plain snake_case. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new InvalidIdentifierError(name);
  return `"${name}"`;
}
