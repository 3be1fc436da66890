// Which roles may write each kind of record — the server's rule
// (ent/schema/privacy.go: scopedWrite with admins, townshipUp or
// regionalAll), mirrored so a page offers only the writes the server
// allows; tests/writers.test.ts reads privacy.go and fails when they differ.
import type { UserRole } from '@/gql/graphql'

const admins: UserRole[] = ['ADMIN']
const townshipUp: UserRole[] = ['ADMIN', 'TOWNSHIP']
const regionalAll: UserRole[] = ['ADMIN', 'TOWNSHIP', 'VILLAGE']

export const writers: Record<string, UserRole[]> = {
  Institution: admins,
  Person: admins,
  Post: townshipUp,
  Mentorship: admins,
  AdviserAppointment: admins,
  ContactLog: regionalAll,
  Contribution: admins,
  Assessment: townshipUp,
  DutyItem: regionalAll,
  ExpertAssignment: admins,
  // Partners write their own experts' service records besides (a rule of its own).
  ServiceRecord: [...admins, 'PARTNER'],
  Demand: townshipUp,
  Reward: admins,
  StarRating: admins,
  OfficeAudit: admins,
  Term: admins,
  TrainingClass: townshipUp,
  TrainingEnrolment: townshipUp,
  ResidentTeam: admins,
  ResidentArea: admins,
  ResidentAssessment: townshipUp,
  ExpertAgreement: admins,
  SubsidyPayment: admins,
  DoctorFarm: admins,
}

/** Whether a user of role may write records of the API type. */
export function mayWrite(role: UserRole | undefined, type: string): boolean {
  return !!role && (writers[type] ?? []).includes(role)
}
