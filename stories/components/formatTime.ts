/** "10:42", in the reader's locale. */
export function formatTime(date: Date | null | undefined): string {
  return date ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : 'an unknown time'
}

/** "10:42:07", for the request log. */
export function formatClock(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}
