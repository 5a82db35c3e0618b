-- CreateTable
CREATE TABLE "block_receipts" (
    "block_hash" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "accepted_at_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "block_receipts_pkey" PRIMARY KEY ("block_hash","node_id")
);

-- CreateIndex
CREATE INDEX "block_receipts_height_block_hash_idx" ON "block_receipts"("height" DESC, "block_hash");

-- AddForeignKey
ALTER TABLE "block_receipts" ADD CONSTRAINT "block_receipts_block_hash_fkey" FOREIGN KEY ("block_hash") REFERENCES "blocks"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "block_receipts" ADD CONSTRAINT "block_receipts_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
