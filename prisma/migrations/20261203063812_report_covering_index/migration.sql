-- CreateIndex
CREATE INDEX "Ticket_reports_idx" ON "Ticket"("createdAt", "id", "brandId", "state", "mergedIntoId", "groupId", "assigneeId", "number", "channel", "status", "priority", "firstResponseAt", "resolvedAt", "slaPolicyId", "firstResponseDueAt", "resolutionDueAt");
