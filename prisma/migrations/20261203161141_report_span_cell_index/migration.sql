-- The agent report (lib/reports/agents.ts) reads a range's spans once, per agent × group cell, and
-- computes the medians and p90s per agent, per group and in total from the same values: one index in
-- cell order replaces the agent-ordered and group-ordered ones, which each served a grouping of its own
-- (and every span write kept both up to date).

-- DropIndex
DROP INDEX "ReportSpan_agent_idx";

-- DropIndex
DROP INDEX "ReportSpan_group_idx";

-- CreateIndex
CREATE INDEX "ReportSpan_cell_idx" ON "ReportSpan"("kind", "assigneeId", "groupId", "brandId", "at", "seconds", "business", "reopened");
