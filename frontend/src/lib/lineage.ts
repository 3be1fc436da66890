// Turns mentorLineage entries (one per path) into the nested data of an
// ECharts tree, and grafts subtrees loaded later on demand.

export interface LineageEntryLike {
  depth: number
  path: string[]
  activeMentees: number
  totalMentees: number
  person: { id: string; name: string }
}

export interface LineageNode {
  /** The path joined with '/': a person reached along two paths is two nodes. */
  key: string
  personId: string
  name: string
  value: number
  activeMentees: number
  totalMentees: number
  /** Mentees exist on the server that are not loaded yet. */
  hasMore: boolean
  collapsed?: boolean
  children: LineageNode[]
}

/**
 * Builds the tree rooted at the depth-0 entry. Entries at the last loaded
 * depth whose person has mentees are marked hasMore, so a click loads them.
 */
export function buildLineageTree(entries: LineageEntryLike[]): LineageNode | null {
  const byKey = new Map<string, LineageNode>()
  const sorted = [...entries].sort((a, b) => a.depth - b.depth)
  let root: LineageNode | null = null
  for (const e of sorted) {
    const path = e.path
    const key = path.join('/')
    const node: LineageNode = {
      key,
      personId: e.person.id,
      name: e.person.name,
      value: e.totalMentees,
      activeMentees: e.activeMentees,
      totalMentees: e.totalMentees,
      hasMore: false,
      children: [],
    }
    byKey.set(key, node)
    if (e.depth === 0) {
      root = node
    } else {
      byKey.get(path.slice(0, -1).join('/'))?.children.push(node)
    }
  }
  for (const n of byKey.values()) n.hasMore = n.totalMentees > 0 && n.children.length === 0
  return root
}

/** Finds a node by key. */
export function findNode(root: LineageNode, key: string): LineageNode | null {
  if (root.key === key) return root
  for (const c of root.children) {
    const f = findNode(c, key)
    if (f) return f
  }
  return null
}

/**
 * Replaces the children of the node `key` with those of `subtree` (loaded
 * from that node's person), re-keyed under the node's path. Returns whether
 * the node was found.
 */
export function graft(root: LineageNode, key: string, subtree: LineageNode): boolean {
  const target = findNode(root, key)
  if (!target) return false
  const rekey = (n: LineageNode, parentKey: string): LineageNode => {
    const k = `${parentKey}/${n.personId}`
    return { ...n, key: k, children: n.children.map((c) => rekey(c, k)) }
  }
  target.children = subtree.children.map((c) => rekey(c, target.key))
  target.hasMore = false
  target.collapsed = false
  return true
}

/** Counts the nodes of a tree. */
export function size(n: LineageNode): number {
  return 1 + n.children.reduce((s, c) => s + size(c), 0)
}
