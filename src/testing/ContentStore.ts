import { encodeContentPath, pathAndAncestors, pathSegments } from './contentPath'
import type { SimulatedContent } from './types'

function titleOf(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The content items of one server, by canonical content path. Every path exists until it or a folder above it is
 * deleted; `set` gives an item fields of its own, the others show only the defaults `fields` makes up.
 */
export class ContentStore {
  readonly #apiPath: string
  readonly #content = new Map<string, Record<string, unknown>>()
  // When each item was last written (ms); items never written carry the server's start.
  readonly #modified = new Map<string, number>()
  readonly #startedAt = Date.now()
  readonly #unlockable = new Set<string>()
  readonly #deleted = new Set<string>()

  constructor(apiPath: string) {
    this.#apiPath = apiPath
  }

  /** The item's URL, its `@id`. */
  url(path: string): string {
    return this.#apiPath + encodeContentPath(path)
  }

  /** Puts an item in place, bringing it and the folders above it back if they were deleted. */
  set(path: string, item: SimulatedContent): void {
    const { lockable, ...fields } = item
    this.#content.set(path, fields)
    this.#touch(path)
    if (lockable === false) this.#unlockable.add(path)
    else this.#unlockable.delete(path)
    for (const ancestor of pathAndAncestors(path)) this.#deleted.delete(ancestor)
  }

  /** Merges `changes` into the item's own fields and moves its modification date on. */
  merge(path: string, changes: Record<string, unknown>): void {
    this.#content.set(path, { ...this.#content.get(path), ...changes })
    this.#touch(path)
  }

  /** Deletes the item, and with it everything below it. */
  remove(path: string): void {
    this.#deleted.add(path)
    this.#content.delete(path)
    this.#modified.delete(path)
    this.#unlockable.delete(path)
  }

  exists(path: string): boolean {
    return pathAndAncestors(path).every((ancestor) => !this.#deleted.has(ancestor))
  }

  /** The item's fields, or `undefined` once it or a folder above it is deleted. */
  get(path: string): Record<string, unknown> | undefined {
    return this.exists(path) ? this.fields(path) : undefined
  }

  /** Whether the item was set with `lockable: false`, as a content type without the locking behaviour. */
  isUnlockable(path: string): boolean {
    return this.#unlockable.has(path)
  }

  /** The item's fields as a content GET shows them, without its lock and folder listing. */
  fields(path: string): Record<string, unknown> {
    const isRoot = path === '/'
    const id = isRoot ? 'Plone' : (pathSegments(path).at(-1) ?? '')
    return {
      '@id': this.url(path),
      '@type': isRoot ? 'Plone Site' : 'Document',
      id,
      title: isRoot ? 'Site' : titleOf(id),
      ...this.#content.get(path),
      // Both servers send the item's modification date with every content GET (Dublin Core `modified`).
      modified: new Date(this.#modified.get(path) ?? this.#startedAt).toISOString(),
    }
  }

  /** The items set with `set` directly below `path`, in the order they were first set. */
  children(path: string): string[] {
    const depth = pathSegments(path).length + 1
    return [...this.#content.keys()].filter(
      (key) => key !== path && pathSegments(key).length === depth && pathAndAncestors(key).includes(path) && this.exists(key),
    )
  }

  /** Forgets every item and deletion; the server's start stays the date of items never written. */
  clear(): void {
    this.#content.clear()
    this.#modified.clear()
    this.#unlockable.clear()
    this.#deleted.clear()
  }

  /** Moves the item's modification date on: to now, and always forward, so that two writes never share one. */
  #touch(path: string): void {
    this.#modified.set(path, Math.max(Date.now(), (this.#modified.get(path) ?? 0) + 1))
  }
}
