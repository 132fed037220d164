import * as query from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'

// The `unit-query-lowest` project runs against @tanstack/react-query 5.87, the oldest the peer range allows; one that
// silently fell back to the newest would prove nothing.
const lowest = process.env.QUERY_LOWEST === '1'

describe('the TanStack Query these tests run against', () => {
  it(lowest ? 'is 5.87: it has timeoutManager, not what later versions added' : 'is the newest: it has what 5.87 lacks', () => {
    expect(query.timeoutManager).toBeDefined()
    expect('environmentManager' in query).toBe(!lowest)
  })
})
