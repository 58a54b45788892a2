-- CreateTable
CREATE TABLE "FormConfigVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "FormConfigVersion_pkey" PRIMARY KEY ("id")
);

-- The one row, counted up by every statement that changes what a contact form shows or
-- accepts. An UPDATE takes the row's lock, so the count moves with the change's commit:
-- a reader that sees the new count in its snapshot also sees the change.
INSERT INTO "FormConfigVersion" (id, version) VALUES (1, 0);

CREATE FUNCTION form_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "FormConfigVersion" SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER form_config_form_field AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "FormField" FOR EACH STATEMENT EXECUTE FUNCTION form_config_changed();
CREATE TRIGGER form_config_ticket_type AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TicketType" FOR EACH STATEMENT EXECUTE FUNCTION form_config_changed();
CREATE TRIGGER form_config_topic AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Topic" FOR EACH STATEMENT EXECUTE FUNCTION form_config_changed();
CREATE TRIGGER form_config_brand AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF slug, name, color, "logoUrl", "defaultLanguage" ON "Brand" FOR EACH STATEMENT EXECUTE FUNCTION form_config_changed();
