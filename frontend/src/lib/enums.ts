// The values of the API's enums in the order the labels list them
// (locales/enums.ts), for the selects of filters and forms.
import { enumLabels } from '@/locales/enums'
import type { PostRole } from '@/gql/graphql'

export function enumValues<T extends string = string>(type: keyof typeof enumLabels): T[] {
  return Object.keys(enumLabels[type]) as T[]
}

export const allPostRoles = enumValues<PostRole>('PostRole')
export const committeeRoles: PostRole[] = ['SECRETARY_AND_DIRECTOR', 'PARTY_SECRETARY', 'COMMITTEE_DIRECTOR', 'DEPUTY_SECRETARY', 'COMMITTEE_MEMBER']
export const residentRoles: PostRole[] = ['FIRST_SECRETARY', 'WORK_TEAM_MEMBER']
export const personTags = enumValues('PersonTag')
