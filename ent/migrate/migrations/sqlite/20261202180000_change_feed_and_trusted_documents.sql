-- Create "feed_clocks" table
CREATE TABLE `feed_clocks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `commits` integer NOT NULL DEFAULT (0));
-- Set sequence for "feed_clocks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("feed_clocks", 180388626432);
-- Create "feed_entries" table
CREATE TABLE `feed_entries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `op` text NOT NULL, `entity_type` text NOT NULL, `object_id` integer NOT NULL, `region_code` text NOT NULL DEFAULT (''), `institution_id` integer NOT NULL DEFAULT (0));
-- Set sequence for "feed_entries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("feed_entries", 184683593728);
-- Create index "feedentry_region_code" to table: "feed_entries"
CREATE INDEX `feedentry_region_code` ON `feed_entries` (`region_code`);
-- Create index "feedentry_institution_id" to table: "feed_entries"
CREATE INDEX `feedentry_institution_id` ON `feed_entries` (`institution_id`);
-- Create index "feedentry_object_id" to table: "feed_entries"
CREATE INDEX `feedentry_object_id` ON `feed_entries` (`object_id`);
-- Create "trusted_documents" table
CREATE TABLE `trusted_documents` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `hash` text NOT NULL, `document` text NOT NULL, `operations` text NOT NULL DEFAULT (''), `client` text NOT NULL, `added_at` datetime NOT NULL);
-- Set sequence for "trusted_documents" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("trusted_documents", 188978561024);
-- Create index "trusteddocument_hash" to table: "trusted_documents"
CREATE UNIQUE INDEX `trusteddocument_hash` ON `trusted_documents` (`hash`);
-- Create index "trusteddocument_client" to table: "trusted_documents"
CREATE INDEX `trusteddocument_client` ON `trusted_documents` (`client`);
