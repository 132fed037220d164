import { useParams } from 'react-router'

/** The content path of a `/view/*` or `/edit/*` route: `/news/summer-party`. */
export function useContentPath(): string {
  const splat = useParams()['*'] ?? ''
  return `/${splat.replace(/^\/+/, '')}`
}

export const viewUrl = (path: string) => `/view${path}`
export const editUrl = (path: string) => `/edit${path}`

/** "10:42", in the reader's locale. */
export function clock(date: Date | null): string {
  return date ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : ''
}
