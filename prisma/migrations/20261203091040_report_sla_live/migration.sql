-- CreateTable
CREATE TABLE "ReportSlaLive" (
    "ticketId" INTEGER NOT NULL,
    "brandId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "groupId" TEXT,
    "slaPolicyId" TEXT,
    "priority" TEXT NOT NULL,
    "assigneeId" TEXT,
    "firstResponseDueAt" TIMESTAMP(3),
    "firstResponseAt" TIMESTAMP(3),
    "resolutionDueAt" TIMESTAMP(3),
    "resolutionEnd" TIMESTAMP(3),

    CONSTRAINT "ReportSlaLive_pkey" PRIMARY KEY ("ticketId")
);

-- CreateIndex
CREATE INDEX "ReportSlaLive_range_idx" ON "ReportSlaLive"("brandId", "createdAt", "groupId", "slaPolicyId", "priority", "assigneeId", "firstResponseDueAt", "firstResponseAt", "resolutionDueAt", "resolutionEnd");

-- Live SLA tickets (lib/reports/sla.ts): one ReportSlaLive row per ticket in the report scope
-- (ACTIVE, not merged) with a target still running — a first-response target unanswered, or a
-- resolution target while not Resolved/Closed — kept by the same triggers as the day rollup. Once
-- every target is done the row goes and the day rollup's "sla" metric counts the outcome.

