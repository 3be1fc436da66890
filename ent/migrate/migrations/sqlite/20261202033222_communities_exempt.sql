-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_regions" table
CREATE TABLE `new_regions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `level` text NOT NULL, `kind` text NULL, `communities_exempt` bool NOT NULL DEFAULT (false), `parent_id` integer NULL, CONSTRAINT `regions_regions_children` FOREIGN KEY (`parent_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_regions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_regions", 38654705664);
-- Copy rows from old table "regions" to new temporary table "new_regions"
INSERT INTO `new_regions` (`id`, `created_at`, `updated_at`, `code`, `name`, `level`, `kind`, `parent_id`) SELECT `id`, `created_at`, `updated_at`, `code`, `name`, `level`, `kind`, `parent_id` FROM `regions`;
-- Drop "regions" table after copying rows
DROP TABLE `regions`;
-- Rename temporary table "new_regions" to "regions"
ALTER TABLE `new_regions` RENAME TO `regions`;
-- Create index "regions_code_key" to table: "regions"
CREATE UNIQUE INDEX `regions_code_key` ON `regions` (`code`);
-- Create index "region_parent_id" to table: "regions"
CREATE INDEX `region_parent_id` ON `regions` (`parent_id`);
-- Create index "region_level_code" to table: "regions"
CREATE INDEX `region_level_code` ON `regions` (`level`, `code`);
-- Create index "region_name" to table: "regions"
CREATE INDEX `region_name` ON `regions` (`name`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
