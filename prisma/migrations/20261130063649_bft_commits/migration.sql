-- CreateTable
CREATE TABLE "block_commits" (
    "block_hash" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "signers" TEXT[],
    "signature_count" INTEGER NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "block_commits_pkey" PRIMARY KEY ("block_hash")
);

-- AddForeignKey
ALTER TABLE "block_commits" ADD CONSTRAINT "block_commits_block_hash_fkey" FOREIGN KEY ("block_hash") REFERENCES "blocks"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;
