-- DropIndex
DROP INDEX "transactions_from_idx";

-- DropIndex
DROP INDEX "transactions_to_idx";

-- AlterTable: the column is filled from each row's block before it becomes NOT NULL, so an
-- index written before this migration keeps its transactions (edited by hand from the generated
-- `ADD COLUMN "block_height" INTEGER NOT NULL`, which fails on a table with rows).
ALTER TABLE "transactions" ADD COLUMN     "block_height" INTEGER;
UPDATE "transactions" t SET "block_height" = b."height" FROM "blocks" b WHERE b."hash" = t."block_hash";
ALTER TABLE "transactions" ALTER COLUMN "block_height" SET NOT NULL;

-- CreateIndex
CREATE INDEX "transactions_from_block_height_block_hash_index_idx" ON "transactions"("from", "block_height", "block_hash", "index");

-- CreateIndex
CREATE INDEX "transactions_to_block_height_block_hash_index_idx" ON "transactions"("to", "block_height", "block_hash", "index");
