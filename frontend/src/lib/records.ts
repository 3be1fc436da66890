// The records a clerk keeps beside people and villages (考核, 履职清单, 奖惩,
// 星级, 联审, 结对, 顾问, 特派, 需求, 贡献, 协议, 补贴, 农场, 驻村工作队,
// 培训, 单位): for each, the fields of its form and the API's writes. One
// form (components/forms/RecordForm.vue) serves them all, so every record
// is created, edited, ended and deleted the same way, with the server's
// field errors at the fields.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { OutboxKind } from './outbox'
import {
  CloseDemandDocument,
  CreateAdviserAppointmentDocument,
  CreateAssessmentDocument,
  CreateContributionDocument,
  CreateDemandDocument,
  CreateDoctorFarmDocument,
  CreateDutyItemDocument,
  CreateExpertAgreementDocument,
  CreateExpertAssignmentDocument,
  CreateInstitutionDocument,
  CreateMentorshipDocument,
  CreateOfficeAuditDocument,
  CreateResidentTeamDocument,
  CreateResidentAreaDocument,
  CreateResidentAssessmentDocument,
  DeleteResidentAreaDocument,
  DeleteResidentAssessmentDocument,
  UpdateResidentAreaDocument,
  UpdateResidentAssessmentDocument,
  CreateRewardDocument,
  CreateStarRatingDocument,
  CreateSubsidyPaymentDocument,
  CreateTrainingClassDocument,
  CreateTrainingEnrolmentDocument,
  DeleteAssessmentDocument,
  DeleteContributionDocument,
  DeleteDoctorFarmDocument,
  DeleteDutyItemDocument,
  DeleteExpertAgreementDocument,
  DeleteOfficeAuditDocument,
  DeleteResidentTeamDocument,
  DeleteRewardDocument,
  DeleteStarRatingDocument,
  DeleteSubsidyPaymentDocument,
  DeleteTrainingEnrolmentDocument,
  EndAdviserAppointmentDocument,
  EndExpertAssignmentDocument,
  EndMentorshipDocument,
  UpdateAdviserAppointmentDocument,
  UpdateAssessmentDocument,
  UpdateContributionDocument,
  UpdateDemandDocument,
  UpdateDoctorFarmDocument,
  UpdateDutyItemDocument,
  UpdateExpertAgreementDocument,
  UpdateExpertAssignmentDocument,
  UpdateInstitutionDocument,
  UpdateMentorshipDocument,
  UpdateOfficeAuditDocument,
  UpdateResidentTeamDocument,
  UpdateRewardDocument,
  UpdateStarRatingDocument,
  UpdateSubsidyPaymentDocument,
  UpdateTrainingClassDocument,
  UpdateTrainingEnrolmentDocument,
} from '@/gql/graphql'

/**
 * How a field is entered: text (one line), textarea, int, number (decimal),
 * yuan (whole yuan), year, date, bool, enum (one of enum's values), enums
 * (several), lines (a list, one per line), person (PersonPicker), choice
 * (one of the ids the page offers for this field: the person's regions, a
 * village's advisers …), choices (several of them: a list of IDs, which an
 * edit sends as addXIDs / removeXIDs), place (a region chosen level by level, held as its
 * code and sent as its ID).
 */
export type Widget = 'text' | 'textarea' | 'int' | 'number' | 'yuan' | 'year' | 'date' | 'bool' | 'enum' | 'enums' | 'lines' | 'person' | 'choice' | 'choices' | 'place'

export interface RecordField {
  key: string
  widget: Widget
  required?: boolean
  /** The API enum of enum and enums fields (locales/enums.ts). */
  enum?: string
  /** Set when the record is created, never changed by an edit (its owner, its place). */
  createOnly?: boolean
  min?: number
  max?: number
}

type AnyDocument = TypedDocumentNode<any, any>

/** A write that closes a record on a date with its own arguments (not an input). */
export interface RecordEnding {
  document: AnyDocument
  fields: RecordField[]
}

export interface RecordKind {
  id: string
  /** The API type (for the cache and the field labels). */
  type: string
  fields: RecordField[]
  create: AnyDocument
  update?: AnyDocument
  remove?: AnyDocument
  end?: RecordEnding
  /** Written through the outbox (lib/outbox.ts): kept while offline, sent once back. */
  offline?: OutboxKind
}

