/**
 * Query keys used by react-edit-lock, for invalidating or reading its cache entries.
 *
 * @example
 * ```ts
 * queryClient.invalidateQueries({ queryKey: lockKeys.all })
 * ```
 */
export const lockKeys = {
  all: ['react-edit-lock'] as const,
  /**
   * One item's status, shared by every user of the query client (it carries no token); `useLockStatus` decides
   * whose lock it is for the current user when it reads it.
   */
  status: (apiPath: string, path: string) => ['react-edit-lock', 'status', apiPath, path] as const,
}
