// The P2P messages of the BFT engine's reactor: a signed proposal with the block it names
// (the block travels without a commit: it has not been decided yet), and a signed vote.
// Schemas come from wire/; signatures are checked by the engine's handlers.
import { z } from 'zod';
import { ProposalSchema, VoteSchema } from '../../../wire/bft.ts';
import { BlockSchema } from '../../../wire/node-api.ts';
import { defineMessage } from '../../p2p/messages.ts';

export const BftProposalPayload = z.object({ proposal: ProposalSchema, block: BlockSchema.omit({ commit: true }) });
export const BftVotePayload = z.object({ vote: VoteSchema });

export type BftProposalPayload = z.infer<typeof BftProposalPayload>;
export type BftVotePayload = z.infer<typeof BftVotePayload>;

export const BftProposalMsg = defineMessage('bft_proposal', BftProposalPayload);
export const BftVoteMsg = defineMessage('bft_vote', BftVotePayload);
