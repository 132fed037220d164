import { useQuery } from '@tanstack/react-query'
import type { UseQueryResult } from '@tanstack/react-query'
import { useLockClient } from '../../src'

/** A content item as the REST API's content GET returns it; `lock` is the item's lock object, as `@lock` shows it. */
export interface ContentItem {
  '@id': string
  title: string
  /** When the item was last saved (ISO 8601); both servers send it. */
  modified?: string
  lock?: unknown
}

/** The content GET got an error status. Its `message` is for developers; the demo shows `messages.loadFailed`. */
export class ContentLoadError extends Error {
  override readonly name = 'ContentLoadError'
  readonly status: number

  constructor(path: string, status: number) {
    super(`Loading ${path} failed: HTTP ${status}.`)
    this.status = status
  }
}

export const contentKey = (apiPath: string, path: string) => ['content', apiPath, path] as const

/** GETs a content item with the lock client's URL and credentials. */
export function useContent(path: string): UseQueryResult<ContentItem> {
  const client = useLockClient()
  return useQuery({
    queryKey: contentKey(client.apiPath, path),
    queryFn: async ({ signal }) => {
      const response = await fetch(client.url(path), { headers: await client.headers(), signal })
      if (!response.ok) throw new ContentLoadError(path, response.status)
      return (await response.json()) as ContentItem
    },
  })
}
