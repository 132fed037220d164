import type { TestContext } from 'vitest'

/** One line of the results table. */
export interface ResultRow {
  /** Orders the table: `'1.2'` comes after `'1.1'` and before `'2.1'`. */
  key: string
  measurement: string
  result: string
  reference: string
  ratio: string
}

declare module 'vitest' {
  interface TaskMeta {
    benchRows?: ResultRow[]
    benchDetails?: { table: string; header: string[]; rows: string[][] }[]
  }
}

/** Hands rows to the table reporter, which prints them after the run. */
export function record(context: TestContext, ...rows: ResultRow[]): void {
  const meta = context.task.meta
  meta.benchRows = [...(meta.benchRows ?? []), ...rows]
}

/** An extra table, printed under the main one (the bundle's breakdown by source module). */
export function recordDetail(context: TestContext, table: string, header: string[], rows: string[][]): void {
  const meta = context.task.meta
  meta.benchDetails = [...(meta.benchDetails ?? []), { table, header, rows }]
}

/** `a / b` as a short ratio: `0.59×`, `14×`. */
export function ratio(a: number, b: number): string {
  if (b === 0) return a === 0 ? '1×' : '∞'
  const value = a / b
  return `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)}×`
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The same value for both dialects is shown once; different values are shown side by side. */
export function perDialect(values: { plone: string; nick: string }): string {
  return values.plone === values.nick ? values.plone : `plone.restapi ${values.plone}; Nick ${values.nick}`
}
