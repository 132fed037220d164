import { useQuery } from '@tanstack/react-query'
import type { UseQueryResult } from '@tanstack/react-query'
import { useLockClient } from 'react-edit-lock'
import type { LockClient } from 'react-edit-lock'

/** A content item as a content GET returns it; `lock` is its lock object, as `@lock` shows it. */
export interface ContentItem {
  '@id': string
  title: string
  description?: string
  /** The modification date both servers send: the version a draft is compared against. */
  modified?: string
  lock?: unknown
  items?: ListingItem[]
}

/** One row of a folder's `items`. The simulated server adds each item's `lock`; real servers leave it out. */
export interface ListingItem {
  '@id': string
  title: string
  description?: string
  lock?: unknown
}

export class ContentError extends Error {
  constructor(readonly status: number | 'unreachable') {
    super(status === 'unreachable' ? 'unreachable' : `HTTP ${status}`)
    this.name = 'ContentError'
  }
}

export const contentKey = (api: string, path: string) => ['content', api, path] as const

async function getContent(client: LockClient, path: string, signal: AbortSignal): Promise<ContentItem> {
  let response: Response
  try {
    response = await fetch(client.url(path), { headers: { Accept: 'application/json', ...(await client.headers()) }, signal })
  } catch (error) {
    if (signal.aborted) throw error
    throw new ContentError('unreachable')
  }
  if (!response.ok) throw new ContentError(response.status)
  return (await response.json()) as ContentItem
}

/** GETs a content item (or a folder with its `items`) with the lock client's URL and credentials. */
export function useContent(path: string): UseQueryResult<ContentItem, ContentError> {
  const client = useLockClient()
  return useQuery({
    queryKey: contentKey(client.apiPath, path),
    queryFn: ({ signal }) => getContent(client, path, signal),
  })
}

/** What a failed content GET means to the person looking at the screen. */
export function contentErrorText(error: ContentError): string {
  if (error.status === 'unreachable') return 'The site cannot be reached right now.'
  if (error.status === 401 || error.status === 403) return 'You may not see this item. Try logging in again.'
  if (error.status === 404) return 'There is no such item.'
  return `The site could not show this item (it answered ${error.status}).`
}
