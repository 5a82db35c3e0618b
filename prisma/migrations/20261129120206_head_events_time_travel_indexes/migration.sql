-- DropIndex
DROP INDEX "head_events_node_id_at_idx";

-- CreateIndex
CREATE INDEX "head_events_node_id_at_seq_idx" ON "head_events"("node_id", "at", "seq");

-- CreateIndex
CREATE INDEX "head_events_reorgs_at_idx" ON "head_events"("at") WHERE (reorg_depth > 0);
