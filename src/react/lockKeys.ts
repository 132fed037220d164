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
  status: (apiPath: string, path: string) => ['react-edit-lock', 'status', apiPath, path] as const,
}
