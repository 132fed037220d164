import type { ReactNode } from 'react'
import type { LockResult } from '../../src'
import { formatTime } from './formatTime'
import { ClockIcon, LockIcon, PencilIcon, UnlockIcon, WarningIcon } from './icons'
import { lockErrorText, messages } from './messages'

export interface LockBannerProps {
  lock: LockResult
  /** Offered once another user's lock went away: reload the content, then take the lock. */
  onReload?: () => void
  /** So that the form's Save button can point at the explanation (`aria-describedby`). */
  id?: string
  /** The text on screen is kept in this browser (`useDraft`'s `storedAt`), so a lost lock can say it is safe. */
  kept?: boolean
}

interface Message {
  tone: 'info' | 'editing' | 'problem'
  icon: ReactNode
  text: ReactNode
  action?: ReactNode
}

function lostText(lock: LockResult): string {
  const who = lock.holder?.name ?? 'Another user'
  switch (lock.lostReason) {
    case 'taken-over':
      return `${who} took over this document.`
    case 'expired':
      return `Your lock ran out while this page was idle, and ${who} is editing now.`
    case 'moved-to-another-tab':
      return 'You moved this edit to another tab.'
    default:
      return 'The server removed your lock.'
  }
}

function describe(lock: LockResult, onReload: (() => void) | undefined, kept: boolean): Message | null {
  const takeOver = (label: string) =>
    lock.canTakeOver && (
      <button type="button" onClick={() => void lock.takeOver()}>
        {label}
      </button>
    )
  switch (lock.status) {
    case 'acquiring':
      return { tone: 'info', icon: <ClockIcon />, text: 'Opening the document for editing…' }
    case 'held':
      if (lock.error?.transient) {
        return { tone: 'problem', icon: <WarningIcon />, text: messages.renewRetrying }
      }
      if (lock.error) {
        return { tone: 'problem', icon: <WarningIcon />, text: lockErrorText(messages.renewFailed, lock.error) }
      }
      return {
        tone: 'editing',
        icon: <PencilIcon />,
        text:
          'You are editing. Others see this document as locked by you.' +
          (lock.interruptions > 0 ? ` Your lock lapsed ${lock.interruptions} time(s) and was taken again.` : ''),
      }
    case 'locked':
      if (lock.holder?.where === 'other-tab') {
        return {
          tone: 'info',
          icon: <LockIcon />,
          text: 'You are editing this in another tab.',
          action: takeOver('Edit here instead'),
        }
      }
      return {
        tone: 'info',
        icon: <LockIcon />,
        text: (
          <>
            Locked by {lock.holder?.name ?? 'another user'} since {formatTime(lock.since)}.
            {!lock.canTakeOver && ' They did not allow others to take it over.'}
          </>
        ),
        action: takeOver('Take over'),
      }
    case 'lost':
      return {
        tone: 'problem',
        icon: <WarningIcon />,
        text: `${lostText(lock)} Your text is still here${kept ? ', and kept in this browser: reloading or closing the page will not lose it.' : '.'}`,
        action: takeOver('Take it back'),
      }
    case 'idle':
      return onReload
        ? {
            tone: 'info',
            icon: <UnlockIcon />,
            text: 'The document is free again. Reload it to see the latest version, then edit.',
            action: (
              <button type="button" onClick={onReload}>
                Reload and edit
              </button>
            ),
          }
        : null
    case 'released':
      return { tone: 'info', icon: <UnlockIcon />, text: 'The lock was given back.' }
    case 'unavailable':
      return {
        tone: 'info',
        icon: <UnlockIcon />,
        text: 'This server does not lock this document while you edit it; saving works as usual.',
      }
    case 'error':
      return {
        tone: 'problem',
        icon: <WarningIcon />,
        text:
          lock.error &&
          `${lockErrorText(messages.openFailed, lock.error)}${lock.error.transient ? ` ${messages.retrying}` : ''}`,
        action: !lock.error?.transient && (
          <button type="button" onClick={() => void lock.acquire()}>
            Try again
          </button>
        ),
      }
  }
}

/**
 * Says where the lock stands, in words (the colour only repeats them). Information goes to a `status` region,
 * losses and failures to an `alert` region; both regions stay in the page so that screen readers announce changes.
 */
export function LockBanner({ lock, onReload, id, kept = false }: LockBannerProps) {
  const message = describe(lock, onReload, kept)
  // Refusals of a take-over come on top of the "locked" message, which stays true.
  const refusal =
    lock.status === 'locked' && lock.error
      ? lock.error.code === 'not-allowed'
        ? messages.takeOverRefused
        : lockErrorText(messages.takeOverFailed, lock.error)
      : null
  const problem = message?.tone === 'problem'
  return (
    <div id={id} className={`lock-banner lock-banner--${message?.tone ?? 'none'}`}>
      <p role="status">
        {message && !problem && (
          <>
            {message.icon} {message.text}
          </>
        )}
      </p>
      <p role="alert">
        {problem && (
          <>
            {message.icon} {message.text}
          </>
        )}
        {refusal && (
          <>
            <WarningIcon /> {refusal}
          </>
        )}
      </p>
      {message?.action && <div className="lock-banner__actions">{message.action}</div>}
    </div>
  )
}
