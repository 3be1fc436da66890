-- Create "region_figures_marks" table
CREATE TABLE `region_figures_marks` (`id` text NOT NULL, `code` text NOT NULL, PRIMARY KEY (`id`));
-- Set sequence for "region_figures_marks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("region_figures_marks", 103079215104);
-- Create index "regionfiguresmark_code" to table: "region_figures_marks"
CREATE INDEX `regionfiguresmark_code` ON `region_figures_marks` (`code`);
