package audit

// Covers reports whether the hook can read the rows of typ before a delete
// (a source) and find their region.
func Covers(typ string) (rows, region bool) {
	_, rows = sources[typ]
	_, region = regionSQL[typ]
	return rows, region
}