const notes: RecordField = { key: 'notes', widget: 'textarea' }
const region: RecordField = { key: 'regionID', widget: 'choice', required: true, createOnly: true }
const village: RecordField = { key: 'villageID', widget: 'choice', required: true, createOnly: true }
const endDate: RecordField = { key: 'endDate', widget: 'date', required: true }

export const recordKinds = {
  assessment: {
    id: 'assessment',
    type: 'Assessment',
    fields: [
      { key: 'year', widget: 'year', required: true, createOnly: true },
      region,
      { key: 'grade', widget: 'enum', enum: 'AssessmentGrade', required: true },
      { key: 'reviewScore', widget: 'number', min: 0, max: 100 },
      { key: 'rank', widget: 'int', min: 1 },
      { key: 'rankedAmong', widget: 'int', min: 1 },
      { key: 'rankScope', widget: 'enum', enum: 'AssessmentRankScope' },
      { key: 'pledge', widget: 'textarea' },
      notes,
    ],
    create: CreateAssessmentDocument,
    update: UpdateAssessmentDocument,
    remove: DeleteAssessmentDocument,
  },
  dutyItem: {
    id: 'dutyItem',
    type: 'DutyItem',
    offline: 'dutyItem',
    fields: [
      { key: 'year', widget: 'year', required: true, createOnly: true },
      region,
      { key: 'task', widget: 'textarea', required: true },
      { key: 'kind', widget: 'enum', enum: 'DutyItemKind', required: true },
      { key: 'deadline', widget: 'date' },
      { key: 'status', widget: 'enum', enum: 'DutyItemStatus' },
      { key: 'completedOn', widget: 'date' },
      { key: 'evidence', widget: 'textarea' },
      { key: 'reviewedBy', widget: 'text' },
    ],
    create: CreateDutyItemDocument,
    update: UpdateDutyItemDocument,
    remove: DeleteDutyItemDocument,
  },
  reward: {
    id: 'reward',
    type: 'Reward',
    fields: [
      region,
      { key: 'kind', widget: 'enum', enum: 'RewardKind', required: true },
      { key: 'title', widget: 'text', required: true },
      { key: 'level', widget: 'enum', enum: 'RewardLevel', required: true },
      { key: 'date', widget: 'date', required: true },
      { key: 'amountYuan', widget: 'yuan', min: 0 },
      { key: 'documentNo', widget: 'text' },
      notes,
    ],
    create: CreateRewardDocument,
    update: UpdateRewardDocument,
    remove: DeleteRewardDocument,
  },
  officeAudit: {
    id: 'officeAudit',
    type: 'OfficeAudit',
    fields: [
      region,
      { key: 'personID', widget: 'choice', createOnly: true },
      { key: 'kind', widget: 'enum', enum: 'OfficeAuditKind', required: true },
      { key: 'date', widget: 'date', required: true },
      { key: 'findings', widget: 'textarea', required: true },
      { key: 'followUp', widget: 'textarea' },
      { key: 'status', widget: 'enum', enum: 'OfficeAuditStatus' },
    ],
    create: CreateOfficeAuditDocument,
    update: UpdateOfficeAuditDocument,
    remove: DeleteOfficeAuditDocument,
  },
  starRating: {
    id: 'starRating',
    type: 'StarRating',
    fields: [
      { key: 'year', widget: 'year', required: true, createOnly: true },
      { key: 'stars', widget: 'int', required: true, min: 1, max: 5 },
      { key: 'title', widget: 'text' },
      { key: 'ratedBy', widget: 'text' },
      { key: 'date', widget: 'date' },
    ],
    create: CreateStarRatingDocument,
    update: UpdateStarRatingDocument,
    remove: DeleteStarRatingDocument,
  },
  mentorship: {
    id: 'mentorship',
    type: 'Mentorship',
    fields: [
      { key: 'mentorID', widget: 'person', required: true, createOnly: true },
      { key: 'menteeID', widget: 'person', required: true, createOnly: true },
      { key: 'program', widget: 'enum', enum: 'MentorshipProgram', required: true },
      { key: 'startDate', widget: 'date', required: true },
      { key: 'regionID', widget: 'choice' },
      { key: 'goals', widget: 'textarea' },
    ],
    create: CreateMentorshipDocument,
    update: UpdateMentorshipDocument,
    end: {
      document: EndMentorshipDocument,
      fields: [endDate, { key: 'ending', widget: 'enum', enum: 'MentorshipEnding', required: true }, { key: 'outcome', widget: 'textarea' }],
    },
  },
  adviserAppointment: {
    id: 'adviserAppointment',
    type: 'AdviserAppointment',
    fields: [
      { key: 'personID', widget: 'person', required: true, createOnly: true },
      village,
      { key: 'kind', widget: 'enum', enum: 'AdviserAppointmentKind', required: true },
      { key: 'startDate', widget: 'date', required: true },
      { key: 'certificateNo', widget: 'text' },
    ],
    create: CreateAdviserAppointmentDocument,
    update: UpdateAdviserAppointmentDocument,
    end: { document: EndAdviserAppointmentDocument, fields: [endDate] },
  },
  expertAssignment: {
    id: 'expertAssignment',
    type: 'ExpertAssignment',
    fields: [
      { key: 'expertID', widget: 'person', required: true, createOnly: true },
      region,
      { key: 'startDate', widget: 'date', required: true },
      { key: 'fields', widget: 'enums', enum: 'AgriculturalField' },
      { key: 'agreementSigned', widget: 'bool' },
      { key: 'annualSubsidyYuan', widget: 'yuan', min: 0 },
      { key: 'demandID', widget: 'choice' },
    ],
    create: CreateExpertAssignmentDocument,
    update: UpdateExpertAssignmentDocument,
    end: { document: EndExpertAssignmentDocument, fields: [endDate] },
  },
  demand: {
    id: 'demand',
    type: 'Demand',
    fields: [
      { key: 'field', widget: 'enum', enum: 'AgriculturalField', required: true },
      { key: 'description', widget: 'textarea', required: true },
      { key: 'raisedOn', widget: 'date' },
    ],
    create: CreateDemandDocument,
    update: UpdateDemandDocument,
    end: { document: CloseDemandDocument, fields: [{ key: 'closedOn', widget: 'date', required: true }] },
  },
  contribution: {
    id: 'contribution',
    type: 'Contribution',
    fields: [
      { key: 'kind', widget: 'enum', enum: 'ContributionKind', required: true },
      { key: 'date', widget: 'date', required: true },
      { key: 'amountYuan', widget: 'yuan', min: 0 },
      { key: 'description', widget: 'textarea' },
      { key: 'appointmentID', widget: 'choice' },
    ],
    create: CreateContributionDocument,
    update: UpdateContributionDocument,
    remove: DeleteContributionDocument,
  },
  expertAgreement: {
    id: 'expertAgreement',
    type: 'ExpertAgreement',
    fields: [
      region,
      { key: 'title', widget: 'text', required: true },
      { key: 'startDate', widget: 'date', required: true },
      { key: 'endDate', widget: 'date' },
      { key: 'parties', widget: 'text' },
      { key: 'targets', widget: 'textarea' },
      { key: 'content', widget: 'textarea' },
      { key: 'proceedsSharePercent', widget: 'number', min: 0, max: 100 },
      { key: 'signedOn', widget: 'date' },
      notes,
    ],
    create: CreateExpertAgreementDocument,
    update: UpdateExpertAgreementDocument,
    remove: DeleteExpertAgreementDocument,
  },
  subsidyPayment: {
    id: 'subsidyPayment',
    type: 'SubsidyPayment',
    fields: [
      region,
      { key: 'year', widget: 'year', required: true },
      { key: 'amountYuan', widget: 'yuan', required: true, min: 0 },
      { key: 'paidOn', widget: 'date' },
      notes,
    ],
    create: CreateSubsidyPaymentDocument,
    update: UpdateSubsidyPaymentDocument,
    remove: DeleteSubsidyPaymentDocument,
  },
  doctorFarm: {
    id: 'doctorFarm',
    type: 'DoctorFarm',
    fields: [
      village,
      { key: 'name', widget: 'text', required: true },
      { key: 'foundedOn', widget: 'date', required: true },
      { key: 'yearlyFundingYuan', widget: 'yuan', min: 0 },
      { key: 'yearsFunded', widget: 'int', min: 0, max: 50 },
      notes,
    ],
    create: CreateDoctorFarmDocument,
    update: UpdateDoctorFarmDocument,
    remove: DeleteDoctorFarmDocument,
  },
  residentTeam: {
    id: 'residentTeam',
    type: 'ResidentTeam',
    fields: [
      { key: 'name', widget: 'text' },
      { key: 'dispatchLevel', widget: 'enum', enum: 'ResidentTeamDispatchLevel', required: true },
      { key: 'startDate', widget: 'date', required: true },
      { key: 'endDate', widget: 'date' },
      { key: 'leaderID', widget: 'choice' },
      { key: 'sendingUnits', widget: 'lines' },
      notes,
    ],
    create: CreateResidentTeamDocument,
    update: UpdateResidentTeamDocument,
    remove: DeleteResidentTeamDocument,
  },
  residentArea: {
    id: 'residentArea',
    type: 'ResidentArea',
    fields: [
      { key: 'name', widget: 'text', required: true },
      { key: 'startDate', widget: 'date', required: true },
      { key: 'endDate', widget: 'date' },
      { key: 'partyBranch', widget: 'text' },
      { key: 'leaderID', widget: 'person' },
      { key: 'villageIDs', widget: 'choices' },
      notes,
    ],
    create: CreateResidentAreaDocument,
    update: UpdateResidentAreaDocument,
    remove: DeleteResidentAreaDocument,
  },
  residentAssessment: {
    id: 'residentAssessment',
    type: 'ResidentAssessment',
    fields: [
      region,
      { key: 'year', widget: 'year', required: true },
      { key: 'kind', widget: 'enum', enum: 'ResidentAssessmentKind', required: true },
      { key: 'period', widget: 'int', min: 1, max: 12 },
      { key: 'grade', widget: 'enum', enum: 'ResidentAssessmentGrade', required: true },
      { key: 'assessedBy', widget: 'text' },
      { key: 'assessedOn', widget: 'date' },
      { key: 'teamID', widget: 'choice' },
      notes,
    ],
    create: CreateResidentAssessmentDocument,
    update: UpdateResidentAssessmentDocument,
    remove: DeleteResidentAssessmentDocument,
  },
  institution: {
    id: 'institution',
    type: 'Institution',
    fields: [
      { key: 'name', widget: 'text', required: true },
      { key: 'kind', widget: 'enum', enum: 'InstitutionKind', required: true },
    ],
    create: CreateInstitutionDocument,
    update: UpdateInstitutionDocument,
  },
  trainingClass: {
    id: 'trainingClass',
    type: 'TrainingClass',
    fields: [
      { key: 'regionID', widget: 'place', required: true, createOnly: true, max: 4 },
      { key: 'name', widget: 'text', required: true },
      { key: 'kind', widget: 'enum', enum: 'TrainingClassKind', required: true },
      { key: 'organizer', widget: 'text' },
      { key: 'place', widget: 'text' },
      { key: 'startsOn', widget: 'date', required: true },
      { key: 'endsOn', widget: 'date' },
      { key: 'hours', widget: 'number', min: 0, max: 2000 },
      notes,
    ],
    create: CreateTrainingClassDocument,
    update: UpdateTrainingClassDocument,
  },
  trainingEnrolment: {
    id: 'trainingEnrolment',
    type: 'TrainingEnrolment',
    fields: [
      { key: 'personID', widget: 'person', required: true, createOnly: true },
      { key: 'completed', widget: 'bool' },
      { key: 'hours', widget: 'number', min: 0, max: 2000 },
      { key: 'result', widget: 'text' },
    ],
    create: CreateTrainingEnrolmentDocument,
    update: UpdateTrainingEnrolmentDocument,
    remove: DeleteTrainingEnrolmentDocument,
  },
} satisfies Record<string, RecordKind>

