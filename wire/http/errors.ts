// The one error body every HTTP answer of node and control plane uses:
// `{ error: { code, message, issues? } }`. `issues` lists every zod issue of invalid input.
import { z } from 'zod';

export const ErrorIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string().optional(),
});
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    /** Stable, machine-readable (e.g. BLOCK_NOT_FOUND, BAD_QUERY, CHAOS_UNKNOWN_NODE). */
    code: z.string(),
    message: z.string(),
    issues: z.array(ErrorIssueSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
