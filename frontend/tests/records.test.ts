import { describe, expect, it } from 'vitest'
import { clearKey, createInput, endVariables, missing, recordKinds, updateInput, valuesOf } from '@/lib/records'

const assessment = recordKinds.assessment.fields

describe('record inputs', () => {
  it('a create sends what was entered, trimmed, and the fixed links over the form', () => {
    const input = createInput(assessment, { year: 2025, regionID: 'R1', grade: 'EXCELLENT', pledge: '  修路  ', notes: '', rank: null, personID: 'evil' }, { personID: 'P1' })
    expect(input).toEqual({ year: 2025, regionID: 'R1', grade: 'EXCELLENT', pledge: '修路', personID: 'P1' })
  })

  it('a list is sent one entry per line, comma or 、', () => {
    const team = recordKinds.residentTeam.fields
    expect(createInput(team, { dispatchLevel: 'COUNTY', startDate: '2025-01-01', sendingUnits: '县农业农村局\n县财政局、 县医院 \n' }, { villageID: 'V' }).sendingUnits).toEqual(['县农业农村局', '县财政局', '县医院'])
  })

  it('an edit sends only what changed, clears an optional field emptied, never a required or create-only one', () => {
    const row = { id: 'A1', year: 2024, grade: 'COMPETENT', reviewScore: 88.5, pledge: '修路', region: { id: 'R1' } }
    const initial = valuesOf(assessment, row)
    expect(initial.regionID).toBe('R1')
    const values = { ...initial, year: 2020, regionID: 'R2', grade: 'EXCELLENT', reviewScore: 88.5, pledge: '', notes: '' }
    expect(updateInput(assessment, values, initial)).toEqual({ grade: 'EXCELLENT', clearPledge: true })
    // notes was never read: left empty it is not cleared
    expect(updateInput(assessment, { ...initial, grade: '' }, initial)).toEqual({})
  })

  it('a link is cleared by its edge name', () => {
    expect(clearKey('regionID')).toBe('clearRegion')
    expect(clearKey('notes')).toBe('clearNotes')
    const mentorship = recordKinds.mentorship.fields
    const initial = valuesOf(mentorship, { id: 'M', program: 'HEAD_GOOSE', startDate: '2024-01-01', region: { id: 'R' } })
    expect(updateInput(mentorship, { ...initial, regionID: null }, initial)).toEqual({ clearRegion: true })
  })

  it('required fields left empty are named, fixed ones and switches are not', () => {
    expect(missing(assessment, { year: 2025, grade: '' }, { regionID: 'R' })).toEqual(['grade'])
    expect(missing(recordKinds.expertAssignment.fields, { expertID: 'E', regionID: 'R', startDate: '2025-01-01' })).toEqual([])
  })

  it('an ending sends its own arguments, null for what was left empty', () => {
    expect(endVariables(recordKinds.mentorship.end.fields, 'M', { endDate: '2025-06-30', ending: 'DISSOLVED', outcome: ' ' })).toEqual({ id: 'M', endDate: '2025-06-30', ending: 'DISSOLVED', outcome: null })
  })

  it('links chosen by several are read from a connection and edited as what was added and removed', () => {
    const area = recordKinds.residentArea.fields
    const initial = valuesOf(area, { id: 'A', name: '东片区', startDate: '2024-01-01', villages: { edges: [{ node: { id: 'V1' } }, { node: { id: 'V2' } }] } })
    expect(initial.villageIDs).toEqual(['V1', 'V2'])
    expect(updateInput(area, { ...initial, villageIDs: ['V2', 'V3'] }, initial)).toEqual({ addVillageIDs: ['V3'], removeVillageIDs: ['V1'] })
    expect(updateInput(area, { ...initial }, initial)).toEqual({})
    expect(createInput(area, { name: '西片区', startDate: '2025-01-01', villageIDs: ['V4'] }, { regionID: 'T' })).toEqual({ name: '西片区', startDate: '2025-01-01', villageIDs: ['V4'], regionID: 'T' })
  })
})
