/**
 * Why a comment was held, in Brazilian Portuguese (held-reasons/words.ts). Machine-assisted, as the admin page's other
 * non-English words.
 */
import type { HeldReasonWords } from './words.js';

export const heldReasonWordsPt: HeldReasonWords = {
  reasonHoldAll: 'O site retém todos os comentários',
  reasonFirstTime: 'Primeiro comentário desta pessoa',
  reasonHasLink: 'Contém um link',
  reasonEditAddedLink: 'Uma edição adicionou um link',
  reasonHoldWord: 'Contém “{word}”',
  reasonSpamScore: 'Parece spam (pontuação {score})',
  signalLinks: '{count} links',
  signalFirstTimeLinksOne: 'Um link de quem comenta pela primeira vez',
  signalFirstTimeLinksOther: '{count} links de quem comenta pela primeira vez',
  signalKeywordLinksOne: 'Um link com palavras de venda como texto',
  signalKeywordLinksOther: '{count} links com palavras de venda como texto',
  signalOddLinks: 'Links para um encurtador de links ou um domínio propenso a spam: {hosts}',
  signalSpamWords: 'Palavras de spam: {words}',
  signalIdentityWords: 'Palavras de spam no nome ou no site: {words}',
  signalCannedPhrase: 'Uma frase típica de spam de um desconhecido com um link: “{phrase}”',
  signalLinkOnly: 'Pouco além de um link',
  signalMarkupLinks: 'Links em HTML ou BBCode colados',
  signalNameLink: 'Um endereço da web como nome',
  signalWebsiteAndLinks: 'Um site e links no texto',
  signalNoTiming: 'Enviado sem o tempo do formulário (não veio do formulário de comentários?)',
  signalFastTyping: '{characters} caracteres em {seconds} segundos',
  signalShouting: 'Quase tudo em maiúsculas',
  signalAkismet: 'O Akismet diz que é spam',
  signalKnownCommenter: 'Já teve um comentário aprovado',
  signalCaptchaPassed: 'Passou na verificação do Turnstile',
};
