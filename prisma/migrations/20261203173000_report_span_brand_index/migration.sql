-- The agent report reads spans by kind, brand and time (a day of kept cells, the partial days, the
-- previous period's total) and groups them by agent × group itself: an index led by kind, brand and
-- time serves each read as one range, on any PostgreSQL (the cell-ordered one needed the skip scans
-- of PostgreSQL 18 to do so). The other columns keep the reads index-only.

-- DropIndex
DROP INDEX "ReportSpan_cell_idx";

-- CreateIndex
CREATE INDEX "ReportSpan_brand_at_idx" ON "ReportSpan"("kind", "brandId", "at", "assigneeId", "groupId", "seconds", "business", "reopened");
