-- CreateEnum
CREATE TYPE "node_source" AS ENUM ('local', 'attached');

-- CreateTable
CREATE TABLE "nodes" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "source" "node_source" NOT NULL,
    "public_key" TEXT NOT NULL,
    "is_validator" BOOLEAN NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stream_epoch" TEXT,
    "last_seq" INTEGER,

    CONSTRAINT "nodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "blocks" (
    "hash" TEXT NOT NULL,
    "chain_id" TEXT NOT NULL,
    "parent_hash" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "slot" BIGINT NOT NULL,
    "proposer" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "tx_root" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "tx_count" INTEGER NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_seen_by" TEXT NOT NULL,

    CONSTRAINT "blocks_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "transactions" (
    "block_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "nonce" INTEGER NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "transactions_pkey" PRIMARY KEY ("block_hash","hash")
);

-- CreateTable
CREATE TABLE "canonical_blocks" (
    "node_id" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "canonical_blocks_pkey" PRIMARY KEY ("node_id","height")
);

-- CreateTable
CREATE TABLE "head_events" (
    "id" BIGSERIAL NOT NULL,
    "node_id" TEXT NOT NULL,
    "stream_epoch" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "reorg_depth" INTEGER NOT NULL DEFAULT 0,
    "old_head_hash" TEXT,
    "old_head_height" INTEGER,
    "common_ancestor_hash" TEXT,
    "common_ancestor_height" INTEGER,

    CONSTRAINT "head_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peer_events" (
    "id" BIGSERIAL NOT NULL,
    "node_id" TEXT NOT NULL,
    "stream_epoch" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "event" TEXT NOT NULL,
    "peer_id" TEXT,
    "peer_name" TEXT,
    "address" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "reason" TEXT,
    "score" DOUBLE PRECISION,

    CONSTRAINT "peer_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_samples" (
    "id" BIGSERIAL NOT NULL,
    "node_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "height" INTEGER NOT NULL,
    "head_hash" TEXT NOT NULL,
    "peers" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "clock_offset_ms" INTEGER NOT NULL,
    "paused" BOOLEAN NOT NULL,

    CONSTRAINT "health_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chaos_actions" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "targets" JSONB NOT NULL,
    "result" JSONB,
    "status" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "reverted_at" TIMESTAMPTZ(3),

    CONSTRAINT "chaos_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "node_id" TEXT,
    "message" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "nodes_url_key" ON "nodes"("url");

-- CreateIndex
CREATE INDEX "blocks_height_idx" ON "blocks"("height" DESC);

-- CreateIndex
CREATE INDEX "blocks_parent_hash_idx" ON "blocks"("parent_hash");

-- CreateIndex
CREATE INDEX "blocks_timestamp_idx" ON "blocks"("timestamp");

-- CreateIndex
CREATE INDEX "transactions_hash_idx" ON "transactions"("hash");

-- CreateIndex
CREATE INDEX "transactions_from_idx" ON "transactions"("from");

-- CreateIndex
CREATE INDEX "transactions_to_idx" ON "transactions"("to");

-- CreateIndex
CREATE UNIQUE INDEX "transactions_block_hash_index_key" ON "transactions"("block_hash", "index");

-- CreateIndex
CREATE INDEX "canonical_blocks_hash_idx" ON "canonical_blocks"("hash");

-- CreateIndex
CREATE INDEX "head_events_node_id_at_idx" ON "head_events"("node_id", "at");

-- CreateIndex
CREATE INDEX "head_events_at_idx" ON "head_events"("at");

-- CreateIndex
CREATE UNIQUE INDEX "head_events_node_id_stream_epoch_seq_key" ON "head_events"("node_id", "stream_epoch", "seq");

-- CreateIndex
CREATE INDEX "peer_events_node_id_at_idx" ON "peer_events"("node_id", "at");

-- CreateIndex
CREATE INDEX "peer_events_at_idx" ON "peer_events"("at");

-- CreateIndex
CREATE UNIQUE INDEX "peer_events_node_id_stream_epoch_seq_key" ON "peer_events"("node_id", "stream_epoch", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "health_samples_node_id_at_key" ON "health_samples"("node_id", "at");

-- CreateIndex
CREATE INDEX "chaos_actions_at_idx" ON "chaos_actions"("at");

-- CreateIndex
CREATE INDEX "alerts_cleared_at_raised_at_idx" ON "alerts"("cleared_at", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_raised_at_idx" ON "alerts"("raised_at");

-- AddForeignKey
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_first_seen_by_fkey" FOREIGN KEY ("first_seen_by") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_block_hash_fkey" FOREIGN KEY ("block_hash") REFERENCES "blocks"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "canonical_blocks" ADD CONSTRAINT "canonical_blocks_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "head_events" ADD CONSTRAINT "head_events_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peer_events" ADD CONSTRAINT "peer_events_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_samples" ADD CONSTRAINT "health_samples_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE SET NULL ON UPDATE CASCADE;
