-- CreateTable
CREATE TABLE "ReportDayCount" (
    "brandId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "groupId" TEXT NOT NULL DEFAULT '',
    "key" TEXT NOT NULL DEFAULT '',
    "n" INTEGER NOT NULL,

    CONSTRAINT "ReportDayCount_pkey" PRIMARY KEY ("brandId","metric","day","groupId","key")
);

-- Report rollups (lib/reports): counts per brand-local day kept in the same transaction as every
-- ticket write, by triggers, so no write path (services, automation, bulk actions, merges, imports)
-- can forget them. One ticket in the report scope (ACTIVE, not merged) adds 1 to:
--   created / channel:<channel> / status:<status> / type:<typeId> / topic:<topicId> / tag:<tagId>  on its created day
--   resolved                                       on its resolved day (Resolved or Closed with resolvedAt)
--   open                                           on its created day while Open or Pending (backlog)
--   doneAfter:<resolved day>                       on its created day once resolved (backlog)
--   sla:<policy>|<priority>|<assignee>|<met><breached><fr><res>  on its created day, once every target it
--     has is done (the outcome can no longer change); tickets with a target still running are read live.
-- Days are the brand's calendar days, as the reports bucket them.

-- The facts one ticket row contributes (sign = +1 or -1); none outside the report scope.
CREATE FUNCTION report_ticket_facts(t "Ticket", sign integer, with_tags boolean)
RETURNS TABLE ("brandId" text, metric text, day date, "groupId" text, key text, n integer)
LANGUAGE sql STABLE AS $$
  WITH b AS (SELECT timezone FROM "Brand" WHERE id = t."brandId"),
  d AS (
    SELECT ((t."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date AS cd,
           CASE WHEN t.status IN ('RESOLVED', 'CLOSED') AND t."resolvedAt" IS NOT NULL
                THEN ((t."resolvedAt" AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date END AS rd,
           (t."firstResponseDueAt" IS NOT NULL AND t."firstResponseAt" > t."firstResponseDueAt") AS fr,
           (t."resolutionDueAt" IS NOT NULL AND (CASE WHEN t.status IN ('RESOLVED', 'CLOSED') THEN t."resolvedAt" END) > t."resolutionDueAt") AS res,
           (t."firstResponseDueAt" IS NOT NULL OR t."resolutionDueAt" IS NOT NULL)
             AND (t."firstResponseDueAt" IS NULL OR t."firstResponseAt" IS NOT NULL)
             AND (t."resolutionDueAt" IS NULL OR t.status IN ('RESOLVED', 'CLOSED')) AS settled
    FROM b WHERE t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL
  ),
  f AS (
    SELECT 'created' AS metric, d.cd AS day, '' AS key FROM d
    UNION ALL SELECT 'channel', d.cd, t.channel::text FROM d
    UNION ALL SELECT 'status', d.cd, t.status::text FROM d
    UNION ALL SELECT 'type', d.cd, COALESCE(t."typeId", '') FROM d
    UNION ALL SELECT 'topic', d.cd, COALESCE(t."topicId", '') FROM d
    UNION ALL SELECT 'resolved', d.rd, '' FROM d WHERE d.rd IS NOT NULL
    UNION ALL SELECT 'doneAfter', d.cd, to_char(d.rd, 'YYYY-MM-DD') FROM d WHERE d.rd IS NOT NULL
    UNION ALL SELECT 'open', d.cd, '' FROM d WHERE t.status IN ('OPEN', 'PENDING')
    UNION ALL SELECT 'sla', d.cd, COALESCE(t."slaPolicyId", '') || '|' || t.priority::text || '|' || COALESCE(t."assigneeId", '') || '|'
        -- the live query's three-valued logic: a missing resolvedAt is neither met nor breached
        || (COALESCE(NOT d.fr AND NOT d.res, false))::int || (COALESCE(d.fr OR d.res, false))::int || (COALESCE(d.fr, false))::int || (COALESCE(d.res, false))::int
      FROM d WHERE d.settled
    UNION ALL SELECT 'tag', d.cd, tt."tagId" FROM d JOIN "TicketTag" tt ON tt."ticketId" = t.id WHERE with_tags
  )
  SELECT t."brandId", f.metric, f.day, COALESCE(t."groupId", ''), f.key, sign FROM f
$$;

-- Adds summed deltas; rows that reach 0 stay (the reports ignore them).
CREATE FUNCTION report_apply(rows jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ReportDayCount" ("brandId", metric, day, "groupId", key, n)
  SELECT r."brandId", r.metric, r.day, r."groupId", r.key, sum(r.n)::int
  FROM jsonb_to_recordset(rows) AS r("brandId" text, metric text, day date, "groupId" text, key text, n integer)
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.n) <> 0
  ORDER BY 1, 2, 3, 4, 5 -- one lock order for every writer
  ON CONFLICT ("brandId", metric, day, "groupId", key) DO UPDATE SET n = "ReportDayCount".n + EXCLUDED.n
$$;

CREATE FUNCTION report_ticket_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE facts jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(f) INTO facts FROM report_ticket_facts(NEW, 1, true) f;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_facts(NEW, 1, true)) f;
  ELSE -- BEFORE DELETE: its tags are still there
    SELECT jsonb_agg(f) INTO facts FROM report_ticket_facts(OLD, -1, true) f;
  END IF;
  IF facts IS NOT NULL THEN PERFORM report_apply(facts); END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER report_rollup_insert AFTER INSERT ON "Ticket" FOR EACH ROW EXECUTE FUNCTION report_ticket_trigger();
CREATE TRIGGER report_rollup_delete BEFORE DELETE ON "Ticket" FOR EACH ROW EXECUTE FUNCTION report_ticket_trigger();
-- Only changes to what the rollups count: message counters, snippets, timestamps etc. cost nothing.
CREATE TRIGGER report_rollup_update AFTER UPDATE ON "Ticket" FOR EACH ROW
  WHEN ((OLD."brandId", OLD."groupId", OLD.state, OLD."mergedIntoId", OLD.status, OLD.channel, OLD."typeId", OLD."topicId", OLD."createdAt", OLD."resolvedAt",
         OLD."slaPolicyId", OLD.priority, OLD."assigneeId", OLD."firstResponseAt", OLD."firstResponseDueAt", OLD."resolutionDueAt")
    IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW.state, NEW."mergedIntoId", NEW.status, NEW.channel, NEW."typeId", NEW."topicId", NEW."createdAt", NEW."resolvedAt",
         NEW."slaPolicyId", NEW.priority, NEW."assigneeId", NEW."firstResponseAt", NEW."firstResponseDueAt", NEW."resolutionDueAt"))
  EXECUTE FUNCTION report_ticket_trigger();

CREATE FUNCTION report_ticket_tag_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tt "TicketTag" := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  facts jsonb;
BEGIN
  -- A ticket being deleted took its tags off already (its BEFORE DELETE trigger).
  SELECT jsonb_agg(jsonb_build_object('brandId', f."brandId", 'metric', 'tag', 'day', f.day, 'groupId', f."groupId", 'key', tt."tagId", 'n', CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END))
    INTO facts FROM "Ticket" t, report_ticket_facts(t, 1, false) f WHERE t.id = tt."ticketId" AND f.metric = 'created';
  IF facts IS NOT NULL THEN PERFORM report_apply(facts); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER report_rollup_tag AFTER INSERT OR DELETE ON "TicketTag" FOR EACH ROW EXECUTE FUNCTION report_ticket_tag_trigger();

-- Recounts one brand (or all, NULL) from the tickets: the backfill, after a time-zone change, after bulk loads.
CREATE FUNCTION report_rollup_rebuild(brand text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "ReportDayCount" WHERE brand IS NULL OR "brandId" = brand;
  INSERT INTO "ReportDayCount" ("brandId", metric, day, "groupId", key, n)
  SELECT f."brandId", f.metric, f.day, f."groupId", f.key, sum(f.n)::int
  FROM "Ticket" t CROSS JOIN LATERAL report_ticket_facts(t, 1, true) f
  WHERE brand IS NULL OR t."brandId" = brand
  GROUP BY 1, 2, 3, 4, 5;
$$;

CREATE FUNCTION report_brand_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_rollup_rebuild(NEW.id);
  RETURN NULL;
END $$;

CREATE TRIGGER report_rollup_brand_timezone AFTER UPDATE OF timezone ON "Brand" FOR EACH ROW
  WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION report_brand_trigger();

SELECT report_rollup_rebuild(NULL);