export type RecordKindID = keyof typeof recordKinds

/** The form's values: what a field holds while it is edited. */
export type Values = Record<string, unknown>

/** A value nothing was entered for. */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
}

/** The value a field sends: text trimmed, a list of lines split and trimmed. */
function sent(f: RecordField, v: unknown): unknown {
  if (f.widget === 'lines' && typeof v === 'string') return v.split(/\r?\n|[,，;；、]/).map((s) => s.trim()).filter(Boolean)
  if (typeof v === 'string') return v.trim()
  if (f.widget === 'year' || f.widget === 'int' || f.widget === 'yuan') return typeof v === 'number' ? Math.round(v) : v
  return v
}

/** A form's values from a record as read (a list shown one per line). */
export function valuesOf(fields: RecordField[], row: Record<string, unknown>): Values {
  const out: Values = {}
  for (const f of fields) {
    let v = row[f.key]
    if (v === undefined && f.key.endsWith('ID')) {
      // A link read as an object (region { id }) fills its ID field.
      const linked = row[f.key.slice(0, -2)] as { id?: string } | null | undefined
      v = linked ? linked.id : linked
    }
    if (v === undefined && f.key.endsWith('IDs')) {
      // Links read as a list or a connection (villages { edges { node { id } } }).
      const linked = row[f.key.slice(0, -3) + 's'] as { id: string }[] | { edges?: ({ node?: { id: string } | null } | null)[] | null } | null | undefined
      if (Array.isArray(linked)) v = linked.map((x) => x.id)
      else if (linked?.edges) v = linked.edges.flatMap((e) => (e?.node ? [e.node.id] : []))
    }
    if (f.widget === 'lines' && Array.isArray(v)) v = v.join('\n')
    out[f.key] = v
  }
  return out
}

