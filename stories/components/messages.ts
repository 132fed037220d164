import type { DraftError, DraftErrorCode, LockError, LockErrorCode } from '../../src'
import { ContentLoadError } from './useContent'

/**
 * What the demo says when something fails, in its own words. The library's `error.message` is written for
 * developers (and may be short in production builds), and a server's `serverMessage` is in the server's language:
 * neither is shown. The error's `code` picks the words here instead.
 *
 * To translate, add a catalogue of the same shape beside `en` (TypeScript then asks for every key, so a code added to
 * the library later shows up as a compile error, not as an empty banner) and register it in `catalogues`.
 * `{reason}` and `{status}` are placeholders, filled in by {@link fill}; a translation may move them.
 */
export interface Messages {
  /** Why a lock request failed, worded to follow a colon: "Could not open the document for editing: …". */
  lockError: Record<LockErrorCode, string>
  /** Why the browser could not keep a copy of the changes (`useDraft`'s `error`). */
  draftError: Record<DraftErrorCode, string>
  /** The lock could not be taken; `{reason}` is one of `lockError`. */
  openFailed: string
  /** Added after `openFailed` while the library tries again by itself (a transient error). */
  retrying: string
  /** The lock is held but could not be refreshed; `{reason}` is one of `lockError`. */
  renewFailed: string
  /** The same, while the server cannot be reached and the library keeps trying. */
  renewRetrying: string
  /** The server said no to a take-over (`not-allowed`). */
  takeOverRefused: string
  /** A take-over failed for another reason; `{reason}` is one of `lockError`. */
  takeOverFailed: string
  /** A save failed; `{reason}` is one of `lockError`. */
  saveFailed: string
  /** A save failed because the server could not be reached. */
  saveRetryLater: string
  /** The document itself (not its lock) could not be loaded; `{status}` is the HTTP status. */
  loadFailed: string
  /** The same, when no answer came at all. */
  loadUnreachable: string
  /** The same, when the answer was not a document. */
  loadNotUnderstood: string
}

const en: Messages = {
  lockError: {
    locked: 'the server refused because someone else holds the lock.',
    'not-allowed': 'the server does not allow it.',
    'not-held': 'you do not hold the lock, so nothing was sent.',
    unauthorized: 'you are not logged in, or your login has expired. Log in again.',
    forbidden: 'you do not have permission to do this.',
    http: 'the server answered with an error (HTTP {status}).',
    network: 'the server could not be reached.',
    timeout: 'the server took too long to answer.',
    protocol: 'the server’s answer was not understood. Is this address a Plone site?',
    'invalid-path': 'this document’s address cannot be locked.',
    'invalid-option': 'this page is set up wrongly. Please tell the site’s administrator.',
    'unknown-user': 'this page does not know who you are. Log in again.',
    aborted: 'it was cancelled.',
  },
  draftError: {
    unavailable: 'This browser does not allow keeping a copy of your changes. They are still on screen.',
    'quota-exceeded': 'This browser’s storage is full, so your changes are not kept in it. They are still on screen.',
    unserializable: 'Your changes cannot be kept in this browser. They are still on screen.',
    'unknown-user': 'Your changes are not kept in this browser: the page does not know who you are.',
    'write-failed': 'Keeping a copy of your changes in this browser failed. They are still on screen.',
  },
  openFailed: 'Could not open the document for editing: {reason}',
  retrying: 'Trying again…',
  renewFailed: 'Your lock could not be renewed: {reason}',
  renewRetrying:
    'Connection problem: your lock could not be renewed. Still trying; saving is paused until the server answers.',
  takeOverRefused: 'The server does not allow taking this lock over.',
  takeOverFailed: 'Taking over failed: {reason}',
  saveFailed: 'Not saved: {reason} Your text is still here.',
  saveRetryLater: 'Not saved: the server could not be reached. Try again in a moment.',
  loadFailed: 'Could not load the document (HTTP {status}).',
  loadUnreachable: 'Could not load the document: the server could not be reached.',
  loadNotUnderstood: 'Could not load the document: the server’s answer was not understood.',
}

/** One catalogue per language, by its BCP 47 tag: `{ en, de, fr }`. */
const catalogues: Record<string, Messages> = { en }

/** The catalogue for `locale` ("de-AT" falls back to "de"), English if there is none. */
export function messagesFor(locale: string): Messages {
  return catalogues[locale] ?? catalogues[locale.split('-')[0] ?? ''] ?? en
}

/** The demo's words in the browser's language. */
export const messages: Messages = messagesFor(typeof navigator === 'undefined' ? 'en' : navigator.language)

/** Replaces each `{name}` in `template` with `values[name]`. */
export function fill(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => String(values[name] ?? placeholder))
}

/** Why `error` happened, in the demo's words (never its `message`). */
export function lockErrorReason(error: LockError): string {
  return fill(messages.lockError[error.code], { status: error.status ?? '?' })
}

/** A situation (`openFailed`, `saveFailed` ...) with the reason of `error` in it. */
export function lockErrorText(template: string, error: LockError): string {
  return fill(template, { reason: lockErrorReason(error) })
}

export function draftErrorText(error: DraftError): string {
  return messages.draftError[error.code]
}

/** Why the document could not be loaded: an error status, no answer (`fetch` rejects with a `TypeError`), or no JSON. */
export function loadErrorText(error: Error): string {
  if (error instanceof ContentLoadError) return fill(messages.loadFailed, { status: error.status })
  return error instanceof TypeError ? messages.loadUnreachable : messages.loadNotUnderstood
}
