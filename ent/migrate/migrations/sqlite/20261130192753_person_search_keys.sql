-- Create "person_search_keys" table
CREATE TABLE `person_search_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `key` text NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `person_search_keys_persons_search_keys` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE);
-- Set sequence for "person_search_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("person_search_keys", 68719476736);
-- Create index "personsearchkey_person_id_kind_key" to table: "person_search_keys"
CREATE UNIQUE INDEX `personsearchkey_person_id_kind_key` ON `person_search_keys` (`person_id`, `kind`, `key`);
-- Create index "personsearchkey_key_person_id" to table: "person_search_keys"
CREATE INDEX `personsearchkey_key_person_id` ON `person_search_keys` (`key`, `person_id`);
