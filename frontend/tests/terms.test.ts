import { describe, expect, it } from 'vitest'
import { attributeEnum, difference, differencesOf, dutyBoard, formatFigure, hoursPerYear, periodsByAttribute, termsInForce } from '@/lib/terms'

describe('term comparison figures', () => {
  it('formats shares as percentages, the average age with a decimal and counts whole', () => {
    expect(formatFigure('collegeShare', 0.4567)).toBe('45.7%')
    expect(formatFigure('averageAge', 48.25)).toBe('48.3')
    expect(formatFigure('count', 12)).toBe('12')
    expect(formatFigure('count', null)).toBe('—')
  })

  it('reads a share difference in percentage points with an arrow', () => {
    expect(difference('femaleShare', 0.25)).toEqual({ dir: 'up', arrow: '↑', amount: '25.0', points: true })
    expect(difference('collegeShare', -0.053)).toEqual({ dir: 'down', arrow: '↓', amount: '5.3', points: true })
  })

  it('reads counts and ages without points, and no change as level', () => {
    expect(difference('count', -3)).toEqual({ dir: 'down', arrow: '↓', amount: '3', points: false })
    expect(difference('averageAge', 2.04)).toEqual({ dir: 'up', arrow: '↑', amount: '2.0', points: false })
    expect(difference('count', 0)).toMatchObject({ dir: 'same', arrow: '→' })
    expect(difference('partyShare', 0.0001)).toMatchObject({ dir: 'same', amount: '0.0' })
    expect(difference('count', null)).toMatchObject({ dir: 'none', amount: '—' })
  })

  it('orders the differences of a group', () => {
    const all = [
      { group: 'COMMITTEE', figure: 'count' },
      { group: 'SECRETARIES', figure: 'collegeShare' },
      { group: 'SECRETARIES', figure: 'somethingNew' },
      { group: 'SECRETARIES', figure: 'count' },
    ]
    expect(differencesOf(all, 'SECRETARIES').map((d) => d.figure)).toEqual(['count', 'collegeShare', 'somethingNew'])
  })
})

describe('terms in force', () => {
  const terms = [{ electedOn: '2018-01-10' }, { electedOn: '2024-01-05' }, { electedOn: '2021-03-01' }]
  it('finds the latest term elected up to the day and the one before', () => {
    expect(termsInForce(terms, '2023-06-01')).toEqual({ current: { electedOn: '2021-03-01' }, previous: { electedOn: '2018-01-10' } })
    expect(termsInForce(terms, '2024-01-05').current).toEqual({ electedOn: '2024-01-05' })
    expect(termsInForce(terms, '2017-01-01')).toEqual({ current: null, previous: null })
  })
})

describe('training hours per year', () => {
  it('counts completed enrolments in the year their class ends, with the class hours when the enrolment has none', () => {
    const rows = hoursPerYear([
      { completed: true, hours: 16, class: { startsOn: '2023-12-20', endsOn: '2024-01-10', hours: 40 } },
      { completed: true, hours: null, class: { startsOn: '2024-05-01', endsOn: null, hours: 24 } },
      { completed: false, hours: 99, class: { startsOn: '2024-06-01', endsOn: '2024-06-03', hours: 99 } },
      { completed: true, class: { startsOn: '2022-03-01', endsOn: '2022-03-05', hours: null } },
    ])
    expect(rows).toEqual([
      { year: 2024, hours: 40, classes: 2 },
      { year: 2022, hours: 0, classes: 1 },
    ])
  })
})

describe('duty board', () => {
  it('groups by status in order, key items first, every status present', () => {
    const board = dutyBoard([
      { id: 1, status: 'DONE', kind: 'HIGHLIGHT' },
      { id: 2, status: 'OPEN', kind: 'HARD' },
      { id: 3, status: 'OPEN', kind: 'KEY' },
    ])
    expect(board.map(([s, items]) => [s, items.map((i) => i.id)])).toEqual([
      ['OPEN', [3, 2]],
      ['DONE', [1]],
      ['CANCELLED', []],
    ])
  })
})

describe('attribute history', () => {
  it('groups periods by attribute, newest first', () => {
    const groups = periodsByAttribute([
      { attribute: 'TAG', validFrom: '2020-01-01' },
      { attribute: 'EDUCATION', validFrom: '2010-01-01' },
      { attribute: 'EDUCATION', validFrom: '2019-07-01' },
      { attribute: 'POLITICAL_STATUS', validFrom: null },
    ])
    expect(groups.map(([a, ps]) => [a, ps.map((p) => p.validFrom)])).toEqual([
      ['EDUCATION', ['2019-07-01', '2010-01-01']],
      ['POLITICAL_STATUS', [null]],
      ['TAG', ['2020-01-01']],
    ])
  })

  it('names the enum of each attribute', () => {
    expect(attributeEnum('EDUCATION')).toBe('PersonEducation')
    expect(attributeEnum('PROFESSIONAL_TITLE')).toBe('')
  })
})
