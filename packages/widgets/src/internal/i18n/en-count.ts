/**
 * English strings only <sala-comment-count> shows: they travel with it, not in the pack every element shares, so a
 * comment thread never downloads them. Every other language's pack holds them with the rest. `{name}` marks a value.
 */
export const enCount = {
  /** Its link's name where the page names the post: the visible text first, so saying "click 3 comments" still works. */
  countOn: '{comments} on {post}',
};
