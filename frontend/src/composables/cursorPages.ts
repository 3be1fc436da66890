// Page-numbered paging over a Relay connection: the API pages by cursor,
// so only the pages visited (and the next one) can be reached; a jump
// further goes one page on.
import { ref, type Ref } from 'vue'

export interface CursorPageInfo {
  hasNextPage: boolean
  endCursor?: string | null
}

export function useCursorPages(info: () => CursorPageInfo | null | undefined, size = 20) {
  const pageSize = ref(size)
  const page = ref(1)
  /** The cursor after which each visited page starts (page 1: null). */
  const cursors: Ref<(string | null)[]> = ref([null])
  /** The `after` argument of the current page. */
  const after = () => cursors.value[page.value - 1] ?? null
  function restart() {
    page.value = 1
    cursors.value = [null]
  }
  function goTo(p: number) {
    if (p > page.value) {
      const i = info()
      if (!i?.hasNextPage) return
      cursors.value[page.value] = i.endCursor ?? null
      page.value = page.value + 1
    } else {
      page.value = Math.max(1, p)
    }
  }
  function setSize(n: number) {
    pageSize.value = n
    restart()
  }
  return { pageSize, page, after, restart, goTo, setSize }
}
