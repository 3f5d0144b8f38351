import type { DomainError } from '../../domain/errors';
import { type ChatMessage, visibleToCustomer } from '../../domain/transcript';
import { refusalText } from '../refusals';
import type { ServerFrame } from './protocol';

/** A stored message as the widget receives it; internal notes never leave. */
export function messageFrame(message: ChatMessage): ServerFrame | undefined {
  return visibleToCustomer(message) ? { type: 'message', message } : undefined;
}

/** A refused message, in the widget's words, tied to the frame that was refused. */
export function refusalFrame(error: DomainError, clientId: string, limitBytes: number): ServerFrame {
  return { type: 'error', code: error.code, message: refusalText(error.code, { limitBytes }), clientId };
}
