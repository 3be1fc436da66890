// Pure logic of the 换届 (term), training and attribute-history views: how a
// difference between two terms reads, hours per year, the duty board.

/** Whether a comparison figure is a share (a fraction 0–1, compared in percentage points). */
export function isShare(figure: string): boolean {
  return figure.endsWith('Share')
}

/** A figure's value as pages show it: shares as percentages, the average age with one decimal, counts whole. */
export function formatFigure(figure: string, v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  if (isShare(figure)) return `${(v * 100).toFixed(1)}%`
  if (figure === 'averageAge') return v.toFixed(1)
  return String(Math.round(v))
}

export type Direction = 'up' | 'down' | 'same' | 'none'

export interface Difference {
  /** up: current above previous; none: one side has no value. */
  dir: Direction
  /** The arrow: ↑ ↓ or → (empty for none). */
  arrow: string
  /** The size of the change without a sign: percentage points for shares, years for the average age, people for counts. */
  amount: string
  /** Whether amount is in percentage points. */
  points: boolean
}

/** How a difference (current − previous) reads; shares are fractions, so +0.25 is 25 percentage points. */
export function difference(figure: string, d: number | null | undefined): Difference {
  const points = isShare(figure)
  if (d === null || d === undefined || Number.isNaN(d)) return { dir: 'none', arrow: '', amount: '—', points }
  const size = Math.abs(d)
  const amount = points ? (size * 100).toFixed(1) : figure === 'averageAge' ? size.toFixed(1) : String(Math.round(size))
  if (Number(amount) === 0) return { dir: 'same', arrow: '→', amount: points || figure === 'averageAge' ? amount : '0', points }
  return d > 0 ? { dir: 'up', arrow: '↑', amount, points } : { dir: 'down', arrow: '↓', amount, points }
}

/** The figures a term comparison shows, in order. */
export const comparisonFigures = [
  'count',
  'averageAge',
  'femaleShare',
  'collegeShare',
  'partyShare',
  'oneShoulderShare',
  'richLeaderShare',
  'agedUpTo35',
  'aged36To45',
  'aged46To60',
  'agedOver60',
] as const

/** The differences of one group, in the order of comparisonFigures, then any others the API sends. */
export function differencesOf<T extends { group: string; figure: string }>(all: readonly T[], group: string): T[] {
  const rank = (f: string) => {
    const i = (comparisonFigures as readonly string[]).indexOf(f)
    return i < 0 ? comparisonFigures.length : i
  }
  return all.filter((d) => d.group === group).sort((a, b) => rank(a.figure) - rank(b.figure))
}

interface Term {
  electedOn: string
}

/** The term in force on a day (the latest elected on or before it) and the one before it; terms in any order. */
export function termsInForce<T extends Term>(terms: readonly T[], day: string): { current: T | null; previous: T | null } {
  const past = terms.filter((t) => t.electedOn <= day).sort((a, b) => b.electedOn.localeCompare(a.electedOn))
  return { current: past[0] ?? null, previous: past[1] ?? null }
}

interface Enrolment {
  completed: boolean
  hours?: number | null
  class: { startsOn: string; endsOn?: string | null; hours?: number | null }
}

/**
 * Hours of completed training per year, newest year first: an enrolment
 * counts in the year its class ends (or starts, when open-ended), with its
 * own hours or else its class's (as the server's trainingHours).
 */
export function hoursPerYear(enrolments: readonly Enrolment[]): { year: number; hours: number; classes: number }[] {
  const years = new Map<number, { hours: number; classes: number }>()
  for (const e of enrolments) {
    if (!e.completed) continue
    const year = Number((e.class.endsOn ?? e.class.startsOn).slice(0, 4))
    const y = years.get(year) ?? { hours: 0, classes: 0 }
    y.hours += e.hours ?? e.class.hours ?? 0
    y.classes++
    years.set(year, y)
  }
  return [...years].map(([year, y]) => ({ year, ...y })).sort((a, b) => b.year - a.year)
}

/** The statuses of a duty board, in order. */
export const dutyStatuses = ['OPEN', 'DONE', 'CANCELLED'] as const

/** Duty items by status (every status present, in dutyStatuses order; an unknown status last), key items first within a status. */
export function dutyBoard<T extends { status: string; kind: string }>(items: readonly T[]): [string, T[]][] {
  const kinds = ['KEY', 'HARD', 'HIGHLIGHT']
  const groups = new Map<string, T[]>(dutyStatuses.map((s) => [s, []]))
  for (const i of items) {
    if (!groups.has(i.status)) groups.set(i.status, [])
    groups.get(i.status)!.push(i)
  }
  for (const list of groups.values()) list.sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind))
  return [...groups]
}

interface Period {
  attribute: string
  validFrom?: string | null
}

/** Attribute periods grouped by attribute (education, party status, title, tags), each newest first. */
export function periodsByAttribute<T extends Period>(periods: readonly T[]): [string, T[]][] {
  const order = ['EDUCATION', 'POLITICAL_STATUS', 'PROFESSIONAL_TITLE', 'TAG']
  const groups = new Map<string, T[]>()
  for (const p of [...periods].sort((a, b) => (b.validFrom ?? '').localeCompare(a.validFrom ?? ''))) {
    if (!groups.has(p.attribute)) groups.set(p.attribute, [])
    groups.get(p.attribute)!.push(p)
  }
  const rank = (a: string) => (order.indexOf(a) < 0 ? order.length : order.indexOf(a))
  return [...groups].sort((a, b) => rank(a[0]) - rank(b[0]))
}

/** The enum whose labels name an attribute's values ('' for free text such as a title). */
export function attributeEnum(attribute: string): string {
  switch (attribute) {
    case 'EDUCATION':
      return 'PersonEducation'
    case 'POLITICAL_STATUS':
      return 'PersonPoliticalStatus'
    case 'TAG':
      return 'PersonTag'
    default:
      return ''
  }
}
