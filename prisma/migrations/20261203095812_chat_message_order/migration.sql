-- CreateIndex
CREATE INDEX "ChatMessage_chatId_id_idx" ON "ChatMessage"("chatId", "id");
