// A mentoring network (mentorships of a region) as an ECharts graph.

export interface MentorshipLike {
  id: string
  status: string
  mentor: { id: string; name: string }
  mentee: { id: string; name: string }
}

export interface GraphData {
  nodes: { id: string; name: string; value: number; symbolSize: number; category: number }[]
  links: { source: string; target: string; status: string }[]
}

/**
 * People become nodes (sized by how many they mentor; category 0 for
 * mentors, 1 for people who are only mentees), mentorships become links
 * from mentor to mentee. Repeated pairs give one link.
 */
export function mentoringGraph(ms: MentorshipLike[]): GraphData {
  const people = new Map<string, { name: string; mentees: number }>()
  const links = new Map<string, { source: string; target: string; status: string }>()
  for (const m of ms) {
    if (!people.has(m.mentor.id)) people.set(m.mentor.id, { name: m.mentor.name, mentees: 0 })
    if (!people.has(m.mentee.id)) people.set(m.mentee.id, { name: m.mentee.name, mentees: 0 })
    const k = `${m.mentor.id}>${m.mentee.id}`
    if (!links.has(k)) {
      people.get(m.mentor.id)!.mentees++
      links.set(k, { source: m.mentor.id, target: m.mentee.id, status: m.status })
    } else if (m.status === 'ACTIVE') {
      links.get(k)!.status = 'ACTIVE'
    }
  }
  const nodes = [...people].map(([id, p]) => ({
    id,
    name: p.name,
    value: p.mentees,
    symbolSize: 8 + Math.min(p.mentees, 10) * 3,
    category: p.mentees > 0 ? 0 : 1,
  }))
  return { nodes, links: [...links.values()] }
}
