import type { StorybookConfig } from '@storybook/react-vite'
import type { PluginOption } from 'vite'

// Storybook reuses vite.config.ts; its declaration plugin would rewrite dist/*.d.ts on every Storybook build.
const isDeclarationPlugin = (name: string) => name.startsWith('vite:dts') || name.startsWith('unplugin-dts')

async function withoutDeclarationPlugins(plugins: PluginOption[]): Promise<PluginOption[]> {
  const kept: PluginOption[] = []
  for (const plugin of await Promise.all(plugins)) {
    if (Array.isArray(plugin)) kept.push(await withoutDeclarationPlugins(plugin))
    else if (!(plugin && 'name' in plugin && isDeclarationPlugin(plugin.name))) kept.push(plugin)
  }
  return kept
}

const config: StorybookConfig = {
  stories: ['../stories/docs/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest'],
  framework: '@storybook/react-vite',
  // Serves public/mockServiceWorker.js, which msw registers in the preview.
  staticDirs: ['../public'],
  core: { disableTelemetry: true },
  // The demo is for trying the library, not for learning Storybook: no onboarding checklist in its sidebar.
  features: { sidebarOnboardingChecklist: false },
  async viteFinal(viteConfig) {
    return { ...viteConfig, plugins: await withoutDeclarationPlugins(viteConfig.plugins ?? []) }
  },
}

export default config
