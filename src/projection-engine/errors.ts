export class UnknownProjectionError extends Error {
  constructor(readonly projectionName: string, known: string[]) {
    super(`Unknown projection "${projectionName}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownProjectionError';
  }
}

export class UnknownInstanceError extends Error {
  constructor(readonly instanceId: string) {
    super(`No projection instance "${instanceId}"`);
    this.name = 'UnknownInstanceError';
  }
}

export class CannotDropCurrentError extends Error {
  constructor(readonly instanceId: string) {
    super(`Projection instance ${instanceId} is current (it answers queries): rebuild a replacement first, then drop this one`);
    this.name = 'CannotDropCurrentError';
  }
}
