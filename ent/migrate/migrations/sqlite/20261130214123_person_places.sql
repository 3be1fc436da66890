-- Create "person_places" table
CREATE TABLE `person_places` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `code` text NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `person_places_persons_places` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE);
-- Set sequence for "person_places" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("person_places", 90194313216);
-- Create index "personplace_person_id_code" to table: "person_places"
CREATE UNIQUE INDEX `personplace_person_id_code` ON `person_places` (`person_id`, `code`);
-- Create index "personplace_code_person_id" to table: "person_places"
CREATE INDEX `personplace_code_person_id` ON `person_places` (`code`, `person_id`);
