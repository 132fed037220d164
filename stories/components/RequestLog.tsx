import { useCallback, useSyncExternalStore } from 'react'
import type { LockServer, LogEntry } from '../../src/testing'
import { formatClock } from './formatTime'

const SHOWN = 100

function target(entry: LogEntry): string {
  if (entry.endpoint === 'lock') return `${entry.path === '/' ? '' : entry.path}/@lock`
  if (entry.endpoint === 'login') return `${entry.path === '/' ? '' : entry.path}/@login`
  return entry.path
}

function notes(entry: LogEntry): string[] {
  const notes: string[] = []
  if (entry.force) notes.push('force')
  if (entry.lockToken === 'valid') notes.push('Lock-Token valid')
  if (entry.lockToken === 'invalid') notes.push('Lock-Token invalid')
  if (entry.keepalive) notes.push('keepalive')
  if (entry.fault) notes.push('simulated fault')
  return notes
}

/** The simulated server's requests as they are answered, newest first; GETs (checks, polling) in a quieter style. */
export function RequestLog({ server, title = 'Requests the server answered' }: { server: LockServer; title?: string }) {
  const subscribe = useCallback((onChange: () => void) => server.subscribe(() => onChange()), [server])
  const log = useSyncExternalStore(subscribe, () => server.log)
  const entries = log.slice(-SHOWN).reverse()
  return (
    <section className="request-log" aria-label="Request log">
      <h2>{title}</h2>
      {entries.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ol reversed>
          {entries.map((entry) => {
            const failed = entry.status === 'network-error' || entry.status >= 400
            return (
              <li key={entry.id} className={`request${entry.method === 'GET' ? ' request--quiet' : ''}${failed ? ' request--failed' : ''}`}>
                <span className="request__time">{formatClock(new Date(entry.time))}</span>{' '}
                <span className="request__user">{entry.user ?? 'anonymous'}</span>{' '}
                <span className="request__method">{entry.method}</span>{' '}
                <span className="request__target">{target(entry)}</span>{' '}
                <span className="request__status">{entry.status === 'network-error' ? 'network error' : entry.status}</span>
                {notes(entry).map((note) => (
                  <span key={note} className="request__note">
                    {' '}
                    ({note})
                  </span>
                ))}
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
