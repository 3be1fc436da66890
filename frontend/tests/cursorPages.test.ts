import { describe, expect, it } from 'vitest'
import { useCursorPages } from '@/composables/cursorPages'

describe('useCursorPages', () => {
  it('goes on only with a next page, back to pages visited, and restarts on a new size', () => {
    let info = { hasNextPage: true, endCursor: 'c1' as string | null }
    const p = useCursorPages(() => info, 20)
    expect(p.after()).toBeNull()
    p.goTo(5) // a jump further goes one page on
    expect(p.page.value).toBe(2)
    expect(p.after()).toBe('c1')
    info = { hasNextPage: false, endCursor: 'c2' }
    p.goTo(3)
    expect(p.page.value).toBe(2)
    p.goTo(1)
    expect(p.after()).toBeNull()
    info = { hasNextPage: true, endCursor: 'c1' } // page 1's answer again
    p.goTo(2)
    expect(p.after()).toBe('c1')
    p.setSize(50)
    expect(p.page.value).toBe(1)
    expect(p.pageSize.value).toBe(50)
    expect(p.after()).toBeNull()
  })
})
