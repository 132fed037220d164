/**
 * Delay before retry number `attempt` (0-based), in milliseconds: exponential (1 s, 2 s, 4 s ... up to 30 s) with
 * jitter, so that many editors do not retry in lockstep after an outage: the wait is between three quarters and all
 * of the step. A server's `Retry-After` may lengthen it (up to five minutes), never shorten it.
 */
export function backoffDelay(attempt: number, retryAfterSeconds: number | undefined, random: () => number): number {
  const step = Math.min(1000 * 2 ** Math.min(attempt, 16), 30_000)
  const jittered = step * (0.75 + 0.25 * Math.min(Math.max(random(), 0), 1))
  const asked = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? Math.min(retryAfterSeconds * 1000, 5 * 60_000) : 0
  return Math.round(Math.max(jittered, asked))
}
