-- Create "adviser_appointments" table
CREATE TABLE `adviser_appointments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `external_id` text NULL, `kind` text NOT NULL, `certificate_no` text NULL, `person_id` integer NOT NULL, `village_id` integer NOT NULL, CONSTRAINT `adviser_appointments_persons_adviser_appointments` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `adviser_appointments_regions_adviser_appointments` FOREIGN KEY (`village_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Create index "adviserappointment_start_date" to table: "adviser_appointments"
CREATE INDEX `adviserappointment_start_date` ON `adviser_appointments` (`start_date`);
-- Create index "adviserappointment_end_date" to table: "adviser_appointments"
CREATE INDEX `adviserappointment_end_date` ON `adviser_appointments` (`end_date`);
-- Create index "adviserappointment_external_id" to table: "adviser_appointments"
CREATE INDEX `adviserappointment_external_id` ON `adviser_appointments` (`external_id`);
-- Create index "adviserappointment_person_id" to table: "adviser_appointments"
CREATE INDEX `adviserappointment_person_id` ON `adviser_appointments` (`person_id`);
-- Create index "adviserappointment_village_id_kind" to table: "adviser_appointments"
CREATE INDEX `adviserappointment_village_id_kind` ON `adviser_appointments` (`village_id`, `kind`);
-- Create index "adviserappointment_kind" to table: "adviser_appointments"
CREATE INDEX `adviserappointment_kind` ON `adviser_appointments` (`kind`);
-- Create "audit_logs" table
CREATE TABLE `audit_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `actor_name` text NOT NULL, `action` text NOT NULL, `entity_type` text NULL, `object_ids` json NULL, `region_code` text NULL, `before` json NULL, `after` json NULL, `request_id` text NULL, `reason` text NULL, `actor_id` integer NULL, CONSTRAINT `audit_logs_users_audit_logs` FOREIGN KEY (`actor_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Set sequence for "audit_logs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_logs", 47244640256);
-- Create index "auditlog_at" to table: "audit_logs"
CREATE INDEX `auditlog_at` ON `audit_logs` (`at`);
-- Create index "auditlog_region_code_at" to table: "audit_logs"
CREATE INDEX `auditlog_region_code_at` ON `audit_logs` (`region_code`, `at`);
-- Create index "auditlog_actor_id" to table: "audit_logs"
CREATE INDEX `auditlog_actor_id` ON `audit_logs` (`actor_id`);
-- Create "contact_logs" table
CREATE TABLE `contact_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `date` datetime NOT NULL, `mode` text NOT NULL, `notes` text NULL, `appointment_id` integer NOT NULL, `contacted_by_id` integer NULL, CONSTRAINT `contact_logs_adviser_appointments_contact_logs` FOREIGN KEY (`appointment_id`) REFERENCES `adviser_appointments` (`id`) ON DELETE NO ACTION, CONSTRAINT `contact_logs_persons_contact_logs` FOREIGN KEY (`contacted_by_id`) REFERENCES `persons` (`id`) ON DELETE SET NULL);
-- Set sequence for "contact_logs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("contact_logs", 4294967296);
-- Create index "contactlog_appointment_id_date" to table: "contact_logs"
CREATE INDEX `contactlog_appointment_id_date` ON `contact_logs` (`appointment_id`, `date`);
-- Create index "contactlog_contacted_by_id" to table: "contact_logs"
CREATE INDEX `contactlog_contacted_by_id` ON `contact_logs` (`contacted_by_id`);
-- Create index "contactlog_date" to table: "contact_logs"
CREATE INDEX `contactlog_date` ON `contact_logs` (`date`);
-- Create "contributions" table
CREATE TABLE `contributions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_id` text NULL, `kind` text NOT NULL, `amount_yuan` integer NOT NULL DEFAULT (0), `date` datetime NOT NULL, `description` text NULL, `appointment_id` integer NULL, `assignment_id` integer NULL, `village_id` integer NOT NULL, CONSTRAINT `contributions_adviser_appointments_contributions` FOREIGN KEY (`appointment_id`) REFERENCES `adviser_appointments` (`id`) ON DELETE SET NULL, CONSTRAINT `contributions_expert_assignments_contributions` FOREIGN KEY (`assignment_id`) REFERENCES `expert_assignments` (`id`) ON DELETE SET NULL, CONSTRAINT `contributions_regions_contributions` FOREIGN KEY (`village_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "contributions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("contributions", 8589934592);
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
-- Create "demands" table
CREATE TABLE `demands` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_id` text NULL, `field` text NOT NULL, `description` text NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `raised_on` datetime NOT NULL, `closed_on` datetime NULL, `region_id` integer NOT NULL, CONSTRAINT `demands_regions_demands` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "demands" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("demands", 12884901888);
-- Create index "demand_external_id" to table: "demands"
CREATE INDEX `demand_external_id` ON `demands` (`external_id`);
-- Create index "demand_region_id" to table: "demands"
CREATE INDEX `demand_region_id` ON `demands` (`region_id`);
-- Create index "demand_field" to table: "demands"
CREATE INDEX `demand_field` ON `demands` (`field`);
-- Create index "demand_status_raised_on" to table: "demands"
CREATE INDEX `demand_status_raised_on` ON `demands` (`status`, `raised_on`);
-- Create "expert_assignments" table
CREATE TABLE `expert_assignments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `external_id` text NULL, `fields` json NULL, `agreement_signed` bool NOT NULL DEFAULT (false), `annual_subsidy_yuan` integer NOT NULL DEFAULT (0), `confirmed_by` text NULL, `confirmed_at` datetime NULL, `demand_id` integer NULL, `expert_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `expert_assignments_demands_assignments` FOREIGN KEY (`demand_id`) REFERENCES `demands` (`id`) ON DELETE SET NULL, CONSTRAINT `expert_assignments_persons_expert_assignments` FOREIGN KEY (`expert_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `expert_assignments_regions_expert_assignments` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "expert_assignments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("expert_assignments", 17179869184);
-- Create index "expertassignment_start_date" to table: "expert_assignments"
CREATE INDEX `expertassignment_start_date` ON `expert_assignments` (`start_date`);
-- Create index "expertassignment_end_date" to table: "expert_assignments"
CREATE INDEX `expertassignment_end_date` ON `expert_assignments` (`end_date`);
-- Create index "expertassignment_external_id" to table: "expert_assignments"
CREATE INDEX `expertassignment_external_id` ON `expert_assignments` (`external_id`);
-- Create index "expertassignment_expert_id" to table: "expert_assignments"
CREATE INDEX `expertassignment_expert_id` ON `expert_assignments` (`expert_id`);
-- Create index "expertassignment_region_id" to table: "expert_assignments"
CREATE INDEX `expertassignment_region_id` ON `expert_assignments` (`region_id`);
-- Create index "expertassignment_demand_id" to table: "expert_assignments"
CREATE INDEX `expertassignment_demand_id` ON `expert_assignments` (`demand_id`);
-- Create "idempotency_keys" table
CREATE TABLE `idempotency_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `user_id` integer NOT NULL, `key_hash` text NOT NULL, `request_hash` text NOT NULL, `response` blob NOT NULL, `created_at` datetime NOT NULL);
-- Set sequence for "idempotency_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("idempotency_keys", 64424509440);
-- Create index "idempotencykey_user_id_key_hash" to table: "idempotency_keys"
CREATE UNIQUE INDEX `idempotencykey_user_id_key_hash` ON `idempotency_keys` (`user_id`, `key_hash`);
-- Create index "idempotencykey_created_at" to table: "idempotency_keys"
CREATE INDEX `idempotencykey_created_at` ON `idempotency_keys` (`created_at`);
-- Create "import_jobs" table
CREATE TABLE `import_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `region_code` text NULL, `file_name` text NOT NULL, `content` blob NULL, `dry_run` bool NOT NULL DEFAULT (false), `status` text NOT NULL DEFAULT ('QUEUED'), `failure_code` text NULL, `status_message` text NULL, `phase` text NOT NULL DEFAULT ('QUEUED'), `rows_done` integer NOT NULL DEFAULT (0), `rows_total` integer NOT NULL DEFAULT (0), `report` json NULL, `started_at` datetime NULL, `finished_at` datetime NULL, `attempts` integer NOT NULL DEFAULT (0), `claim` text NULL, `lease_until` datetime NULL, `owner_id` integer NOT NULL, CONSTRAINT `import_jobs_users_import_jobs` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "import_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("import_jobs", 60129542144);
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX `importjob_status` ON `import_jobs` (`status`);
-- Create index "importjob_owner_id" to table: "import_jobs"
CREATE INDEX `importjob_owner_id` ON `import_jobs` (`owner_id`);
-- Create index "importjob_region_code" to table: "import_jobs"
CREATE INDEX `importjob_region_code` ON `import_jobs` (`region_code`);
-- Create "institutions" table
CREATE TABLE `institutions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_id` text NULL, `name` text NOT NULL, `kind` text NOT NULL, `region_id` integer NULL, CONSTRAINT `institutions_regions_institutions` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "institutions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("institutions", 21474836480);
-- Create index "institutions_external_id_key" to table: "institutions"
CREATE UNIQUE INDEX `institutions_external_id_key` ON `institutions` (`external_id`);
-- Create index "institution_name" to table: "institutions"
CREATE INDEX `institution_name` ON `institutions` (`name`);
-- Create index "institution_region_id" to table: "institutions"
CREATE INDEX `institution_region_id` ON `institutions` (`region_id`);
-- Create index "institution_kind" to table: "institutions"
CREATE INDEX `institution_kind` ON `institutions` (`kind`);
-- Create "mentorships" table
CREATE TABLE `mentorships` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `external_id` text NULL, `program` text NOT NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `goals` text NULL, `outcome` text NULL, `mentor_id` integer NOT NULL, `mentee_id` integer NOT NULL, `region_id` integer NULL, CONSTRAINT `mentorships_persons_mentorships_as_mentor` FOREIGN KEY (`mentor_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `mentorships_persons_mentorships_as_mentee` FOREIGN KEY (`mentee_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `mentorships_regions_mentorships` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "mentorships" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("mentorships", 25769803776);
-- Create index "mentorship_start_date" to table: "mentorships"
CREATE INDEX `mentorship_start_date` ON `mentorships` (`start_date`);
-- Create index "mentorship_end_date" to table: "mentorships"
CREATE INDEX `mentorship_end_date` ON `mentorships` (`end_date`);
-- Create index "mentorship_external_id" to table: "mentorships"
CREATE INDEX `mentorship_external_id` ON `mentorships` (`external_id`);
-- Create index "mentorship_mentor_id" to table: "mentorships"
CREATE INDEX `mentorship_mentor_id` ON `mentorships` (`mentor_id`);
-- Create index "mentorship_mentee_id" to table: "mentorships"
CREATE INDEX `mentorship_mentee_id` ON `mentorships` (`mentee_id`);
-- Create index "mentorship_region_id" to table: "mentorships"
CREATE INDEX `mentorship_region_id` ON `mentorships` (`region_id`);
-- Create index "mentorship_status" to table: "mentorships"
CREATE INDEX `mentorship_status` ON `mentorships` (`status`);
-- Create index "mentorship_program" to table: "mentorships"
CREATE INDEX `mentorship_program` ON `mentorships` (`program`);
-- Create "persons" table
CREATE TABLE `persons` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_id` text NULL, `name` text NOT NULL, `gender` text NULL, `birth_date` datetime NULL, `ethnicity` text NULL, `education` text NULL, `political_status` text NULL, `party_join_date` datetime NULL, `phone` text NULL, `id_number` varchar NULL, `id_number_hash` text NULL, `tags` json NULL, `expertise` json NULL, `professional_title` text NULL, `name_pinyin` text NULL, `name_initials` text NULL, `phone_suffix` text NULL, `institution_id` integer NULL, `home_village_id` integer NULL, CONSTRAINT `persons_institutions_experts` FOREIGN KEY (`institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL, CONSTRAINT `persons_regions_residents` FOREIGN KEY (`home_village_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "persons" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("persons", 30064771072);
-- Create index "person_external_id" to table: "persons"
CREATE INDEX `person_external_id` ON `persons` (`external_id`);
-- Create index "person_name" to table: "persons"
CREATE INDEX `person_name` ON `persons` (`name`);
-- Create index "person_home_village_id" to table: "persons"
CREATE INDEX `person_home_village_id` ON `persons` (`home_village_id`);
-- Create index "person_institution_id" to table: "persons"
CREATE INDEX `person_institution_id` ON `persons` (`institution_id`);
-- Create index "person_birth_date" to table: "persons"
CREATE INDEX `person_birth_date` ON `persons` (`birth_date`);
-- Create index "person_gender" to table: "persons"
CREATE INDEX `person_gender` ON `persons` (`gender`);
-- Create index "person_education" to table: "persons"
CREATE INDEX `person_education` ON `persons` (`education`);
-- Create index "person_political_status" to table: "persons"
CREATE INDEX `person_political_status` ON `persons` (`political_status`);
-- Create index "person_id_number_hash" to table: "persons"
CREATE INDEX `person_id_number_hash` ON `persons` (`id_number_hash`);
-- Create index "person_name_pinyin" to table: "persons"
CREATE INDEX `person_name_pinyin` ON `persons` (`name_pinyin`);
-- Create index "person_name_initials" to table: "persons"
CREATE INDEX `person_name_initials` ON `persons` (`name_initials`);
-- Create index "person_phone_suffix" to table: "persons"
CREATE INDEX `person_phone_suffix` ON `persons` (`phone_suffix`);
-- Create "posts" table
CREATE TABLE `posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `start_date` datetime NOT NULL, `end_date` datetime NULL, `role` text NOT NULL, `reserve_list` text NULL, `dispatch_level` text NULL, `sending_unit` text NULL, `cluster` text NULL, `end_reason` text NULL, `seat` text NULL, `sending_institution_id` integer NULL, `person_id` integer NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `posts_institutions_dispatched_posts` FOREIGN KEY (`sending_institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL, CONSTRAINT `posts_persons_posts` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION, CONSTRAINT `posts_regions_posts` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "posts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("posts", 34359738368);
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
-- Create index "post_one_current_secretary" to table: "posts"
CREATE UNIQUE INDEX `post_one_current_secretary` ON `posts` (`region_id`, `seat`) WHERE end_date IS NULL;
-- Create "regions" table
CREATE TABLE `regions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `level` text NOT NULL, `kind` text NULL, `parent_id` integer NULL, CONSTRAINT `regions_regions_children` FOREIGN KEY (`parent_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "regions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("regions", 38654705664);
-- Create index "regions_code_key" to table: "regions"
CREATE UNIQUE INDEX `regions_code_key` ON `regions` (`code`);
-- Create index "region_parent_id" to table: "regions"
CREATE INDEX `region_parent_id` ON `regions` (`parent_id`);
-- Create index "region_level_code" to table: "regions"
CREATE INDEX `region_level_code` ON `regions` (`level`, `code`);
-- Create index "region_name" to table: "regions"
CREATE INDEX `region_name` ON `regions` (`name`);
-- Create "service_records" table
CREATE TABLE `service_records` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `date` datetime NOT NULL, `kind` text NOT NULL, `beneficiaries` integer NOT NULL DEFAULT (0), `notes` text NULL, `assignment_id` integer NOT NULL, CONSTRAINT `service_records_expert_assignments_service_records` FOREIGN KEY (`assignment_id`) REFERENCES `expert_assignments` (`id`) ON DELETE NO ACTION);
-- Set sequence for "service_records" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("service_records", 42949672960);
-- Create index "servicerecord_assignment_id_date" to table: "service_records"
CREATE INDEX `servicerecord_assignment_id_date` ON `service_records` (`assignment_id`, `date`);
-- Create index "servicerecord_date" to table: "service_records"
CREATE INDEX `servicerecord_date` ON `service_records` (`date`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `token_hash` text NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `user_id` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 51539607552);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create index "session_user_id" to table: "sessions"
CREATE INDEX `session_user_id` ON `sessions` (`user_id`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `username` text NOT NULL, `password_hash` text NOT NULL, `role` text NOT NULL, `region_code` text NULL, `personal_data_access` bool NOT NULL DEFAULT (false), `disabled` bool NOT NULL DEFAULT (false), `failed_logins` integer NOT NULL DEFAULT (0), `locked_until` datetime NULL, `last_login_at` datetime NULL, `institution_id` integer NULL, CONSTRAINT `users_institutions_users` FOREIGN KEY (`institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL);
-- Set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 55834574848);
-- Create index "users_username_key" to table: "users"
CREATE UNIQUE INDEX `users_username_key` ON `users` (`username`);
-- Create index "user_region_code" to table: "users"
CREATE INDEX `user_region_code` ON `users` (`region_code`);
-- Create index "user_institution_id" to table: "users"
CREATE INDEX `user_institution_id` ON `users` (`institution_id`);
