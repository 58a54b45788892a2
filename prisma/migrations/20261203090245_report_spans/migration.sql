-- CreateTable
CREATE TABLE "ReportSpan" (
    "ticketId" INTEGER NOT NULL,
    "kind" SMALLINT NOT NULL,
    "brandId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "groupId" TEXT,
    "assigneeId" TEXT,
    "fromMs" DOUBLE PRECISION NOT NULL,
    "toMs" DOUBLE PRECISION NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "business" DOUBLE PRECISION,
    "reopened" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReportSpan_pkey" PRIMARY KEY ("ticketId","kind")
);

-- CreateTable
CREATE TABLE "ReportSpanPending" (
    "ticketId" INTEGER NOT NULL,
    "kind" SMALLINT NOT NULL,

    CONSTRAINT "ReportSpanPending_pkey" PRIMARY KEY ("ticketId","kind")
);

-- CreateTable
CREATE TABLE "ReportBusinessClock" (
    "brandId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,

    CONSTRAINT "ReportBusinessClock_pkey" PRIMARY KEY ("brandId")
);

-- CreateIndex
CREATE INDEX "ReportSpan_agent_idx" ON "ReportSpan"("kind", "assigneeId", "brandId", "at", "seconds", "business", "reopened");

-- CreateIndex
CREATE INDEX "ReportSpan_group_idx" ON "ReportSpan"("kind", "groupId", "brandId", "at", "assigneeId", "seconds", "business", "reopened");

-- Report durations (lib/reports/agents.ts): one ReportSpan row per ticket in the report scope
-- (ACTIVE, not merged) and kind, kept by the same triggers as the day rollup (report_rollups):
--   kind 1  first response: customer-started tickets (channel <> AGENT) with a first reply; at = firstResponseAt
--   kind 2  resolution: Resolved or Closed tickets; at = resolvedAt; reopened = it went Resolved → Open/Pending
-- from/to in epoch milliseconds and calendar seconds as the reports compute them; business seconds
-- need the brand's calendar (TypeScript), so a new or changed span is queued in ReportSpanPending
-- and the reports fill it in with the brand's current calendar before they read.

CREATE FUNCTION report_span_rows(t "Ticket")
RETURNS TABLE (kind smallint, at timestamp(3), "fromMs" float8, "toMs" float8)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 1::smallint, t."firstResponseAt", (extract(epoch FROM t."createdAt") * 1000)::float8, (extract(epoch FROM t."firstResponseAt") * 1000)::float8
  WHERE t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL AND t.channel <> 'AGENT' AND t."firstResponseAt" IS NOT NULL
  UNION ALL
  SELECT 2::smallint, t."resolvedAt", (extract(epoch FROM t."createdAt") * 1000)::float8, (extract(epoch FROM t."resolvedAt") * 1000)::float8
  WHERE t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL AND t.status IN ('RESOLVED', 'CLOSED') AND t."resolvedAt" IS NOT NULL
$$;

CREATE FUNCTION report_ticket_reopened(ticket integer) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM "TicketEvent" e WHERE e."ticketId" = ticket AND e.type = 'STATUS' AND e."fromValue" = 'RESOLVED' AND e."toValue" IN ('OPEN', 'PENDING'))
$$;

-- A ticket's spans as they should be now: stale kinds removed, the others inserted or updated
-- (business seconds kept while brand, start and end are unchanged, else queued).
CREATE FUNCTION report_spans_sync(t "Ticket") RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "ReportSpan" s WHERE s."ticketId" = t.id AND s.kind NOT IN (SELECT r.kind FROM report_span_rows(t) r);
  WITH up AS (
    INSERT INTO "ReportSpan" AS s ("ticketId", kind, "brandId", at, "groupId", "assigneeId", "fromMs", "toMs", seconds, business, reopened)
    SELECT t.id, r.kind, t."brandId", r.at, t."groupId", t."assigneeId", r."fromMs", r."toMs", greatest(0, r."toMs" - r."fromMs") / 1000, NULL,
      r.kind = 2 AND report_ticket_reopened(t.id)
    FROM report_span_rows(t) r
    ON CONFLICT ("ticketId", kind) DO UPDATE SET "brandId" = EXCLUDED."brandId", at = EXCLUDED.at, "groupId" = EXCLUDED."groupId", "assigneeId" = EXCLUDED."assigneeId",
      "fromMs" = EXCLUDED."fromMs", "toMs" = EXCLUDED."toMs", seconds = EXCLUDED.seconds, reopened = EXCLUDED.reopened,
      business = CASE WHEN (s."brandId", s."fromMs", s."toMs") = (EXCLUDED."brandId", EXCLUDED."fromMs", EXCLUDED."toMs") THEN s.business END
    WHERE (s."brandId", s.at, s."groupId", s."assigneeId", s."fromMs", s."toMs", s.reopened)
      IS DISTINCT FROM (EXCLUDED."brandId", EXCLUDED.at, EXCLUDED."groupId", EXCLUDED."assigneeId", EXCLUDED."fromMs", EXCLUDED."toMs", EXCLUDED.reopened)
    RETURNING s."ticketId", s.kind, s.business
  )
  INSERT INTO "ReportSpanPending" ("ticketId", kind) SELECT up."ticketId", up.kind FROM up WHERE up.business IS NULL ON CONFLICT DO NOTHING;
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
  -- Durations: only when something they depend on changed.
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "ReportSpan" WHERE "ticketId" = OLD.id;
    DELETE FROM "ReportSpanPending" WHERE "ticketId" = OLD.id;
  ELSIF TG_OP = 'INSERT' OR (OLD."brandId", OLD."groupId", OLD."assigneeId", OLD.state, OLD."mergedIntoId", OLD.channel, OLD.status, OLD."createdAt", OLD."firstResponseAt", OLD."resolvedAt")
      IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW."assigneeId", NEW.state, NEW."mergedIntoId", NEW.channel, NEW.status, NEW."createdAt", NEW."firstResponseAt", NEW."resolvedAt") THEN
    PERFORM report_spans_sync(NEW);
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

