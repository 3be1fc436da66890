package rules

// A Pair is a mentoring relation: Mentor guides Mentee. P identifies a
// person: an ID on file, or whatever stands for a person not written yet.
type Pair[P comparable] struct{ Mentor, Mentee P }

// NotSelf: nobody mentors themselves.
func NotSelf[P comparable](p Pair[P]) *Violation {
	if p.Mentor == p.Mentee {
		return &Violation{Code: SelfMentoring, Field: "menteeID"}
	}
	return nil
}

// OneActivePair: a mentor and mentee have at most one active pair. active
// holds the active pairs already recorded, and Where.
func OneActivePair[P comparable](p Pair[P], active map[Pair[P]]Where) *Violation {
	if w, ok := active[p]; ok {
		return &Violation{Code: SecondActivePair, Field: "menteeID", Args: []any{w}}
	}
	return nil
}

// NoCycles: nobody is above themselves in a mentoring lineage. Given the
// recorded pairs and the new ones, it returns for each new pair the
// violation when the pair lies on a cycle (nil when not): with all new
// pairs added at once, every pair of a cycle they close is refused, not
// only the last, since a roster has no order among its rows. A person
// mentoring themselves is a cycle of one.
func NoCycles[P comparable](recorded, fresh []Pair[P]) []*Violation {
	graph := map[P][]P{}
	for _, ps := range [][]Pair[P]{recorded, fresh} {
		for _, p := range ps {
			graph[p.Mentor] = append(graph[p.Mentor], p.Mentee)
		}
	}
	comp := components(graph)
	out := make([]*Violation, len(fresh))
	for i, p := range fresh {
		if p.Mentor == p.Mentee || comp[p.Mentor] == comp[p.Mentee] {
			out[i] = &Violation{Code: MentoringCycle, Field: "menteeID"}
		}
	}
	return out
}

// components gives each node of a directed graph its strongly connected
// component (Tarjan's algorithm): two people in one component are above
// each other through a cycle.
func components[P comparable](graph map[P][]P) map[P]int {
	index, low, comp := map[P]int{}, map[P]int{}, map[P]int{}
	onStack := map[P]bool{}
	var stack []P
	next, ncomp := 0, 0
	var visit func(v P)
	visit = func(v P) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range graph[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for v := range graph {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return comp
}
