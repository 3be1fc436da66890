-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_contributions" table
CREATE TABLE `new_contributions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_id` text NULL, `kind` text NOT NULL, `amount_yuan` integer NOT NULL DEFAULT (0), `date` datetime NOT NULL, `description` text NULL, `appointment_id` integer NULL, `follows_id` integer NULL, `assignment_id` integer NULL, `village_id` integer NOT NULL, CONSTRAINT `contributions_adviser_appointments_contributions` FOREIGN KEY (`appointment_id`) REFERENCES `adviser_appointments` (`id`) ON DELETE SET NULL, CONSTRAINT `contributions_contributions_followed_by` FOREIGN KEY (`follows_id`) REFERENCES `contributions` (`id`) ON DELETE SET NULL, CONSTRAINT `contributions_expert_assignments_contributions` FOREIGN KEY (`assignment_id`) REFERENCES `expert_assignments` (`id`) ON DELETE SET NULL, CONSTRAINT `contributions_regions_contributions` FOREIGN KEY (`village_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_contributions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_contributions", 8589934592);
-- Copy rows from old table "contributions" to new temporary table "new_contributions"
INSERT INTO `new_contributions` (`id`, `created_at`, `updated_at`, `external_id`, `kind`, `amount_yuan`, `date`, `description`, `appointment_id`, `assignment_id`, `village_id`) SELECT `id`, `created_at`, `updated_at`, `external_id`, `kind`, `amount_yuan`, `date`, `description`, `appointment_id`, `assignment_id`, `village_id` FROM `contributions`;
-- Drop "contributions" table after copying rows
DROP TABLE `contributions`;
-- Rename temporary table "new_contributions" to "contributions"
ALTER TABLE `new_contributions` RENAME TO `contributions`;
-- Create index "contribution_external_id" to table: "contributions"
CREATE INDEX `contribution_external_id` ON `contributions` (`external_id`);
-- Create index "contribution_village_id_date" to table: "contributions"
CREATE INDEX `contribution_village_id_date` ON `contributions` (`village_id`, `date`);
-- Create index "contribution_appointment_id" to table: "contributions"
CREATE INDEX `contribution_appointment_id` ON `contributions` (`appointment_id`);
-- Create index "contribution_assignment_id" to table: "contributions"
CREATE INDEX `contribution_assignment_id` ON `contributions` (`assignment_id`);
-- Create index "contribution_kind" to table: "contributions"
CREATE INDEX `contribution_kind` ON `contributions` (`kind`);
-- Create index "contribution_date" to table: "contributions"
CREATE INDEX `contribution_date` ON `contributions` (`date`);
-- Create "candidacies" table
CREATE TABLE `candidacies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `purpose` text NOT NULL, `role` text NOT NULL, `reserve_list` text NULL, `nomination` text NULL, `state` text NOT NULL DEFAULT ('PROPOSED'), `proposed_on` datetime NOT NULL, `round` text NULL, `appointed_on` datetime NULL, `filed_on` datetime NULL, `refused_step` text NULL, `refusal_reason` text NULL, `notes` text NULL, `person_id` integer NOT NULL, `post_id` integer NULL, `replaces_post_id` integer NULL, `region_id` integer NOT NULL, `term_id` integer NULL, CONSTRAINT `candidacies_persons_candidacies` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `candidacies_posts_candidacies` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `candidacies_posts_replacing_candidacies` FOREIGN KEY (`replaces_post_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `candidacies_regions_candidacies` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `candidacies_terms_candidacies` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE SET NULL);
-- Set sequence for "candidacies" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("candidacies", 146028888064);
-- Create index "candidacy_region_id_state" to table: "candidacies"
CREATE INDEX `candidacy_region_id_state` ON `candidacies` (`region_id`, `state`);
-- Create index "candidacy_person_id" to table: "candidacies"
CREATE INDEX `candidacy_person_id` ON `candidacies` (`person_id`);
-- Create index "candidacy_state" to table: "candidacies"
CREATE INDEX `candidacy_state` ON `candidacies` (`state`);
-- Create index "candidacy_proposed_on" to table: "candidacies"
CREATE INDEX `candidacy_proposed_on` ON `candidacies` (`proposed_on`);
-- Create index "candidacy_post_id" to table: "candidacies"
CREATE INDEX `candidacy_post_id` ON `candidacies` (`post_id`);
-- Create "candidacy_steps" table
CREATE TABLE `candidacy_steps` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `step` text NOT NULL, `body` text NULL, `decision` text NOT NULL, `opinion` text NULL, `acted_on` datetime NOT NULL, `actor` text NOT NULL, `actor_role` text NOT NULL, `candidacy_id` integer NOT NULL, CONSTRAINT `candidacy_steps_candidacies_steps` FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies` (`id`) ON DELETE NO ACTION);
-- Set sequence for "candidacy_steps" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("candidacy_steps", 150323855360);
-- Create index "candidacystep_candidacy_id_step" to table: "candidacy_steps"
CREATE INDEX `candidacystep_candidacy_id_step` ON `candidacy_steps` (`candidacy_id`, `step`);
-- Create "doctor_farms" table
CREATE TABLE `doctor_farms` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `founded_on` datetime NOT NULL, `yearly_funding_yuan` integer NOT NULL DEFAULT (0), `years_funded` integer NOT NULL DEFAULT (1), `notes` text NULL, `expert_id` integer NOT NULL, `village_id` integer NOT NULL, CONSTRAINT `doctor_farms_persons_doctor_farms` FOREIGN KEY (`expert_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `doctor_farms_regions_doctor_farms` FOREIGN KEY (`village_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "doctor_farms" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("doctor_farms", 154618822656);
-- Create index "doctorfarm_expert_id" to table: "doctor_farms"
CREATE INDEX `doctorfarm_expert_id` ON `doctor_farms` (`expert_id`);
-- Create index "doctorfarm_village_id" to table: "doctor_farms"
CREATE INDEX `doctorfarm_village_id` ON `doctor_farms` (`village_id`);
-- Create "expert_agreements" table
CREATE TABLE `expert_agreements` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `title` text NOT NULL, `parties` text NULL, `content` text NULL, `targets` text NULL, `proceeds_share_percent` real NULL, `signed_on` datetime NULL, `notes` text NULL, `assignment_id` integer NULL, `expert_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `expert_agreements_expert_assignments_agreements` FOREIGN KEY (`assignment_id`) REFERENCES `expert_assignments` (`id`) ON DELETE SET NULL, CONSTRAINT `expert_agreements_persons_expert_agreements` FOREIGN KEY (`expert_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `expert_agreements_regions_expert_agreements` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "expert_agreements" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("expert_agreements", 158913789952);
-- Create index "expertagreement_start_date" to table: "expert_agreements"
CREATE INDEX `expertagreement_start_date` ON `expert_agreements` (`start_date`);
-- Create index "expertagreement_end_date" to table: "expert_agreements"
CREATE INDEX `expertagreement_end_date` ON `expert_agreements` (`end_date`);
-- Create index "expertagreement_expert_id" to table: "expert_agreements"
CREATE INDEX `expertagreement_expert_id` ON `expert_agreements` (`expert_id`);
-- Create index "expertagreement_region_id" to table: "expert_agreements"
CREATE INDEX `expertagreement_region_id` ON `expert_agreements` (`region_id`);
-- Create "resident_areas" table
CREATE TABLE `resident_areas` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `name` text NOT NULL, `party_branch` text NULL, `notes` text NULL, `leader_id` integer NULL, `region_id` integer NOT NULL, CONSTRAINT `resident_areas_persons_led_resident_areas` FOREIGN KEY (`leader_id`) REFERENCES `persons` (`id`) ON DELETE SET NULL, CONSTRAINT `resident_areas_regions_resident_areas` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "resident_areas" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("resident_areas", 163208757248);
-- Create index "residentarea_start_date" to table: "resident_areas"
CREATE INDEX `residentarea_start_date` ON `resident_areas` (`start_date`);
-- Create index "residentarea_end_date" to table: "resident_areas"
CREATE INDEX `residentarea_end_date` ON `resident_areas` (`end_date`);
-- Create index "residentarea_region_id_name" to table: "resident_areas"
CREATE INDEX `residentarea_region_id_name` ON `resident_areas` (`region_id`, `name`);
-- Create "resident_assessments" table
CREATE TABLE `resident_assessments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `year` integer NOT NULL, `period` integer NULL, `grade` text NOT NULL, `assessed_by` text NULL, `assessed_on` datetime NULL, `notes` text NULL, `person_id` integer NOT NULL, `region_id` integer NOT NULL, `team_id` integer NULL, CONSTRAINT `resident_assessments_persons_resident_assessments` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `resident_assessments_regions_resident_assessments` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `resident_assessments_resident_teams_assessments` FOREIGN KEY (`team_id`) REFERENCES `resident_teams` (`id`) ON DELETE SET NULL);
-- Set sequence for "resident_assessments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("resident_assessments", 167503724544);
-- Create index "residentassessment_person_id_kind_year_period" to table: "resident_assessments"
CREATE INDEX `residentassessment_person_id_kind_year_period` ON `resident_assessments` (`person_id`, `kind`, `year`, `period`);
-- Create index "residentassessment_region_id_year" to table: "resident_assessments"
CREATE INDEX `residentassessment_region_id_year` ON `resident_assessments` (`region_id`, `year`);
-- Create index "residentassessment_team_id" to table: "resident_assessments"
CREATE INDEX `residentassessment_team_id` ON `resident_assessments` (`team_id`);
-- Create "resident_teams" table
CREATE TABLE `resident_teams` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `name` text NULL, `dispatch_level` text NOT NULL, `sending_units` json NULL, `notes` text NULL, `leader_id` integer NULL, `village_id` integer NOT NULL, `area_id` integer NULL, CONSTRAINT `resident_teams_persons_led_resident_teams` FOREIGN KEY (`leader_id`) REFERENCES `persons` (`id`) ON DELETE SET NULL, CONSTRAINT `resident_teams_regions_resident_teams` FOREIGN KEY (`village_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `resident_teams_resident_areas_teams` FOREIGN KEY (`area_id`) REFERENCES `resident_areas` (`id`) ON DELETE SET NULL);
-- Set sequence for "resident_teams" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("resident_teams", 171798691840);
-- Create index "residentteam_start_date" to table: "resident_teams"
CREATE INDEX `residentteam_start_date` ON `resident_teams` (`start_date`);
-- Create index "residentteam_end_date" to table: "resident_teams"
CREATE INDEX `residentteam_end_date` ON `resident_teams` (`end_date`);
-- Create index "residentteam_village_id" to table: "resident_teams"
CREATE INDEX `residentteam_village_id` ON `resident_teams` (`village_id`);
-- Create index "residentteam_area_id" to table: "resident_teams"
CREATE INDEX `residentteam_area_id` ON `resident_teams` (`area_id`);
-- Create index "residentteam_dispatch_level" to table: "resident_teams"
CREATE INDEX `residentteam_dispatch_level` ON `resident_teams` (`dispatch_level`);
-- Create "subsidy_payments" table
CREATE TABLE `subsidy_payments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `year` integer NOT NULL, `amount_yuan` integer NOT NULL, `paid_on` datetime NULL, `notes` text NULL, `agreement_id` integer NULL, `expert_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `subsidy_payments_expert_agreements_subsidy_payments` FOREIGN KEY (`agreement_id`) REFERENCES `expert_agreements` (`id`) ON DELETE SET NULL, CONSTRAINT `subsidy_payments_persons_subsidy_payments` FOREIGN KEY (`expert_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `subsidy_payments_regions_subsidy_payments` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "subsidy_payments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("subsidy_payments", 176093659136);
-- Create index "subsidypayment_expert_id_year" to table: "subsidy_payments"
CREATE INDEX `subsidypayment_expert_id_year` ON `subsidy_payments` (`expert_id`, `year`);
-- Create index "subsidypayment_region_id_year" to table: "subsidy_payments"
CREATE INDEX `subsidypayment_region_id_year` ON `subsidy_payments` (`region_id`, `year`);
-- Create "resident_area_villages" table
CREATE TABLE `resident_area_villages` (`resident_area_id` integer NOT NULL, `region_id` integer NOT NULL, PRIMARY KEY (`resident_area_id`, `region_id`), CONSTRAINT `resident_area_villages_resident_area_id` FOREIGN KEY (`resident_area_id`) REFERENCES `resident_areas` (`id`) ON DELETE CASCADE, CONSTRAINT `resident_area_villages_region_id` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE CASCADE);
-- Create "new_posts" table
CREATE TABLE `new_posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `role` text NOT NULL, `reserve_list` text NULL, `dispatch_level` text NULL, `sending_unit` text NULL, `cluster` text NULL, `end_reason` text NULL, `exit_kind` text NULL, `seat` text NULL, `sending_institution_id` integer NULL, `person_id` integer NOT NULL, `rehired_from_id` integer NULL, `region_id` integer NOT NULL, `team_id` integer NULL, CONSTRAINT `posts_institutions_dispatched_posts` FOREIGN KEY (`sending_institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL, CONSTRAINT `posts_persons_posts` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `posts_posts_rehires` FOREIGN KEY (`rehired_from_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `posts_regions_posts` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `posts_resident_teams_members` FOREIGN KEY (`team_id`) REFERENCES `resident_teams` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_posts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_posts", 34359738368);
-- Copy rows from old table "posts" to new temporary table "new_posts"
INSERT INTO `new_posts` (`id`, `created_at`, `updated_at`, `start_date`, `end_date`, `role`, `reserve_list`, `dispatch_level`, `sending_unit`, `cluster`, `end_reason`, `exit_kind`, `seat`, `sending_institution_id`, `person_id`, `region_id`) SELECT `id`, `created_at`, `updated_at`, `start_date`, `end_date`, `role`, `reserve_list`, `dispatch_level`, `sending_unit`, `cluster`, `end_reason`, `exit_kind`, `seat`, `sending_institution_id`, `person_id`, `region_id` FROM `posts`;
-- Drop "posts" table after copying rows
DROP TABLE `posts`;
-- Rename temporary table "new_posts" to "posts"
ALTER TABLE `new_posts` RENAME TO `posts`;
-- Create index "post_start_date" to table: "posts"
CREATE INDEX `post_start_date` ON `posts` (`start_date`);
-- Create index "post_end_date" to table: "posts"
CREATE INDEX `post_end_date` ON `posts` (`end_date`);
-- Create index "post_person_id" to table: "posts"
CREATE INDEX `post_person_id` ON `posts` (`person_id`);
-- Create index "post_region_id_role" to table: "posts"
CREATE INDEX `post_region_id_role` ON `posts` (`region_id`, `role`);
-- Create index "post_role" to table: "posts"
CREATE INDEX `post_role` ON `posts` (`role`);
-- Create index "post_reserve_list" to table: "posts"
CREATE INDEX `post_reserve_list` ON `posts` (`reserve_list`);
-- Create index "post_dispatch_level" to table: "posts"
CREATE INDEX `post_dispatch_level` ON `posts` (`dispatch_level`);
-- Create index "post_sending_institution_id" to table: "posts"
CREATE INDEX `post_sending_institution_id` ON `posts` (`sending_institution_id`);
-- Create index "post_team_id" to table: "posts"
CREATE INDEX `post_team_id` ON `posts` (`team_id`);
-- Create index "post_rehired_from_id" to table: "posts"
CREATE INDEX `post_rehired_from_id` ON `posts` (`rehired_from_id`);
-- Create index "post_one_current_secretary" to table: "posts"
CREATE UNIQUE INDEX `post_one_current_secretary` ON `posts` (`region_id`, `seat`) WHERE end_date IS NULL;
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
