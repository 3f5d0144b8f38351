/** Typed errors of the knowledge library; `code` is stable, `message` says what to fix. */
export class KnowledgeError extends Error {
  constructor(
    readonly code: 'invalid_article' | 'duplicate_article' | 'unknown_intent' | 'index_format' | 'invalid_intents',
    message: string,
  ) {
    super(message);
    this.name = 'KnowledgeError';
  }
}