-- A status event Resolved → Open/Pending (or its removal) changes the ticket's reopened flag.
CREATE FUNCTION report_reopen_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE tid integer := CASE WHEN TG_OP = 'DELETE' THEN OLD."ticketId" ELSE NEW."ticketId" END;
BEGIN
  UPDATE "ReportSpan" s SET reopened = report_ticket_reopened(tid) WHERE s."ticketId" = tid AND s.kind = 2 AND s.reopened IS DISTINCT FROM report_ticket_reopened(tid);
  IF TG_OP = 'UPDATE' AND OLD."ticketId" <> NEW."ticketId" THEN
    UPDATE "ReportSpan" s SET reopened = report_ticket_reopened(OLD."ticketId") WHERE s."ticketId" = OLD."ticketId" AND s.kind = 2;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER report_reopen_insert AFTER INSERT ON "TicketEvent" FOR EACH ROW
  WHEN (NEW.type = 'STATUS' AND NEW."fromValue" = 'RESOLVED' AND NEW."toValue" IN ('OPEN', 'PENDING')) EXECUTE FUNCTION report_reopen_trigger();
CREATE TRIGGER report_reopen_delete AFTER DELETE ON "TicketEvent" FOR EACH ROW
  WHEN (OLD.type = 'STATUS' AND OLD."fromValue" = 'RESOLVED' AND OLD."toValue" IN ('OPEN', 'PENDING')) EXECUTE FUNCTION report_reopen_trigger();
CREATE TRIGGER report_reopen_update AFTER UPDATE ON "TicketEvent" FOR EACH ROW
  WHEN ((OLD."ticketId", OLD.type, OLD."fromValue", OLD."toValue") IS DISTINCT FROM (NEW."ticketId", NEW.type, NEW."fromValue", NEW."toValue")) EXECUTE FUNCTION report_reopen_trigger();

-- Recounts spans (one brand, or all with NULL); business seconds are queued again.
CREATE FUNCTION report_spans_rebuild(brand text) RETURNS void LANGUAGE sql AS $$
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
$$;

-- The rollup recount (after loading data behind the triggers' back) recounts the spans too.
CREATE OR REPLACE FUNCTION report_rollup_rebuild(brand text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "ReportDayCount" WHERE brand IS NULL OR "brandId" = brand;
  INSERT INTO "ReportDayCount" ("brandId", metric, day, "groupId", key, n)
  SELECT f."brandId", f.metric, f.day, f."groupId", f.key, sum(f.n)::int
  FROM "Ticket" t CROSS JOIN LATERAL report_ticket_facts(t, 1, true) f
  WHERE brand IS NULL OR t."brandId" = brand
  GROUP BY 1, 2, 3, 4, 5;
  -- Replies in one pass over the messages (the same facts as report_reply_facts, per ticket).
  INSERT INTO "ReportDayCount" ("brandId", metric, day, "groupId", key, n)
  WITH m AS (
    SELECT t."brandId", COALESCE(t."groupId", '') AS g, t.id AS tid, msg."authorId" AS author, ((msg."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date AS day
    FROM "Message" msg JOIN "Ticket" t ON t.id = msg."ticketId" JOIN "Brand" b ON b.id = t."brandId"
    WHERE msg.kind = 'REPLY' AND msg."authorId" IS NOT NULL AND t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL AND (brand IS NULL OR t."brandId" = brand)
  ),
  per AS (SELECT m."brandId", m.g, m.tid, m.author, m.day, count(*)::int AS c, lag(m.day) OVER (PARTITION BY m.tid, m.author ORDER BY m.day) AS prev FROM m GROUP BY 1, 2, 3, 4, 5),
  tk AS (SELECT m."brandId", m.g, m.tid, m.day, lag(m.day) OVER (PARTITION BY m.tid ORDER BY m.day) AS prev FROM m GROUP BY 1, 2, 3, 4)
  SELECT x."brandId", x.metric, x.day, x.g, x.key, sum(x.n)::int FROM (
    SELECT per."brandId", 'replies' AS metric, per.day, per.g, per.author AS key, per.c AS n FROM per
    UNION ALL SELECT per."brandId", 'handledBy', per.day, per.g, per.author || '|' || COALESCE(to_char(per.prev, 'YYYY-MM-DD'), ''), 1 FROM per
    UNION ALL SELECT tk."brandId", 'handled', tk.day, tk.g, COALESCE(to_char(tk.prev, 'YYYY-MM-DD'), ''), 1 FROM tk
  ) x GROUP BY 1, 2, 3, 4, 5;
  SELECT report_spans_rebuild(brand);
$$;

SELECT report_spans_rebuild(NULL);
