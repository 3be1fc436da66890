import { describe, expect, it } from 'vitest'
import { age, contactOverdueDays, daysBetween, period, today } from '@/lib/dates'
import { buildLineageTree, findNode, graft, size, type LineageEntryLike } from '@/lib/lineage'
import { mentoringGraph } from '@/lib/mentoring'
import { codePath, levelOf, regionRoute } from '@/lib/regions'
import { toCSV } from '@/lib/download'
import { apiBase, graphqlURL, rosterExportURL } from '@/config'

const entry = (path: string[], total = 0, active = 0): LineageEntryLike => ({
  depth: path.length - 1,
  path,
  totalMentees: total,
  activeMentees: active,
  person: { id: path[path.length - 1], name: `name-${path[path.length - 1]}` },
})

describe('dates', () => {
  it('formats today in local time', () => {
    expect(today(new Date(2024, 0, 5, 23, 59))).toBe('2024-01-05')
  })
  it('counts days across months and leap years', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2)
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1)
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2)
  })
  it('gives completed years of age', () => {
    expect(age('1990-06-15', '2024-06-14')).toBe(33)
    expect(age('1990-06-15', '2024-06-15')).toBe(34)
    expect(age(null, '2024-06-15')).toBeNull()
  })
  it('measures contact overdue from the last contact, else the start', () => {
    expect(contactOverdueDays('2024-01-01', '2023-01-01', '2024-01-31')).toBe(0)
    expect(contactOverdueDays('2024-01-01', '2023-01-01', '2024-02-01')).toBe(1)
    expect(contactOverdueDays(null, '2024-01-10', '2024-02-10')).toBe(1)
  })
})

describe('periods', () => {
  it('joins start and end with an en dash', () => {
    expect(period('2021-03-01', '2024-02-29', '至今')).toBe('2021-03-01 – 2024-02-29')
  })
  it('puts the ongoing word (or nothing) for a missing end', () => {
    expect(period('2021-03-01', null, '至今')).toBe('2021-03-01 – 至今')
    expect(period('2021-03-01', undefined, 'present')).toBe('2021-03-01 – present')
    expect(period('2021-03-01', null, '')).toBe('2021-03-01 – ')
  })
})

describe('lineage trees', () => {
  const entries = [
    entry(['a'], 2, 1),
    entry(['a', 'b'], 1, 1),
    entry(['a', 'c'], 0),
    entry(['a', 'b', 'd'], 3, 0),
    // d is also reached through c: a second node, not a merge
    entry(['a', 'c', 'd'], 3, 0),
  ]

  it('nests entries by path, one node per path', () => {
    const root = buildLineageTree(entries)!
    expect(root.personId).toBe('a')
    expect(root.children.map((c) => c.personId)).toEqual(['b', 'c'])
    expect(findNode(root, 'a/b/d')?.personId).toBe('d')
    expect(findNode(root, 'a/c/d')?.personId).toBe('d')
    expect(size(root)).toBe(5)
  })

  it('marks people with unloaded mentees', () => {
    const root = buildLineageTree(entries)!
    expect(findNode(root, 'a/b/d')!.hasMore).toBe(true)
    expect(findNode(root, 'a/b')!.hasMore).toBe(false)
    // c mentors nobody per its counts, though d hangs under it by path
    expect(findNode(root, 'a/c')!.hasMore).toBe(false)
  })

  it('grafts a subtree loaded from a node, re-keyed under its path', () => {
    const root = buildLineageTree(entries)!
    const sub = buildLineageTree([entry(['d'], 3), entry(['d', 'e'], 0), entry(['d', 'f'], 1), entry(['d', 'f', 'g'], 0)])!
    expect(graft(root, 'a/b/d', sub)).toBe(true)
    const d = findNode(root, 'a/b/d')!
    expect(d.hasMore).toBe(false)
    expect(d.children.map((c) => c.key)).toEqual(['a/b/d/e', 'a/b/d/f'])
    expect(findNode(root, 'a/b/d/f/g')?.personId).toBe('g')
    // the other path to d is untouched
    expect(findNode(root, 'a/c/d')!.children).toEqual([])
    expect(graft(root, 'nope', sub)).toBe(false)
  })

  it('is empty without a depth-0 entry', () => {
    expect(buildLineageTree([])).toBeNull()
  })
})

describe('mentoring graph', () => {
  it('links mentors to mentees once per pair and sizes mentors', () => {
    const p = (id: string) => ({ id, name: id.toUpperCase() })
    const g = mentoringGraph([
      { id: '1', status: 'COMPLETED', mentor: p('a'), mentee: p('b') },
      { id: '2', status: 'ACTIVE', mentor: p('a'), mentee: p('b') },
      { id: '3', status: 'ACTIVE', mentor: p('a'), mentee: p('c') },
      { id: '4', status: 'ACTIVE', mentor: p('b'), mentee: p('d') },
    ])
    expect(g.links).toHaveLength(3)
    expect(g.links.find((l) => l.target === 'b')!.status).toBe('ACTIVE')
    const a = g.nodes.find((n) => n.id === 'a')!
    expect(a.value).toBe(2)
    expect(a.category).toBe(0)
    expect(g.nodes.find((n) => n.id === 'd')!.category).toBe(1)
    expect(a.symbolSize).toBeGreaterThan(g.nodes.find((n) => n.id === 'd')!.symbolSize)
  })
})

describe('region codes', () => {
  it('lists the codes from the province down', () => {
    expect(codePath('150221104203')).toEqual(['15', '1502', '150221', '150221104', '150221104203'])
    expect(codePath('42')).toEqual(['42'])
    expect(levelOf('150221')).toBe(2)
    expect(levelOf('1502211')).toBe(-1)
  })
  it('routes villages to the village page', () => {
    expect(regionRoute({ code: '150221104203', level: 'VILLAGE' }).name).toBe('village')
    expect(regionRoute({ code: '150221', level: 'COUNTY' })).toEqual({ name: 'regions', params: { code: '150221' } })
  })
})

describe('CSV export', () => {
  it('quotes what needs quoting and starts with a BOM', () => {
    const csv = toCSV(['姓名', 'note'], [['张三', 'a,b'], ['李"四', null], ['x', 'line\nbreak']])
    expect(csv.startsWith('\uFEFF姓名,note\r\n')).toBe(true)
    expect(csv).toContain('张三,"a,b"\r\n')
    expect(csv).toContain('"李""四",\r\n')
    expect(csv).toContain('x,"line\nbreak"\r\n')
  })
})

describe('API location', () => {
  const loc = { origin: 'https://app.example.org' } as Location
  it('defaults to /graphql on the same origin', () => {
    expect(graphqlURL({ location: loc })).toBe('https://app.example.org/graphql')
    expect(graphqlURL({ location: loc, __YANZHEN_API__: '  ' })).toBe('https://app.example.org/graphql')
  })
  it('takes the run-time setting, absolute or relative', () => {
    const w = { location: loc, __YANZHEN_API__: 'https://api.example.org/v1/graphql' }
    expect(graphqlURL(w)).toBe('https://api.example.org/v1/graphql')
    expect(apiBase(w)).toBe('https://api.example.org/v1')
    expect(rosterExportURL('1502 21', w)).toBe('https://api.example.org/v1/export/roster.xlsx?region=1502%2021')
    expect(graphqlURL({ location: loc, __YANZHEN_API__: '/api/graphql' })).toBe('https://app.example.org/api/graphql')
  })
})
