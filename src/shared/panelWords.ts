// The diagram panel's own phrases (its toolbar, a segment's hover card, a failed drawing): English here, the user's
// language from the extension. {0}, {1}… are filled in by the page.
export const ENGLISH_PANEL_WORDS = {
  page: 'page {0} of {1}',
  segment: '#{0} {1} from {2}',
  numbers: 'seq {0} (raw {1}) · ack {2} (raw {3})',
  sizes: 'len {0} · window {1} {2}',
  scaled: '(raw {0} × {1})',
  notScaled: '(not scaled)',
  scaleUnknown: '(scale unknown: handshake not seen)',
  options: 'options: {0}',
  via: 'inside: {0}',
  failed: 'The diagram could not be drawn: {0}',
  step: 'step {0} of {1}',
  client: 'client',
  server: 'server',
  predictQuestion: 'Predict: after #{0}, which state is each endpoint in? Pick one for the client and one for the server.',
  predictRight: '✓ The {0}: {1}. Right.',
  predictWrong: '✗ The {0}: you said {1}; it is {2}.',
  predictScore: 'score {0} of {1}',
  arrowQuestion: 'Which segment moves the {0} out of {1}? Click its arrow.',
  arrowRight: '✓ #{0} moves the {1} out of {2}. Right.',
  arrowWrong: '✗ Not #{0}: #{1} moves the {2} out of {3}.',
  noArrowQuestion: 'No state changes after this step on this page: go back a few steps and ask again.',
};

export type PanelWords = typeof ENGLISH_PANEL_WORDS;
