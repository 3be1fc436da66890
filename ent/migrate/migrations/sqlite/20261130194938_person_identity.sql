-- Create index "person_id_number_hash_unique" to table: "persons"
CREATE UNIQUE INDEX `person_id_number_hash_unique` ON `persons` (`id_number_hash`);
-- Create "person_external_keys" table
CREATE TABLE `person_external_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `source` text NOT NULL, `key` text NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `person_external_keys_persons_external_keys` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE CASCADE);
-- Set sequence for "person_external_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("person_external_keys", 73014444032);
-- Create index "personexternalkey_source_key" to table: "person_external_keys"
CREATE UNIQUE INDEX `personexternalkey_source_key` ON `person_external_keys` (`source`, `key`);
-- Create index "personexternalkey_person_id" to table: "person_external_keys"
CREATE INDEX `personexternalkey_person_id` ON `person_external_keys` (`person_id`);
-- Drop the non-unique index the unique one replaces (written by hand)
DROP INDEX `person_id_number_hash`;
