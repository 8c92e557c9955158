/** A post page with Sala's thread: attributes, a property (`strings`) and the typed `sala-comment-posted` event. */
import type { SalaCommentPostedDetail } from '@sala/widgets';
// JSX types for <sala-*>: attributes, properties and `onsala-*` listeners are checked like any element's.
import type {} from '@sala/widgets/react';
import { useState } from 'react';

const PAGE_ID = 'https://blog.example.com/2026/12/react-example.html';

export function App() {
  const [posted, setPosted] = useState<SalaCommentPostedDetail | null>(null);
  return (
    <main>
      <h1>Sala in React</h1>
      <p>
        This post has <sala-comment-count page-id={PAGE_ID} />.
      </p>
      {posted && (
        <p role="status">
          Thanks, {posted.comment.author.name}: your comment is posted on {posted.pageId}.
        </p>
      )}
      {/* React 19 sets `strings` as a property (the element has one) and the rest as attributes. */}
      <sala-comments
        page-id={PAGE_ID}
        sort="newest"
        max-depth={2}
        strings={{ empty: 'No comments yet: start the conversation.' }}
        onsala-comment-posted={(event) => setPosted(event.detail)}
      />
    </main>
  );
}
