-- Create "assessments" table
CREATE TABLE `assessments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `year` integer NOT NULL, `grade` text NOT NULL, `review_score` real NULL, `rank` integer NULL, `ranked_among` integer NULL, `rank_scope` text NULL, `pledge` text NULL, `notes` text NULL, `person_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `assessments_persons_assessments` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `assessments_regions_assessments` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "assessments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("assessments", 107374182400);
-- Create index "assessment_person_id_year" to table: "assessments"
CREATE UNIQUE INDEX `assessment_person_id_year` ON `assessments` (`person_id`, `year`);
-- Create index "assessment_region_id_year" to table: "assessments"
CREATE INDEX `assessment_region_id_year` ON `assessments` (`region_id`, `year`);
-- Create index "assessment_year" to table: "assessments"
CREATE INDEX `assessment_year` ON `assessments` (`year`);
