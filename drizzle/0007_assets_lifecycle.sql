CREATE TABLE "asset_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"entity_id" uuid NOT NULL,
	"field" varchar(64) NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"effective_at" timestamp with time zone NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "disposal_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"disposal_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disposals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"asset_id" uuid,
	"peripheral_id" uuid,
	"disposed_on" date NOT NULL,
	"method" varchar(30) NOT NULL,
	"wipe_method" varchar(200),
	"partner" varchar(200),
	"proceeds" numeric(14, 2),
	"currency" varchar(3),
	"notes" text,
	CONSTRAINT "disposals_one_item" CHECK (("disposals"."asset_id" is null) <> ("disposals"."peripheral_id" is null))
);
--> statement-breakpoint
CREATE TABLE "asset_inventories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"name" varchar(200) NOT NULL,
	"location_id" uuid,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"notes" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "asset_inventory_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"inventory_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"expected_location_id" uuid,
	"expected" boolean DEFAULT true NOT NULL,
	"result" varchar(20) DEFAULT 'pending' NOT NULL,
	"checked_at" timestamp with time zone,
	"checked_by" uuid,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "maintenance_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"asset_id" uuid,
	"peripheral_id" uuid,
	"type" varchar(50) NOT NULL,
	"event_date" date NOT NULL,
	"description" text,
	"status" varchar(20) DEFAULT 'open' NOT NULL,
	"assignee_id" uuid,
	"ticket_url" varchar(2000),
	"cost" numeric(14, 2),
	"currency" varchar(3),
	CONSTRAINT "maintenance_logs_one_item" CHECK (("maintenance_logs"."asset_id" is null) <> ("maintenance_logs"."peripheral_id" is null))
);
--> statement-breakpoint
CREATE TABLE "peripheral_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"peripheral_id" uuid NOT NULL,
	"user_id" uuid,
	"asset_id" uuid,
	"location_id" uuid,
	"checked_out_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expected_return_date" date,
	"checkout_notes" text,
	"checked_in_at" timestamp with time zone,
	"checkin_notes" text
);
--> statement-breakpoint
CREATE TABLE "peripheral_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"entity_id" uuid NOT NULL,
	"field" varchar(64) NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"effective_at" timestamp with time zone NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "peripherals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"name" varchar(200) NOT NULL,
	"type" varchar(100) NOT NULL,
	"brand_id" uuid,
	"model_id" uuid,
	"serial_number" varchar(100),
	"status" varchar(20) DEFAULT 'in_stock' NOT NULL,
	"asset_id" uuid,
	"holder_id" uuid,
	"location_id" uuid,
	"purchase_date" date,
	"cost" numeric(14, 2),
	"currency" varchar(3),
	"warranty_months" integer,
	"comments" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_text" text GENERATED ALWAYS AS (lower(coalesce("peripherals"."name", '') || ' ' || coalesce("peripherals"."type", '') || ' ' || coalesce("peripherals"."serial_number", ''))) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "license_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"license_id" uuid NOT NULL,
	"user_id" uuid,
	"asset_id" uuid,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "licenses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"software_id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"key_ciphertext" text,
	"seats" integer DEFAULT 1 NOT NULL,
	"purchase_date" date,
	"expiry_date" date,
	"cost" numeric(14, 2),
	"currency" varchar(3),
	"comments" text
);
--> statement-breakpoint
CREATE TABLE "software" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"name" varchar(200) NOT NULL,
	"publisher" varchar(200),
	"category" varchar(100),
	"owner_user_id" uuid,
	"owner_group_id" uuid,
	"description" text
);
--> statement-breakpoint
ALTER TABLE "disposal_history" ADD CONSTRAINT "disposal_history_disposal_id_disposals_id_fk" FOREIGN KEY ("disposal_id") REFERENCES "public"."disposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disposals" ADD CONSTRAINT "disposals_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disposals" ADD CONSTRAINT "disposals_peripheral_id_peripherals_id_fk" FOREIGN KEY ("peripheral_id") REFERENCES "public"."peripherals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_inventories" ADD CONSTRAINT "asset_inventories_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_inventories" ADD CONSTRAINT "asset_inventories_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_inventory_items" ADD CONSTRAINT "asset_inventory_items_inventory_id_asset_inventories_id_fk" FOREIGN KEY ("inventory_id") REFERENCES "public"."asset_inventories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_inventory_items" ADD CONSTRAINT "asset_inventory_items_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_inventory_items" ADD CONSTRAINT "asset_inventory_items_expected_location_id_locations_id_fk" FOREIGN KEY ("expected_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_inventory_items" ADD CONSTRAINT "asset_inventory_items_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_logs" ADD CONSTRAINT "maintenance_logs_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_logs" ADD CONSTRAINT "maintenance_logs_peripheral_id_peripherals_id_fk" FOREIGN KEY ("peripheral_id") REFERENCES "public"."peripherals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_logs" ADD CONSTRAINT "maintenance_logs_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripheral_assignments" ADD CONSTRAINT "peripheral_assignments_peripheral_id_peripherals_id_fk" FOREIGN KEY ("peripheral_id") REFERENCES "public"."peripherals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripheral_assignments" ADD CONSTRAINT "peripheral_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripheral_assignments" ADD CONSTRAINT "peripheral_assignments_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripheral_assignments" ADD CONSTRAINT "peripheral_assignments_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripherals" ADD CONSTRAINT "peripherals_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripherals" ADD CONSTRAINT "peripherals_model_id_asset_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."asset_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripherals" ADD CONSTRAINT "peripherals_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripherals" ADD CONSTRAINT "peripherals_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peripherals" ADD CONSTRAINT "peripherals_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_assignments" ADD CONSTRAINT "license_assignments_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_assignments" ADD CONSTRAINT "license_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_assignments" ADD CONSTRAINT "license_assignments_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licenses" ADD CONSTRAINT "licenses_software_id_software_id_fk" FOREIGN KEY ("software_id") REFERENCES "public"."software"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "software" ADD CONSTRAINT "software_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "software" ADD CONSTRAINT "software_owner_group_id_groups_id_fk" FOREIGN KEY ("owner_group_id") REFERENCES "public"."groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_history_entity_idx" ON "asset_history" USING btree ("entity_id","field","effective_at");--> statement-breakpoint
CREATE INDEX "disposal_history_disposal_idx" ON "disposal_history" USING btree ("disposal_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "disposals_asset_unique" ON "disposals" USING btree ("asset_id") WHERE "disposals"."asset_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "disposals_peripheral_unique" ON "disposals" USING btree ("peripheral_id") WHERE "disposals"."peripheral_id" is not null;--> statement-breakpoint
CREATE INDEX "disposals_disposed_on_idx" ON "disposals" USING btree ("disposed_on");--> statement-breakpoint
CREATE INDEX "asset_inventories_status_idx" ON "asset_inventories" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "asset_inventory_items_unique" ON "asset_inventory_items" USING btree ("inventory_id","asset_id");--> statement-breakpoint
CREATE INDEX "asset_inventory_items_result_idx" ON "asset_inventory_items" USING btree ("inventory_id","result");--> statement-breakpoint
CREATE INDEX "maintenance_logs_asset_idx" ON "maintenance_logs" USING btree ("asset_id","event_date");--> statement-breakpoint
CREATE INDEX "maintenance_logs_peripheral_idx" ON "maintenance_logs" USING btree ("peripheral_id","event_date");--> statement-breakpoint
CREATE INDEX "maintenance_logs_status_idx" ON "maintenance_logs" USING btree ("status","event_date");--> statement-breakpoint
CREATE UNIQUE INDEX "peripheral_assignments_open_unique" ON "peripheral_assignments" USING btree ("peripheral_id") WHERE "peripheral_assignments"."checked_in_at" is null;--> statement-breakpoint
CREATE INDEX "peripheral_assignments_peripheral_idx" ON "peripheral_assignments" USING btree ("peripheral_id","checked_out_at");--> statement-breakpoint
CREATE INDEX "peripheral_assignments_user_idx" ON "peripheral_assignments" USING btree ("user_id") WHERE "peripheral_assignments"."checked_in_at" is null;--> statement-breakpoint
CREATE INDEX "peripheral_assignments_overdue_idx" ON "peripheral_assignments" USING btree ("expected_return_date") WHERE "peripheral_assignments"."checked_in_at" is null and "peripheral_assignments"."expected_return_date" is not null;--> statement-breakpoint
CREATE INDEX "peripheral_history_entity_idx" ON "peripheral_history" USING btree ("entity_id","field","effective_at");--> statement-breakpoint
CREATE UNIQUE INDEX "peripherals_serial_unique" ON "peripherals" USING btree (lower("serial_number")) WHERE "peripherals"."serial_number" is not null;--> statement-breakpoint
CREATE INDEX "peripherals_name_idx" ON "peripherals" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "peripherals_status_idx" ON "peripherals" USING btree ("status","name");--> statement-breakpoint
CREATE INDEX "peripherals_asset_idx" ON "peripherals" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "peripherals_holder_idx" ON "peripherals" USING btree ("holder_id");--> statement-breakpoint
CREATE INDEX "peripherals_location_idx" ON "peripherals" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "peripherals_search_idx" ON "peripherals" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "license_assignments_license_idx" ON "license_assignments" USING btree ("license_id") WHERE "license_assignments"."released_at" is null;--> statement-breakpoint
CREATE INDEX "license_assignments_user_idx" ON "license_assignments" USING btree ("user_id") WHERE "license_assignments"."released_at" is null;--> statement-breakpoint
CREATE INDEX "license_assignments_asset_idx" ON "license_assignments" USING btree ("asset_id") WHERE "license_assignments"."released_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "license_assignments_user_open_unique" ON "license_assignments" USING btree ("license_id","user_id") WHERE "license_assignments"."released_at" is null and "license_assignments"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "license_assignments_asset_open_unique" ON "license_assignments" USING btree ("license_id","asset_id") WHERE "license_assignments"."released_at" is null and "license_assignments"."asset_id" is not null;--> statement-breakpoint
CREATE INDEX "licenses_software_idx" ON "licenses" USING btree ("software_id");--> statement-breakpoint
CREATE INDEX "licenses_name_idx" ON "licenses" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "licenses_expiry_idx" ON "licenses" USING btree ("expiry_date");--> statement-breakpoint
CREATE UNIQUE INDEX "software_name_unique" ON "software" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "software_name_idx" ON "software" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "asset_assignments_overdue_idx" ON "asset_assignments" USING btree ("expected_return_date") WHERE "asset_assignments"."checked_in_at" is null and "asset_assignments"."expected_return_date" is not null;