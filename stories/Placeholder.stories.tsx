import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect } from 'storybook/test'

/** An infrastructure check: proves that stories render and their `play` functions run as tests in Chromium. */
function Counter() {
  const [count, setCount] = useState(0)
  return (
    <div>
      <p>Clicked {count} times</p>
      <button type="button" onClick={() => setCount((n) => n + 1)}>
        Click
      </button>
    </div>
  )
}

const meta = {
  title: 'Infrastructure checks/Placeholder',
  component: Counter,
} satisfies Meta<typeof Counter>

export default meta

export const CountsClicks: StoryObj<typeof meta> = {
  async play({ canvas, userEvent }) {
    await userEvent.click(canvas.getByRole('button', { name: 'Click' }))
    await expect(canvas.getByText('Clicked 1 times')).toBeVisible()
  },
}
