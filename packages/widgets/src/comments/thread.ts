/** Turns the flat comment list into what the reader sees: replies nested to max-depth, deeper ones flattened. */
import type { PublicComment } from '@sala/protocol';

export interface ThreadNode {
  comment: PublicComment;
  /** Author this comment answers, shown as @name when it sits beside rather than under its parent. */
  mention?: string;
  replies: ThreadNode[];
}

/**
 * Nests replies under their parents, roots at level 1. Replies below `maxDepth` line up after their parent
 * at the deepest level, each naming whom it answers, so deep threads stay readable on a phone.
 */
export function buildThread(comments: PublicComment[], maxDepth: number): ThreadNode[] {
  const children = new Map<string | null, PublicComment[]>();
  for (const comment of comments) {
    const siblings = children.get(comment.parentId) ?? [];
    siblings.push(comment);
    children.set(comment.parentId, siblings);
  }
  // Walking down from the roots reaches each comment at most once, so bad parent links cannot loop.
  const nodes = (comment: PublicComment, level: number, mention?: string): ThreadNode[] => {
    const replies = children.get(comment.id) ?? [];
    const node: ThreadNode = { comment, replies: [], ...(mention ? { mention } : {}) };
    if (level < maxDepth) {
      node.replies = replies.flatMap((reply) => nodes(reply, level + 1));
      return [node];
    }
    return [node, ...replies.flatMap((reply) => nodes(reply, level, comment.author.name))];
  };
  return (children.get(null) ?? []).flatMap((root) => nodes(root, 1));
}
