-- The agent report's cells (lib/reports/agents.ts): per kind, brand, UTC day, group and assignee, the
-- spans' counts and durations as the report reads them, kept for days before yesterday once a report
-- has read them, and read again while the day's change count (the sum of its ReportSpanVersion rows,
-- migration report_span_totals) is what it was when they were read. A report then reads the spans
-- of the last days and of the range's partial first and last UTC days only.

-- CreateTable
CREATE TABLE "ReportSpanCell" (
    "kind" SMALLINT NOT NULL,
    "brandId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "groupId" TEXT NOT NULL,
    "assigneeId" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "nb" INTEGER NOT NULL,
    "reopened" INTEGER NOT NULL,
    "cal" BYTEA NOT NULL,
    "biz" BYTEA,

    CONSTRAINT "ReportSpanCell_pkey" PRIMARY KEY ("kind","brandId","day","groupId","assigneeId")
);

-- CreateTable
CREATE TABLE "ReportSpanCellDay" (
    "kind" SMALLINT NOT NULL,
    "brandId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "versions" BIGINT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportSpanCellDay_pkey" PRIMARY KEY ("kind","brandId","day")
);

-- Durations are bytes that do not compress: stored as they are, in the row while it fits in a page.
ALTER TABLE "ReportSpanCell" ALTER COLUMN "cal" SET STORAGE EXTERNAL, ALTER COLUMN "biz" SET STORAGE EXTERNAL;
ALTER TABLE "ReportSpanCell" SET (toast_tuple_target = 8160);
