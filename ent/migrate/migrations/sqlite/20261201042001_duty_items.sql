-- Create "duty_items" table
CREATE TABLE `duty_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `year` integer NOT NULL, `task` text NOT NULL, `kind` text NOT NULL, `deadline` datetime NULL, `status` text NOT NULL DEFAULT ('OPEN'), `completed_on` datetime NULL, `evidence` text NULL, `reviewed_by` text NULL, `person_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `duty_items_persons_duty_items` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `duty_items_regions_duty_items` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "duty_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("duty_items", 111669149696);
-- Create index "dutyitem_person_id_year" to table: "duty_items"
CREATE INDEX `dutyitem_person_id_year` ON `duty_items` (`person_id`, `year`);
-- Create index "dutyitem_region_id_year" to table: "duty_items"
CREATE INDEX `dutyitem_region_id_year` ON `duty_items` (`region_id`, `year`);
-- Create index "dutyitem_deadline" to table: "duty_items"
CREATE INDEX `dutyitem_deadline` ON `duty_items` (`deadline`);
