CREATE TABLE "compliance_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"control_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"note" text,
	"evidence_date" date NOT NULL,
	"valid_until" date,
	CONSTRAINT "compliance_evidence_dates" CHECK ("compliance_evidence"."valid_until" is null or "compliance_evidence"."valid_until" >= "compliance_evidence"."evidence_date")
);
--> statement-breakpoint
CREATE TABLE "compliance_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"control_id" uuid NOT NULL,
	"linkable_type" varchar(64) NOT NULL,
	"linkable_id" uuid NOT NULL,
	"justification" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"control_id" uuid NOT NULL,
	"name" varchar(150) NOT NULL,
	"description" text,
	"rule_type" varchar(40) NOT NULL,
	"criteria" jsonb NOT NULL,
	"window_days" integer DEFAULT 90 NOT NULL,
	"grace_days" integer DEFAULT 7 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"owner_user_id" uuid,
	CONSTRAINT "compliance_rules_windows" CHECK ("compliance_rules"."window_days" > 0 and "compliance_rules"."grace_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "compliance_snapshot_items" (
	"snapshot_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	"framework_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_snapshots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"trigger" varchar(20) NOT NULL,
	"taken_by" uuid
);
--> statement-breakpoint
CREATE TABLE "control_mappings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"from_control_id" uuid NOT NULL,
	"to_control_id" uuid NOT NULL,
	"relationship" varchar(20) NOT NULL,
	CONSTRAINT "control_mappings_not_self" CHECK ("control_mappings"."from_control_id" <> "control_mappings"."to_control_id")
);
--> statement-breakpoint
CREATE TABLE "control_statuses" (
	"control_id" uuid PRIMARY KEY NOT NULL,
	"framework_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"reason" text NOT NULL,
	"evidence_count" integer DEFAULT 0 NOT NULL,
	"evidence_expires_on" date,
	"rule_results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "framework_controls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"framework_id" uuid NOT NULL,
	"parent_id" uuid,
	"ref_id" varchar(100) NOT NULL,
	"title" varchar(500) NOT NULL,
	"description" text,
	"guidance" text,
	"kind" varchar(10) DEFAULT 'control' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"depth" integer DEFAULT 0 NOT NULL,
	"position" varchar(200) NOT NULL,
	"source_id" varchar(100),
	"withdrawn" boolean DEFAULT false NOT NULL,
	"applicable" boolean DEFAULT true NOT NULL,
	"soa_justification" text,
	"implementation_status" varchar(20) DEFAULT 'not_started' NOT NULL,
	"owner_user_id" uuid,
	"owner_group_id" uuid,
	"search_text" text GENERATED ALWAYS AS (lower(coalesce("framework_controls"."ref_id", '') || ' ' || coalesce("framework_controls"."title", ''))) STORED NOT NULL,
	CONSTRAINT "framework_controls_soa_justified" CHECK ("framework_controls"."applicable" or coalesce(length(trim("framework_controls"."soa_justification")), 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "frameworks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"key" varchar(200) NOT NULL,
	"name" varchar(200) NOT NULL,
	"edition" varchar(50),
	"publisher" varchar(200),
	"description" text,
	"source" varchar(20) NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "compliance_evidence" ADD CONSTRAINT "compliance_evidence_control_id_framework_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_links" ADD CONSTRAINT "compliance_links_control_id_framework_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_rules" ADD CONSTRAINT "compliance_rules_control_id_framework_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_rules" ADD CONSTRAINT "compliance_rules_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_snapshot_items" ADD CONSTRAINT "compliance_snapshot_items_snapshot_id_compliance_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."compliance_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_mappings" ADD CONSTRAINT "control_mappings_from_control_id_framework_controls_id_fk" FOREIGN KEY ("from_control_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_mappings" ADD CONSTRAINT "control_mappings_to_control_id_framework_controls_id_fk" FOREIGN KEY ("to_control_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_statuses" ADD CONSTRAINT "control_statuses_control_id_framework_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_statuses" ADD CONSTRAINT "control_statuses_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_controls" ADD CONSTRAINT "framework_controls_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_controls" ADD CONSTRAINT "framework_controls_parent_id_framework_controls_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."framework_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_controls" ADD CONSTRAINT "framework_controls_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_controls" ADD CONSTRAINT "framework_controls_owner_group_id_groups_id_fk" FOREIGN KEY ("owner_group_id") REFERENCES "public"."groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "compliance_evidence_control_idx" ON "compliance_evidence" USING btree ("control_id");--> statement-breakpoint
CREATE INDEX "compliance_evidence_valid_idx" ON "compliance_evidence" USING btree ("valid_until");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_links_unique" ON "compliance_links" USING btree ("control_id","linkable_type","linkable_id");--> statement-breakpoint
CREATE INDEX "compliance_links_linkable_idx" ON "compliance_links" USING btree ("linkable_type","linkable_id");--> statement-breakpoint
CREATE INDEX "compliance_rules_control_idx" ON "compliance_rules" USING btree ("control_id");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_snapshot_items_pk" ON "compliance_snapshot_items" USING btree ("snapshot_id","control_id");--> statement-breakpoint
CREATE INDEX "compliance_snapshot_items_framework_idx" ON "compliance_snapshot_items" USING btree ("snapshot_id","framework_id");--> statement-breakpoint
CREATE INDEX "compliance_snapshots_taken_idx" ON "compliance_snapshots" USING btree ("taken_at");--> statement-breakpoint
CREATE UNIQUE INDEX "control_mappings_pair_unique" ON "control_mappings" USING btree ("from_control_id","to_control_id");--> statement-breakpoint
CREATE INDEX "control_mappings_to_idx" ON "control_mappings" USING btree ("to_control_id");--> statement-breakpoint
CREATE INDEX "control_statuses_framework_idx" ON "control_statuses" USING btree ("framework_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_controls_ref_unique" ON "framework_controls" USING btree ("framework_id","ref_id");--> statement-breakpoint
CREATE INDEX "framework_controls_position_idx" ON "framework_controls" USING btree ("framework_id","position");--> statement-breakpoint
CREATE INDEX "framework_controls_parent_idx" ON "framework_controls" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "framework_controls_owner_idx" ON "framework_controls" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "framework_controls_search_idx" ON "framework_controls" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "frameworks_key_unique" ON "frameworks" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "frameworks_name_unique" ON "frameworks" USING btree (lower("name"));