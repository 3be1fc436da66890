-- Create "office_audits" table
CREATE TABLE `office_audits` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `date` datetime NOT NULL, `findings` text NOT NULL, `follow_up` text NULL, `status` text NOT NULL DEFAULT ('OPEN'), `person_id` integer NULL, `region_id` integer NOT NULL, CONSTRAINT `office_audits_persons_office_audits` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE SET NULL, CONSTRAINT `office_audits_regions_office_audits` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "office_audits" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("office_audits", 115964116992);
-- Create index "officeaudit_region_id_date" to table: "office_audits"
CREATE INDEX `officeaudit_region_id_date` ON `office_audits` (`region_id`, `date`);
-- Create index "officeaudit_person_id" to table: "office_audits"
CREATE INDEX `officeaudit_person_id` ON `office_audits` (`person_id`);
-- Create index "officeaudit_date" to table: "office_audits"
CREATE INDEX `officeaudit_date` ON `office_audits` (`date`);
-- Create "rewards" table
CREATE TABLE `rewards` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `title` text NOT NULL, `level` text NOT NULL, `date` datetime NOT NULL, `amount_yuan` integer NULL, `document_no` text NULL, `notes` text NULL, `person_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `rewards_persons_rewards` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `rewards_regions_rewards` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "rewards" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("rewards", 120259084288);
-- Create index "reward_person_id_date" to table: "rewards"
CREATE INDEX `reward_person_id_date` ON `rewards` (`person_id`, `date`);
-- Create index "reward_region_id_date" to table: "rewards"
CREATE INDEX `reward_region_id_date` ON `rewards` (`region_id`, `date`);
-- Create index "reward_date" to table: "rewards"
CREATE INDEX `reward_date` ON `rewards` (`date`);
-- Create "star_ratings" table
CREATE TABLE `star_ratings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `year` integer NOT NULL, `stars` integer NOT NULL, `title` text NULL, `rated_by` text NULL, `date` datetime NULL, `village_id` integer NOT NULL, CONSTRAINT `star_ratings_regions_star_ratings` FOREIGN KEY (`village_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "star_ratings" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("star_ratings", 124554051584);
-- Create index "star_rating_village_year" to table: "star_ratings"
CREATE UNIQUE INDEX `star_rating_village_year` ON `star_ratings` (`village_id`, `year`);
-- Create index "starrating_year" to table: "star_ratings"
CREATE INDEX `starrating_year` ON `star_ratings` (`year`);
