// Dates as the API writes them (YYYY-MM-DD), compared as calendar days.

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const y = now.getFullYear()
  const m = String(now.getMonth() + 1).padStart(2, '0')
  const d = String(now.getDate()).padStart(2, '0')
  return `${y}-${m}-${d}`
}

function dayNumber(s: string): number {
  const [y, m, d] = s.split('-').map(Number)
  return Date.UTC(y, m - 1, d) / 86_400_000
}

/** Whole days from a to b (b later is positive). */
export function daysBetween(a: string, b: string): number {
  return Math.round(dayNumber(b) - dayNumber(a))
}

/** Completed years of age on a day, null without a birth date. */
export function age(birthDate: string | null | undefined, on: string = today()): number | null {
  if (!birthDate) return null
  const [by, bm, bd] = birthDate.split('-').map(Number)
  const [y, m, d] = on.split('-').map(Number)
  let years = y - by
  if (m < bm || (m === bm && d < bd)) years--
  return years
}

/** A period as pages show it, '2021-03-01 – 2024-02-29'; `ongoing` stands for a missing end. */
export function period(start: string, end: string | null | undefined, ongoing: string): string {
  return `${start} – ${end ?? ongoing}`
}

/** An adviser is overdue when not contacted for more than this many days (the server's alert threshold). */
export const CONTACT_OVERDUE_DAYS = 30

/** Days past the contact threshold (> 0 means overdue), counted from the last contact or, without one, the appointment's start. */
export function contactOverdueDays(lastContact: string | null | undefined, since: string, on: string = today()): number {
  return daysBetween(lastContact ?? since, on) - CONTACT_OVERDUE_DAYS
}

/** The day before a YYYY-MM-DD, never before `floor` (a post ended the day before its successor starts, not before it began). */
export function dayBefore(day: string, floor?: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const prev = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10)
  return floor && prev < floor ? floor : prev
}

/** The roles that hold the same office: a new holder of one ends the other's post (一肩挑 holds both). */
export function sameSeat(role: string, other: string): boolean {
  const secretary = ['PARTY_SECRETARY', 'SECRETARY_AND_DIRECTOR']
  const director = ['COMMITTEE_DIRECTOR', 'SECRETARY_AND_DIRECTOR']
  if (role === other) return role !== 'COMMITTEE_MEMBER' && role !== 'RESERVE_CADRE' && role !== 'WORK_TEAM_MEMBER' && role !== 'SUPERVISORY_MEMBER'
  return (secretary.includes(role) && secretary.includes(other)) || (director.includes(role) && director.includes(other))
}