/** The required fields left empty (the fixed ones excepted). */
export function missing(fields: RecordField[], values: Values, fixed: Values = {}): string[] {
  return fields.filter((f) => f.required && !(f.key in fixed) && f.widget !== 'bool' && isEmpty(values[f.key])).map((f) => f.key)
}

/** The input of a create: every field given, and the page's fixed links. */
export function createInput(fields: RecordField[], values: Values, fixed: Values = {}): Values {
  const input: Values = {}
  for (const f of fields) {
    if (f.key in fixed) continue
    const v = values[f.key]
    if (isEmpty(v)) continue
    input[f.key] = sent(f, v)
  }
  return { ...input, ...fixed }
}

const capital = (name: string) => name[0].toUpperCase() + name.slice(1)

/** The clear flag of a field: clearNotes, and clearRegion for regionID (a link). */
export function clearKey(key: string): string {
  const name = key.endsWith('ID') ? key.slice(0, -2) : key
  return 'clear' + capital(name)
}

function same(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The input of an edit: only what changed from the record as read — a
 * field emptied is cleared (clearX), a required one is left as it was;
 * a field the page did not read (undefined) and left empty is untouched.
 */
export function updateInput(fields: RecordField[], values: Values, initial: Values): Values {
  const input: Values = {}
  for (const f of fields) {
    if (f.createOnly) continue
    const v = values[f.key]
    const was = initial[f.key]
    if (f.widget === 'choices') {
      // villageIDs: addVillageIDs and removeVillageIDs, the difference from what was read.
      const now = new Set((v as string[] | undefined) ?? [])
      const before = new Set((was as string[] | undefined) ?? [])
      const add = [...now].filter((x) => !before.has(x))
      const remove = [...before].filter((x) => !now.has(x))
      const name = capital(f.key)
      if (add.length) input[`add${name}`] = add
      if (remove.length) input[`remove${name}`] = remove
      continue
    }
    if (same(sent(f, v), sent(f, was))) continue
    if (isEmpty(v)) {
      if (!f.required && was !== undefined) input[clearKey(f.key)] = true
      continue
    }
    input[f.key] = sent(f, v)
  }
  return input
}

/** The arguments of an ending (endDate, ending, outcome …) with the record's id. */
export function endVariables(fields: RecordField[], id: string, values: Values): Values {
  const out: Values = { id }
  for (const f of fields) out[f.key] = isEmpty(values[f.key]) ? null : sent(f, values[f.key])
  return out
}
