import { LockBadge } from './LockBadge'
import { loadErrorText } from './messages'
import { useContent } from './useContent'

export interface ContentListingProps {
  /** The items to list. */
  paths: readonly string[]
  /** How often each row asks who holds its lock, in ms, to follow other users. */
  refetchInterval: number
}

/** A list of content items with a lock badge on each row, kept up to date while the list is open. */
export function ContentListing({ paths, refetchInterval }: ContentListingProps) {
  return (
    <table className="listing">
      <caption>News items</caption>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Lock</th>
        </tr>
      </thead>
      <tbody>
        {paths.map((path) => (
          <ListingRow key={path} path={path} refetchInterval={refetchInterval} />
        ))}
      </tbody>
    </table>
  )
}

function ListingRow({ path, refetchInterval }: { path: string; refetchInterval: number }) {
  const content = useContent(path)
  if (!content.isSuccess) {
    return (
      <tr>
        <td colSpan={2}>{content.isError ? loadErrorText(content.error) : 'Loading…'}</td>
      </tr>
    )
  }
  const item = content.data
  return (
    <tr>
      <th scope="row">{item.title}</th>
      <td>
        {/* The row's lock came with the item: no lock request until it is stale or the interval comes round. */}
        <LockBadge path={item['@id']} options={{ initialData: item.lock, refetchInterval }} />
      </td>
    </tr>
  )
}
