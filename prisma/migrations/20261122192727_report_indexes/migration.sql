-- CreateIndex
CREATE INDEX "Chat_brandId_queuedAt_idx" ON "Chat"("brandId", "queuedAt");

-- CreateIndex
CREATE INDEX "Message_kind_createdAt_idx" ON "Message"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_resolvedAt_idx" ON "Ticket"("resolvedAt");

-- CreateIndex
CREATE INDEX "Ticket_firstResponseAt_idx" ON "Ticket"("firstResponseAt");
