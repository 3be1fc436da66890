-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_import_jobs" table
CREATE TABLE `new_import_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `region_code` text NULL, `file_name` text NOT NULL, `content` blob NULL, `annotated` blob NULL, `annotated_size` integer NOT NULL DEFAULT (0), `dry_run` bool NOT NULL DEFAULT (false), `status` text NOT NULL DEFAULT ('QUEUED'), `failure_code` text NULL, `status_message` text NULL, `phase` text NOT NULL DEFAULT ('QUEUED'), `rows_done` integer NOT NULL DEFAULT (0), `rows_total` integer NOT NULL DEFAULT (0), `report` json NULL, `started_at` datetime NULL, `finished_at` datetime NULL, `attempts` integer NOT NULL DEFAULT (0), `claim` text NULL, `lease_until` datetime NULL, `owner_id` integer NOT NULL, CONSTRAINT `import_jobs_users_import_jobs` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_import_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_import_jobs", 60129542144);
-- Copy rows from old table "import_jobs" to new temporary table "new_import_jobs"
INSERT INTO `new_import_jobs` (`id`, `created_at`, `updated_at`, `region_code`, `file_name`, `content`, `dry_run`, `status`, `failure_code`, `status_message`, `phase`, `rows_done`, `rows_total`, `report`, `started_at`, `finished_at`, `attempts`, `claim`, `lease_until`, `owner_id`) SELECT `id`, `created_at`, `updated_at`, `region_code`, `file_name`, `content`, `dry_run`, `status`, `failure_code`, `status_message`, `phase`, `rows_done`, `rows_total`, `report`, `started_at`, `finished_at`, `attempts`, `claim`, `lease_until`, `owner_id` FROM `import_jobs`;
-- Drop "import_jobs" table after copying rows
DROP TABLE `import_jobs`;
-- Rename temporary table "new_import_jobs" to "import_jobs"
ALTER TABLE `new_import_jobs` RENAME TO `import_jobs`;
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX `importjob_status` ON `import_jobs` (`status`);
-- Create index "importjob_owner_id" to table: "import_jobs"
CREATE INDEX `importjob_owner_id` ON `import_jobs` (`owner_id`);
-- Create index "importjob_region_code" to table: "import_jobs"
CREATE INDEX `importjob_region_code` ON `import_jobs` (`region_code`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
