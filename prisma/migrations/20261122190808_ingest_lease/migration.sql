-- AlterTable
ALTER TABLE "Mailbox" ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "automated" BOOLEAN NOT NULL DEFAULT false;
