-- Add column "exit_kind" to table: "posts"
ALTER TABLE `posts` ADD COLUMN `exit_kind` text NULL;
-- Create "person_attributes" table
CREATE TABLE `person_attributes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `attribute` text NOT NULL, `value` text NOT NULL, `valid_from` datetime NULL, `valid_until` datetime NULL, `party_join_date` datetime NULL, `note` text NULL, `corrected_at` datetime NULL, `person_id` integer NOT NULL, CONSTRAINT `person_attributes_persons_attribute_history` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE);
-- Set sequence for "person_attributes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("person_attributes", 128849018880);
-- Create index "personattribute_person_id_attribute_valid_from" to table: "person_attributes"
CREATE INDEX `personattribute_person_id_attribute_valid_from` ON `person_attributes` (`person_id`, `attribute`, `valid_from`);
-- Create "terms" table
CREATE TABLE `terms` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` integer NULL, `name` text NOT NULL, `elected_on` datetime NOT NULL, `notes` text NULL, `region_id` integer NOT NULL, CONSTRAINT `terms_regions_terms` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "terms" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("terms", 133143986176);
-- Create index "term_county_elected_on" to table: "terms"
CREATE UNIQUE INDEX `term_county_elected_on` ON `terms` (`region_id`, `elected_on`);
-- Create index "term_elected_on" to table: "terms"
CREATE INDEX `term_elected_on` ON `terms` (`elected_on`);
-- Create "training_classes" table
CREATE TABLE `training_classes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `organizer` text NULL, `place` text NULL, `starts_on` datetime NOT NULL, `ends_on` datetime NULL, `hours` real NULL, `notes` text NULL, `region_id` integer NOT NULL, CONSTRAINT `training_classes_regions_training_classes` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "training_classes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("training_classes", 137438953472);
-- Create index "trainingclass_region_id_starts_on" to table: "training_classes"
CREATE INDEX `trainingclass_region_id_starts_on` ON `training_classes` (`region_id`, `starts_on`);
-- Create index "trainingclass_starts_on" to table: "training_classes"
CREATE INDEX `trainingclass_starts_on` ON `training_classes` (`starts_on`);
-- Create index "trainingclass_kind" to table: "training_classes"
CREATE INDEX `trainingclass_kind` ON `training_classes` (`kind`);
-- Create "training_enrolments" table
CREATE TABLE `training_enrolments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `completed` bool NOT NULL DEFAULT (false), `hours` real NULL, `result` text NULL, `person_id` integer NOT NULL, `region_id` integer NOT NULL, `class_id` integer NOT NULL, CONSTRAINT `training_enrolments_persons_training_enrolments` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `training_enrolments_regions_training_enrolments` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `training_enrolments_training_classes_enrolments` FOREIGN KEY (`class_id`) REFERENCES `training_classes` (`id`) ON DELETE NO ACTION);
-- Set sequence for "training_enrolments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("training_enrolments", 141733920768);
-- Create index "training_enrolment_class_person" to table: "training_enrolments"
CREATE UNIQUE INDEX `training_enrolment_class_person` ON `training_enrolments` (`class_id`, `person_id`);
-- Create index "trainingenrolment_person_id" to table: "training_enrolments"
CREATE INDEX `trainingenrolment_person_id` ON `training_enrolments` (`person_id`);
-- Create index "trainingenrolment_region_id" to table: "training_enrolments"
CREATE INDEX `trainingenrolment_region_id` ON `training_enrolments` (`region_id`);
