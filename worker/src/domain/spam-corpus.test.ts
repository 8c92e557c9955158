/**
 * The spam defence measured on a labelled corpus (tests/fixtures/spam/comments.jsonl): every comment goes through
 * the decision the POST route makes, under a new site's default settings, and the share of spam held and of
 * people's comments held must stay above and below floors. Prints the figures the READMEs quote.
 */
import corpus from '@sala-fixtures/spam/comments.jsonl?raw';
import { describe, expect, it } from 'vitest';
import { judgeNewComment } from './moderation.js';
import { defaultSiteSettings } from './site-settings.js';

interface LabelledComment {
  label: 'spam' | 'ham';
  body: string;
  author: string;
  website: string | null;
  firstTime: boolean;
}

const comments: LabelledComment[] = corpus
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as LabelledComment);

/** As the widget sends it: typed over a minute, so timing says nothing and the words must do the work. */
function judge(comment: LabelledComment) {
  return judgeNewComment(defaultSiteSettings('Blog'), {
    body: comment.body,
    name: comment.author,
    website: comment.website,
    elapsedMs: 60_000,
    knownCommenter: !comment.firstTime,
  });
}

const held = (comment: LabelledComment) => judge(comment).status !== 'approved';

describe('the spam corpus under default settings', () => {
  it('holds nearly all spam and nearly no comments from people', () => {
    const spam = comments.filter((comment) => comment.label === 'spam');
    const ham = comments.filter((comment) => comment.label === 'ham');
    expect(spam.length).toBeGreaterThanOrEqual(60);
    expect(ham.length).toBeGreaterThanOrEqual(60);

    const spamHeld = spam.filter(held);
    const hamHeld = ham.filter(held);
    const recall = spamHeld.length / spam.length;
    const falseHolds = hamHeld.length / ham.length;
    const precision = spamHeld.length / (spamHeld.length + hamHeld.length);
    console.log(
      `spam corpus: ${spamHeld.length}/${spam.length} spam held (recall ${recall.toFixed(3)}), ` +
        `${hamHeld.length}/${ham.length} ham held (false-hold rate ${falseHolds.toFixed(3)}), ` +
        `precision ${precision.toFixed(3)}`,
    );
    for (const missed of spam.filter((comment) => !held(comment))) console.log('published spam:', missed.body);
    for (const wrong of hamHeld) console.log('held ham:', wrong.body, JSON.stringify(judge(wrong).spam.reasons));

    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(falseHolds).toBeLessThanOrEqual(0.05);
  });

  it('explains every hold with the reasons that add up to its score', () => {
    for (const comment of comments.filter(held)) {
      const { heldBecause, spam } = judge(comment);
      expect(heldBecause).toContainEqual({ code: 'spam-score', score: spam.score });
      expect(spam.reasons.reduce((sum, reason) => sum + reason.points, 0)).toBe(spam.score);
      expect(spam.reasons.length).toBeGreaterThan(0);
    }
  });
});