CREATE FUNCTION report_sla_live_sync(t "Ticket") RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL
     AND ((t."firstResponseDueAt" IS NOT NULL AND t."firstResponseAt" IS NULL) OR (t."resolutionDueAt" IS NOT NULL AND t.status NOT IN ('RESOLVED', 'CLOSED'))) THEN
    INSERT INTO "ReportSlaLive" AS l ("ticketId", "brandId", "createdAt", "groupId", "slaPolicyId", priority, "assigneeId", "firstResponseDueAt", "firstResponseAt", "resolutionDueAt", "resolutionEnd")
    VALUES (t.id, t."brandId", t."createdAt", t."groupId", t."slaPolicyId", t.priority::text, t."assigneeId", t."firstResponseDueAt", t."firstResponseAt", t."resolutionDueAt",
      CASE WHEN t.status IN ('RESOLVED', 'CLOSED') THEN COALESCE(t."resolvedAt", '-infinity') END)
    ON CONFLICT ("ticketId") DO UPDATE SET "brandId" = EXCLUDED."brandId", "createdAt" = EXCLUDED."createdAt", "groupId" = EXCLUDED."groupId", "slaPolicyId" = EXCLUDED."slaPolicyId",
      priority = EXCLUDED.priority, "assigneeId" = EXCLUDED."assigneeId", "firstResponseDueAt" = EXCLUDED."firstResponseDueAt", "firstResponseAt" = EXCLUDED."firstResponseAt",
      "resolutionDueAt" = EXCLUDED."resolutionDueAt", "resolutionEnd" = EXCLUDED."resolutionEnd"
    WHERE (l."brandId", l."createdAt", l."groupId", l."slaPolicyId", l.priority, l."assigneeId", l."firstResponseDueAt", l."firstResponseAt", l."resolutionDueAt", l."resolutionEnd")
      IS DISTINCT FROM (EXCLUDED."brandId", EXCLUDED."createdAt", EXCLUDED."groupId", EXCLUDED."slaPolicyId", EXCLUDED.priority, EXCLUDED."assigneeId", EXCLUDED."firstResponseDueAt",
        EXCLUDED."firstResponseAt", EXCLUDED."resolutionDueAt", EXCLUDED."resolutionEnd");
  ELSE
    DELETE FROM "ReportSlaLive" WHERE "ticketId" = t.id;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION report_ticket_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE facts jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(NEW, 1, true) UNION ALL SELECT * FROM report_ticket_reply_facts(NEW, 1, NULL, NULL)) f;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (OLD."brandId", OLD."groupId", OLD.state, OLD."mergedIntoId") IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW.state, NEW."mergedIntoId") THEN
      SELECT jsonb_agg(f) INTO facts FROM (
        SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_facts(NEW, 1, true)
        UNION ALL SELECT * FROM report_ticket_reply_facts(OLD, -1, NULL, NULL) UNION ALL SELECT * FROM report_ticket_reply_facts(NEW, 1, NULL, NULL)) f;
    ELSE
      SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_facts(NEW, 1, true)) f;
    END IF;
  ELSE -- BEFORE DELETE: its tags and messages are still there
    SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_reply_facts(OLD, -1, NULL, NULL)) f;
  END IF;
  IF facts IS NOT NULL THEN PERFORM report_apply(facts); END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "ReportSpan" WHERE "ticketId" = OLD.id;
    DELETE FROM "ReportSpanPending" WHERE "ticketId" = OLD.id;
    DELETE FROM "ReportSlaLive" WHERE "ticketId" = OLD.id;
    RETURN OLD;
  END IF;
  -- Durations: only when something they depend on changed.
  IF TG_OP = 'INSERT' OR (OLD."brandId", OLD."groupId", OLD."assigneeId", OLD.state, OLD."mergedIntoId", OLD.channel, OLD.status, OLD."createdAt", OLD."firstResponseAt", OLD."resolvedAt")
      IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW."assigneeId", NEW.state, NEW."mergedIntoId", NEW.channel, NEW.status, NEW."createdAt", NEW."firstResponseAt", NEW."resolvedAt") THEN
    PERFORM report_spans_sync(NEW);
  END IF;
  -- Live SLA: the same for what it depends on.
  IF TG_OP = 'INSERT' OR (OLD."brandId", OLD."groupId", OLD."assigneeId", OLD.state, OLD."mergedIntoId", OLD.status, OLD."createdAt", OLD."firstResponseAt", OLD."resolvedAt",
        OLD."slaPolicyId", OLD.priority, OLD."firstResponseDueAt", OLD."resolutionDueAt")
      IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW."assigneeId", NEW.state, NEW."mergedIntoId", NEW.status, NEW."createdAt", NEW."firstResponseAt", NEW."resolvedAt",
        NEW."slaPolicyId", NEW.priority, NEW."firstResponseDueAt", NEW."resolutionDueAt") THEN
    PERFORM report_sla_live_sync(NEW);
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION report_sla_live_rebuild(brand text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "ReportSlaLive" WHERE brand IS NULL OR "brandId" = brand;
  INSERT INTO "ReportSlaLive" ("ticketId", "brandId", "createdAt", "groupId", "slaPolicyId", priority, "assigneeId", "firstResponseDueAt", "firstResponseAt", "resolutionDueAt", "resolutionEnd")
  SELECT t.id, t."brandId", t."createdAt", t."groupId", t."slaPolicyId", t.priority::text, t."assigneeId", t."firstResponseDueAt", t."firstResponseAt", t."resolutionDueAt",
    CASE WHEN t.status IN ('RESOLVED', 'CLOSED') THEN COALESCE(t."resolvedAt", '-infinity') END
  FROM "Ticket" t
  WHERE (brand IS NULL OR t."brandId" = brand) AND t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL
    AND ((t."firstResponseDueAt" IS NOT NULL AND t."firstResponseAt" IS NULL) OR (t."resolutionDueAt" IS NOT NULL AND t.status NOT IN ('RESOLVED', 'CLOSED')));
$$;

-- The recount (report_rollup_rebuild) recounts spans and live SLA tickets too.
CREATE OR REPLACE FUNCTION report_spans_rebuild(brand text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "ReportSpanPending" p USING "ReportSpan" s WHERE s."ticketId" = p."ticketId" AND s.kind = p.kind AND (brand IS NULL OR s."brandId" = brand);
  DELETE FROM "ReportSpan" WHERE brand IS NULL OR "brandId" = brand;
  INSERT INTO "ReportSpan" ("ticketId", kind, "brandId", at, "groupId", "assigneeId", "fromMs", "toMs", seconds, business, reopened)
  SELECT t.id, r.kind, t."brandId", r.at, t."groupId", t."assigneeId", r."fromMs", r."toMs", greatest(0, r."toMs" - r."fromMs") / 1000, NULL,
    r.kind = 2 AND EXISTS (SELECT 1 FROM "TicketEvent" e WHERE e."ticketId" = t.id AND e.type = 'STATUS' AND e."fromValue" = 'RESOLVED' AND e."toValue" IN ('OPEN', 'PENDING'))
  FROM "Ticket" t CROSS JOIN LATERAL report_span_rows(t) r
  WHERE brand IS NULL OR t."brandId" = brand;
  INSERT INTO "ReportSpanPending" ("ticketId", kind)
  SELECT s."ticketId", s.kind FROM "ReportSpan" s WHERE brand IS NULL OR s."brandId" = brand
  ON CONFLICT DO NOTHING;
  SELECT report_sla_live_rebuild(brand);
$$;

SELECT report_sla_live_rebuild(NULL);
