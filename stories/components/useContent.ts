import { useQuery } from '@tanstack/react-query'
import type { UseQueryResult } from '@tanstack/react-query'
import { useLockContext } from '../../src'

/** A content item as the REST API's content GET returns it; `lock` is the item's lock object, as `@lock` shows it. */
export interface ContentItem {
  '@id': string
  title: string
  /** When the item was last saved (ISO 8601); both servers send it. */
  modified?: string
  lock?: unknown
}

export const contentKey = (apiPath: string, path: string) => ['content', apiPath, path] as const

/** GETs a content item with the lock client's URL and credentials. */
export function useContent(path: string): UseQueryResult<ContentItem> {
  const { client } = useLockContext()
  return useQuery({
    queryKey: contentKey(client.apiPath, path),
    queryFn: async ({ signal }) => {
      const response = await fetch(client.url(path), { headers: await client.headers(), signal })
      if (!response.ok) throw new Error(`Loading ${path} failed: HTTP ${response.status}.`)
      return (await response.json()) as ContentItem
    },
  })
}
