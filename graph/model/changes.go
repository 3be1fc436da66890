package model

import (
	"time"

	"yanzhen/graph/load"
)

// Change is one entry of the change feed (package changes); its node
// resolves through the page's shared loader, one statement per type for
// the whole page.
type Change struct {
	Refs     *load.Refs
	Position string
	At       time.Time
	Kind     ChangeKind
	Type     string
	ID       int
	// NodeID is the object to load, 0 for DELETED and REMOVED.
	NodeID int
}

// ChangePage is a page of the change feed.
type ChangePage struct {
	Changes []*Change
	Cursor  string
	HasMore bool
}
