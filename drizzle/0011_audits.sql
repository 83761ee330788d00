CREATE TABLE "audit_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"audit_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"audience" varchar(10) NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"audit_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"source" varchar(10) NOT NULL,
	"record_type" varchar(64),
	"record_id" uuid,
	"display_name" varchar(500) NOT NULL,
	"record_json" jsonb,
	"justification" text,
	"evidence_date" date,
	"file_name" varchar(255),
	"content_type" varchar(127),
	"size_bytes" bigint,
	"sha256" varchar(64),
	"frozen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_findings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"audit_id" uuid NOT NULL,
	"item_id" uuid,
	"title" varchar(200) NOT NULL,
	"description" text,
	"severity" varchar(10) NOT NULL,
	"owner_user_id" uuid,
	"due_date" date,
	"status" varchar(12) DEFAULT 'open' NOT NULL,
	"closure_note" text,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"audit_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	"ref_id" varchar(100) NOT NULL,
	"title" varchar(500) NOT NULL,
	"description" text,
	"guidance" text,
	"kind" varchar(10) NOT NULL,
	"depth" integer NOT NULL,
	"position" varchar(200) NOT NULL,
	"applicable" boolean NOT NULL,
	"soa_justification" text,
	"frozen_status" varchar(20),
	"frozen_reason" text,
	"result" varchar(30) DEFAULT 'pending' NOT NULL,
	"auditor_comment" text
);
--> statement-breakpoint
CREATE TABLE "audit_participants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"audit_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" varchar(20) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"audit_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"answer" text
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"name" varchar(200) NOT NULL,
	"framework_id" uuid NOT NULL,
	"framework_name" varchar(200) NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"status" varchar(20) DEFAULT 'planned' NOT NULL,
	"outcome" varchar(20),
	"lead_user_id" uuid,
	"scope" varchar(20) DEFAULT 'all' NOT NULL,
	"selection" jsonb,
	"lookback_months" integer DEFAULT 6 NOT NULL,
	"sample_per_rule" integer,
	"frozen_as_of" timestamp with time zone NOT NULL,
	"historical" boolean DEFAULT false NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"lock_reason" text,
	"locked_at" timestamp with time zone,
	"locked_by" uuid,
	"cloned_from_id" uuid,
	CONSTRAINT "audits_period" CHECK ("audits"."period_end" >= "audits"."period_start")
);
--> statement-breakpoint
CREATE TABLE "file_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"holder_type" varchar(64) NOT NULL,
	"holder_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_comments" ADD CONSTRAINT "audit_comments_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_comments" ADD CONSTRAINT "audit_comments_item_id_audit_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."audit_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_evidence" ADD CONSTRAINT "audit_evidence_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_evidence" ADD CONSTRAINT "audit_evidence_item_id_audit_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."audit_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_findings" ADD CONSTRAINT "audit_findings_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_findings" ADD CONSTRAINT "audit_findings_item_id_audit_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."audit_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_findings" ADD CONSTRAINT "audit_findings_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_items" ADD CONSTRAINT "audit_items_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_participants" ADD CONSTRAINT "audit_participants_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_participants" ADD CONSTRAINT "audit_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_requests" ADD CONSTRAINT "audit_requests_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_requests" ADD CONSTRAINT "audit_requests_item_id_audit_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."audit_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_lead_user_id_users_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_comments_item_idx" ON "audit_comments" USING btree ("item_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_evidence_item_idx" ON "audit_evidence" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "audit_evidence_audit_idx" ON "audit_evidence" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "audit_evidence_sha_idx" ON "audit_evidence" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "audit_findings_audit_idx" ON "audit_findings" USING btree ("audit_id","status");--> statement-breakpoint
CREATE INDEX "audit_findings_owner_idx" ON "audit_findings" USING btree ("owner_user_id","status");--> statement-breakpoint
CREATE INDEX "audit_items_audit_idx" ON "audit_items" USING btree ("audit_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_items_control_unique" ON "audit_items" USING btree ("audit_id","control_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_participants_unique" ON "audit_participants" USING btree ("audit_id","user_id");--> statement-breakpoint
CREATE INDEX "audit_participants_user_idx" ON "audit_participants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_requests_audit_idx" ON "audit_requests" USING btree ("audit_id","status");--> statement-breakpoint
CREATE INDEX "audits_framework_idx" ON "audits" USING btree ("framework_id");--> statement-breakpoint
CREATE INDEX "file_holds_sha256_idx" ON "file_holds" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "file_holds_holder_idx" ON "file_holds" USING btree ("holder_type","holder_id");