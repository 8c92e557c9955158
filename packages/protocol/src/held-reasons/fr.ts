/**
 * Why a comment was held, in French (held-reasons/words.ts). Machine-assisted, as the admin page's other non-English
 * words. The spaces before « : » and inside « » are no-break spaces, as in the widget's French.
 */
import type { HeldReasonWords } from './words.js';

export const heldReasonWordsFr: HeldReasonWords = {
  reasonHoldAll: 'Le site retient tous les commentaires',
  reasonFirstTime: 'Premier commentaire de cette personne',
  reasonHasLink: 'Contient un lien',
  reasonEditAddedLink: 'Une modification a ajouté un lien',
  reasonHoldWord: 'Contient «\u00a0{word}\u00a0»',
  reasonSpamScore: 'Ressemble à du spam (score {score})',
  signalLinks: '{count} liens',
  signalFirstTimeLinksOne: 'Un lien de quelqu’un qui commente pour la première fois',
  signalFirstTimeLinksOther: '{count} liens de quelqu’un qui commente pour la première fois',
  signalKeywordLinksOne: 'Un lien dont le texte est fait de mots commerciaux',
  signalKeywordLinksOther: '{count} liens dont le texte est fait de mots commerciaux',
  signalOddLinks: 'Liens vers un raccourcisseur d’URL ou un domaine propice au spam\u00a0: {hosts}',
  signalSpamWords: 'Mots de spam\u00a0: {words}',
  signalIdentityWords: 'Mots de spam dans le nom ou le site web\u00a0: {words}',
  signalCannedPhrase: 'Une formule de spam toute faite, d’un inconnu, avec un lien\u00a0: «\u00a0{phrase}\u00a0»',
  signalLinkOnly: 'Guère plus qu’un lien',
  signalMarkupLinks: 'Liens HTML ou BBCode collés',
  signalNameLink: 'Une adresse web en guise de nom',
  signalWebsiteAndLinks: 'Un site web et des liens dans le texte',
  signalNoTiming: 'Envoyé sans le minutage du formulaire (pas depuis le formulaire de commentaire\u00a0?)',
  signalFastTyping: '{characters} caractères en {seconds} secondes',
  signalShouting: 'Presque tout en majuscules',
  signalAkismet: 'Akismet le considère comme du spam',
  signalKnownCommenter: 'A déjà eu un commentaire approuvé',
  signalCaptchaPassed: 'A réussi la vérification Turnstile',
};
