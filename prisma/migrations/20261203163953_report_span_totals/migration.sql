-- The agent report's previous-period totals (lib/reports/agents.ts) are kept in ReportSpanTotal and
-- read again while the spans they were computed from are unchanged: every statement that inserts,
-- updates or deletes report spans adds the number of rows it changed to ReportSpanVersion, per kind,
-- brand, UTC day of `at` (old and new), group and assignee — the same keys as the reply counts, so
-- concurrent writes wait on each other no more than they already do. A period's sum over its days
-- only grows; a cached total whose sum differs is computed again.

-- CreateTable
CREATE TABLE "ReportSpanVersion" (
    "kind" SMALLINT NOT NULL,
    "brandId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "groupId" TEXT NOT NULL DEFAULT '',
    "assigneeId" TEXT NOT NULL DEFAULT '',
    "version" BIGINT NOT NULL,

    CONSTRAINT "ReportSpanVersion_pkey" PRIMARY KEY ("kind","brandId","day","groupId","assigneeId")
);

-- CreateTable
CREATE TABLE "ReportSpanTotal" (
    "key" TEXT NOT NULL,
    "versions" BIGINT NOT NULL,
    "n" INTEGER NOT NULL,
    "reopened" INTEGER NOT NULL,
    "cal" DOUBLE PRECISION[],
    "biz" DOUBLE PRECISION[],
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportSpanTotal_pkey" PRIMARY KEY ("key")
);

CREATE FUNCTION report_span_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows in key order, so that statements counting several keys take their locks in one order.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "ReportSpanVersion" AS v (kind, "brandId", day, "groupId", "assigneeId", version)
    SELECT c.kind, c."brandId", c.at::date, COALESCE(c."groupId", ''), COALESCE(c."assigneeId", ''), count(*) FROM new_rows c GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (kind, "brandId", day, "groupId", "assigneeId") DO UPDATE SET version = v.version + EXCLUDED.version;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "ReportSpanVersion" AS v (kind, "brandId", day, "groupId", "assigneeId", version)
    SELECT c.kind, c."brandId", c.at::date, COALESCE(c."groupId", ''), COALESCE(c."assigneeId", ''), count(*) FROM old_rows c GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (kind, "brandId", day, "groupId", "assigneeId") DO UPDATE SET version = v.version + EXCLUDED.version;
  ELSE
    INSERT INTO "ReportSpanVersion" AS v (kind, "brandId", day, "groupId", "assigneeId", version)
    SELECT c.kind, c."brandId", c.at::date, COALESCE(c."groupId", ''), COALESCE(c."assigneeId", ''), count(*)
    FROM (SELECT kind, "brandId", at, "groupId", "assigneeId" FROM old_rows UNION ALL SELECT kind, "brandId", at, "groupId", "assigneeId" FROM new_rows) c
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (kind, "brandId", day, "groupId", "assigneeId") DO UPDATE SET version = v.version + EXCLUDED.version;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER report_span_versions_insert AFTER INSERT ON "ReportSpan" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_span_versions();
CREATE TRIGGER report_span_versions_update AFTER UPDATE ON "ReportSpan" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_span_versions();
CREATE TRIGGER report_span_versions_delete AFTER DELETE ON "ReportSpan" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_span_versions();
