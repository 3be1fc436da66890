-- Create "region_figures" table
CREATE TABLE `region_figures` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `code` text NOT NULL, `as_of` datetime NOT NULL, `params` text NOT NULL DEFAULT (''), `statistics` text NOT NULL DEFAULT (''), `alerts` text NOT NULL DEFAULT (''), `computed_at` datetime NOT NULL, `stale` bool NOT NULL DEFAULT (true), `version` integer NOT NULL DEFAULT (0), `claimed_until` datetime NULL);
-- Set sequence for "region_figures" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("region_figures", 98784247808);
-- Create index "regionfigures_code" to table: "region_figures"
CREATE UNIQUE INDEX `regionfigures_code` ON `region_figures` (`code`);
