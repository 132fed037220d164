import type { StoryContext } from '@storybook/react-vite'
import { createElement } from 'react'
import type { ComponentType } from 'react'
import type { Canvas } from 'storybook/internal/types'
import { expect, waitFor, within } from 'storybook/test'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { createSimulatedSite, serveSimulatedSite } from './components/demoServer'
import type { DemoSite } from './components/demoServer'

declare module 'storybook/internal/csf' {
  interface StoryContext {
    /** Where the demo's editors work: a simulated server of the story's own, or a real one. */
    site: DemoSite
  }
}

export type Scope = Canvas

/** Long enough for a check interval of the demos (2 s) and a service-worker round trip, short enough to fail fast. */
export const WAIT = { timeout: 4000 }

export function simulated(site: DemoSite): LockServer {
  if (!site.server) throw new Error('This story needs the simulated server.')
  return site.server
}

/** One user's screen in a demo, by its label ("Alice"). */
export function screenOf(canvas: Scope, label: string): Scope {
  return within(canvas.getByRole('region', { name: `${label}'s screen` }))
}

/** Waits until a live region of the given role says `text`, and returns it. */
export async function findAnnouncement(scope: Scope, role: 'status' | 'alert', text: RegExp): Promise<HTMLElement> {
  return waitFor(() => {
    const region = scope.queryAllByRole(role).find((element) => text.test(element.textContent ?? ''))
    expect(region, `a ${role} region saying ${String(text)}`).toBeDefined()
    return region as HTMLElement
  }, WAIT)
}

/** The request log's lines as a person reads them, newest first. */
export function requestLines(canvas: Scope): string[] {
  const log = within(canvas.getByRole('region', { name: 'Request log' }))
  return log.queryAllByRole('listitem').map((item) => item.textContent ?? '')
}

/** Waits until the request log shows a line matching `pattern`. */
export async function expectRequest(canvas: Scope, pattern: RegExp): Promise<void> {
  await waitFor(() => expect(requestLines(canvas)).toContainEqual(expect.stringMatching(pattern)), WAIT)
}

/** Replaces the title on `screen` with `text`, saves, and waits until the form says it saved. */
export async function replaceTitleAndSave(screen: Scope, userEvent: StoryContext['userEvent'], text: string): Promise<void> {
  const title = screen.getByLabelText('Title')
  await userEvent.clear(title)
  await userEvent.type(title, text)
  await userEvent.click(screen.getByRole('button', { name: 'Save' }))
  await findAnnouncement(screen, 'status', /^Saved\.$/)
}

/** The control every demo has: which real server the simulation behaves like. */
export interface DemoArgs {
  dialect: SimulatedDialect
}

export const dialectControl = {
  args: { dialect: 'plone' } satisfies DemoArgs,
  argTypes: {
    dialect: {
      name: 'Simulated server',
      description: 'Which real server the simulation behaves like.',
      options: ['plone', 'nick'],
      control: { type: 'inline-radio', labels: { plone: 'plone.restapi', nick: 'Nick' } },
    },
  },
} as const

/**
 * What a demo's `meta` needs to run it on a simulated site: the server control, a site of its own before each story
 * (`prepare` sets its server up before it is served), and `Demo` rendered on it. A story with `parameters.live`
 * brings its own site.
 */
export function onSimulatedSite(Demo: ComponentType<{ site: DemoSite }>, prepare?: (server: LockServer) => void) {
  return {
    ...dialectControl,
    beforeEach(context: StoryContext<DemoArgs>) {
      if (context.parameters.live) return
      const site = createSimulatedSite(context.args.dialect)
      prepare?.(site.server)
      serveSimulatedSite(context.msw, site)
      context.site = site
    },
    // Storybook runs `beforeEach` again when a control changes: the demo starts over on the new site.
    render: (_args: DemoArgs, { site }: StoryContext<DemoArgs>) => createElement(Demo, { key: site.apiPath, site }),
  }
}
