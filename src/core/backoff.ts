/** Delay before retry number `attempt` (0-based): 1 s, 2 s, 4 s ... capped, or what the server asked for. */
export function backoffDelay(attempt: number, retryAfterSeconds?: number, cap = 30_000): number {
  if (retryAfterSeconds !== undefined) return Math.min(Math.max(retryAfterSeconds * 1000, 1000), 5 * 60_000)
  return Math.min(1000 * 2 ** attempt, cap)
}

/**
 * How often to refresh a lock of `timeout` seconds: a third of it, and at least 90 s before it lapses, because
 * browsers may delay a hidden tab's timers by up to a minute. Very short locks (demos, tests) still get a few
 * refreshes in their lifetime.
 */
export function refreshDelay(timeoutSeconds: number): number {
  const third = timeoutSeconds / 3
  const seconds = Math.max(Math.min(third, timeoutSeconds - 90), Math.min(third, 10))
  return Math.round(seconds * 1000)
}
