import { focusManager, onlineManager, timeoutManager } from '@tanstack/react-query'
import { browserEnvironment } from '../core/environment'
import type { LeaseEnvironment } from '../core/environment'

/**
 * The browser environment with TanStack Query's managers in place of the raw events and timers, so that an app's
 * configuration of `focusManager`, `onlineManager` and `timeoutManager` (React Native, tests, custom timers) applies
 * to the leases too.
 */
export function tanstackEnvironment(): LeaseEnvironment {
  return browserEnvironment({
    timers: timeoutManager,
    isVisible: () => focusManager.isFocused(),
    onVisible: (listener) => focusManager.subscribe((focused) => focused && listener()),
    onOnline: (listener) => onlineManager.subscribe((online) => online && listener()),
  })
}
