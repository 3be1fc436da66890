// Package migrations embeds the versioned schema migrations written by
// ent/migrate/main.go (and the hand-written ones beside them), one directory
// per dialect, each with the atlas.sum that guards it against edits. The
// database package applies them (database.(*DB).MigrateUp).
package migrations

import "embed"

// FS holds sqlite/ and postgres/.
//
//go:embed sqlite postgres
var FS embed.FS
