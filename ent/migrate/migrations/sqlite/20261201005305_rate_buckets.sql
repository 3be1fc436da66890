-- Create "rate_buckets" table
CREATE TABLE `rate_buckets` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `key` text NOT NULL, `tat` integer NOT NULL);
-- Set sequence for "rate_buckets" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("rate_buckets", 94489280512);
-- Create index "ratebucket_key" to table: "rate_buckets"
CREATE UNIQUE INDEX `ratebucket_key` ON `rate_buckets` (`key`);
-- Create index "ratebucket_tat" to table: "rate_buckets"
CREATE INDEX `ratebucket_tat` ON `rate_buckets` (`tat`);
