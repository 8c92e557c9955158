/**
 * English strings of the list elements (popular posts, recent comments): they travel with the lists (sala-list.ts),
 * not in the pack every element shares, so a comment thread never downloads them. Every other language's pack holds
 * them with the rest. `{name}` marks a value.
 */
export const enLists = {
  popularLabel: 'Popular posts',
  popularLoading: 'Loading popular posts…',
  popularEmpty: 'No popular posts yet.',
  recentLabel: 'Recent comments',
  recentLoading: 'Loading recent comments…',
  recentEmpty: 'No comments yet.',
  recentOn: '{author} on {post}',
};
