-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "uploadedById" TEXT;

-- CreateIndex
CREATE INDEX "Attachment_uploadedById_createdAt_idx" ON "Attachment"("uploadedById", "createdAt");
