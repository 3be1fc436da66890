// 其他名册/任职分布 of the person page: the places where a person holds or
// held a post, an adviser appointment, an expert assignment or a
// mentorship, one line per place with what they do there, current first.

export type Involvement = 'post' | 'adviser' | 'expert' | 'mentor' | 'mentee'

interface RegionLike { id: string; code: string; name: string; level: string }
interface Dated { startDate?: string | null; endDate?: string | null; status?: string | null }

export interface Place {
  region: RegionLike
  kinds: Involvement[]
  /** Whether one of them is still going on. */
  current: boolean
  /** The earliest start there. */
  since: string
}

export interface ElsewhereLike {
  posts: Array<Dated & { region: RegionLike }>
  adviserAppointments: Array<Dated & { village: RegionLike }>
  expertAssignments: Array<Dated & { region: RegionLike }>
  mentorshipsAsMentor: Array<Dated & { region?: RegionLike | null }>
  mentorshipsAsMentee: Array<Dated & { region?: RegionLike | null }>
}

/** A record is current when it has not ended (and a mentorship is active). */
const ongoing = (d: Dated) => !d.endDate && (d.status == null || d.status === 'ACTIVE')

export function placesOf(p: ElsewhereLike): Place[] {
  const byCode = new Map<string, Place>()
  const add = (region: RegionLike | null | undefined, kind: Involvement, d: Dated) => {
    if (!region) return
    let place = byCode.get(region.code)
    if (!place) {
      place = { region, kinds: [], current: false, since: d.startDate ?? '' }
      byCode.set(region.code, place)
    }
    if (!place.kinds.includes(kind)) place.kinds.push(kind)
    place.current ||= ongoing(d)
    if (d.startDate && (!place.since || d.startDate < place.since)) place.since = d.startDate
  }
  for (const x of p.posts) add(x.region, 'post', x)
  for (const x of p.adviserAppointments) add(x.village, 'adviser', x)
  for (const x of p.expertAssignments) add(x.region, 'expert', x)
  for (const x of p.mentorshipsAsMentor) add(x.region, 'mentor', x)
  for (const x of p.mentorshipsAsMentee) add(x.region, 'mentee', x)
  return [...byCode.values()].sort((a, b) => Number(b.current) - Number(a.current) || a.region.code.localeCompare(b.region.code))
}
