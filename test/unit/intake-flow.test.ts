// The intake flow and its engine, with plain values: no Redis, no Telegram.
import { describe, expect, it } from 'vitest';
import { matchOption } from '../../src/flows/answers.js';
import { newConversation, type Conversation } from '../../src/store/conversation.js';
import { advance, interrupt, type Advance, type Input } from '../../src/flows/flow.js';
import { intakeFlow } from '../../src/flows/intake-flow.js';
import { optionWords } from '../../src/flows/prompts.js';

const fresh = (over: Partial<Conversation> = {}): Conversation => ({
  ...newConversation({ channel: 'telegram', lang: 'ru', step: 'language', returnAddress: Buffer.from('sealed'), now: 0 }),
  ...over,
});

function run(c: Conversation, ...inputs: (string | [string, string])[]): { c: Conversation; results: Advance[] } {
  const results: Advance[] = [];
  for (const i of inputs) {
    const input: Input = typeof i === 'string' ? { kind: 'text', text: i } : { kind: 'choice', step: i[0], value: i[1] };
    const out = advance(intakeFlow, c, input, optionWords);
    c = out.c;
    results.push(out.result);
  }
  return { c, results };
}

describe('answers', () => {
  const options = [
    { value: 'yes', words: optionWords('danger', 'yes') },
    { value: 'no', words: optionWords('danger', 'no') },
  ];
  it('take a number, a label or an alias in any of the three languages, ignoring case and punctuation', () => {
    for (const typed of ['1', '1.', ' 1) ', 'ДА', 'иә!', 'Yes', 'Да, я в опасности', '👍 yes']) expect(matchOption(typed, options), typed).toBe('yes');
    for (const typed of ['2', 'нет', 'Жоқ', 'no']) expect(matchOption(typed, options), typed).toBe('no');
  });
  it('refuse what is not an option: out-of-range numbers, other words, ambiguity', () => {
    for (const typed of ['3', '0', 'maybe', 'да нет', '']) expect(matchOption(typed, options), typed).toBeUndefined();
    expect(
      matchOption('x', [
        { value: 'a', words: ['x'] },
        { value: 'b', words: ['X'] },
      ]),
    ).toBeUndefined();
  });
  it('are unambiguous within every step of the flow', () => {
    for (const [id, step] of Object.entries(intakeFlow.steps)) {
      for (const value of step.options) {
        for (const word of optionWords(id, value)) {
          const hit = matchOption(
            word,
            step.options.map((v) => ({ value: v, words: optionWords(id, v) })),
          );
          expect(hit, `${id}: "${word}" should choose ${value}`).toBe(value);
        }
      }
    }
  });
});

describe('the intake flow', () => {
  it('offers three ways in after the consent: report, ask a counsellor (one question, then a consultation), or read', () => {
    const ask = run(fresh(), ['language', 'ru'], ['consent', 'continue'], ['way', 'ask'], 'Это считается травлей, если преподаватель высмеивает меня?');
    expect(ask.results.at(-1)).toEqual({ type: 'action', action: 'consult', from: 'question' });
    expect(ask.c.answers.question).toBe('Это считается травлей, если преподаватель высмеивает меня?');
    // Deciding at the question to report after all: the report's questions.
    expect(run(fresh(), ['language', 'ru'], ['consent', 'continue'], ['way', 'ask'], ['question', 'report']).c.step).toBe('danger');
    expect(run(fresh(), ['language', 'en'], ['consent', 'continue'], 'read').results.at(-1)).toEqual({ type: 'action', action: 'read', from: 'way' });
    expect(run(fresh(), ['language', 'en'], ['consent', 'continue'], '1').c.step).toBe('danger');
  });

  it('goes from language to submit, taking buttons, numbers and words', () => {
    const { c, results } = run(
      fresh(),
      ['language', 'kk'],
      '1', // consent: continue
      'хабарлау', // the way in: report, in words
      'жоқ', // danger: no
      ['category', 'harassment'],
      'Sexual', // an English label while speaking Kazakh
      'жоқ', // not about the service's own staff
      ['affected', 'me'],
      'прошлой весной', // when: own words
      ['where', 'online'],
      ['ongoing', 'unsure'],
      'Бірінші хабарлама',
      'Second message',
      ['account', 'done'],
      ['evidence', 'done'],
      ['contact', 'share'],
      'Aliya, @aliya_k',
      ['review', 'send'],
    );
    expect(c.lang).toBe('kk');
    expect(c.answers).toMatchObject({
      danger: 'no',
      category: 'harassment',
      harassment: 'sexual',
      'about-staff': 'no',
      affected: 'me',
      when: 'прошлой весной',
      where: 'online',
      ongoing: 'unsure',
      contact: 'share',
      'contact-details': 'Aliya, @aliya_k',
    });
    expect(c.account).toEqual(['Бірінші хабарлама', 'Second message']);
    expect(results.at(-1)).toEqual({ type: 'action', action: 'submit', from: 'review' });
    expect(results.filter((r) => r.type === 'collected')).toHaveLength(2);
  });

  it('keeps text that answers nothing as a note and asks again; a stray number is not kept', () => {
    const at = fresh({ step: 'category' });
    const { c, results } = run(at, 'мой руководитель кричит на меня', '42', '   ');
    expect(results).toEqual([
      { type: 'invalid', problem: 'choose', noted: true },
      { type: 'invalid', problem: 'choose', noted: false },
      { type: 'invalid', problem: 'empty', noted: false },
    ]);
    expect(c.step).toBe('category');
    expect(c.notes).toEqual(['мой руководитель кричит на меня']);
  });

  it('recognises a button of an earlier question as stale and changes nothing', () => {
    const at = fresh({ step: 'affected' });
    const { c, results } = run(at, ['danger', 'yes']);
    expect(results[0]).toEqual({ type: 'stale' });
    expect(c).toEqual(at);
  });

  it('flags "yes, I am in danger" as urgent', () => {
    const { results } = run(fresh({ step: 'danger' }), ['danger', 'yes']);
    expect(results[0]).toEqual({ type: 'moved', from: 'danger', urgent: true });
  });

  it('wants an account before Done, and asks for files at the evidence step', () => {
    const { c, results } = run(fresh({ step: 'account' }), ['account', 'done'], 'what happened', ['account', 'done'], 'a description');
    expect(results.map((r) => r.type)).toEqual(['invalid', 'collected', 'moved', 'invalid']);
    expect(results[0]).toMatchObject({ problem: 'need-account' });
    expect(results[3]).toMatchObject({ problem: 'send-files', noted: true });
    expect(c.notes).toEqual(['a description']);
  });

  it('lets the reporter take back sharing a contact', () => {
    const { c } = run(fresh({ step: 'contact' }), ['contact', 'share'], ['contact-details', 'anonymous']);
    expect(c.step).toBe('review');
    expect(c.answers.contact).toBe('anonymous');
    expect(c.answers['contact-details']).toBeUndefined();
  });

  it('edits one answer from the review and comes back, asking only what the change requires', () => {
    const review = run(
      fresh({ step: 'category' }),
      ['category', 'harassment'],
      ['harassment', 'verbal'],
      ['about-staff', 'no'],
      ['affected', 'me'],
      ['when', 'today'],
      ['where', 'campus'],
      ['ongoing', 'no'],
      'text',
      ['account', 'done'],
      ['evidence', 'done'],
      ['contact', 'anonymous'],
    ).c;
    expect(review.step).toBe('review');

    const changed = run(review, ['review', 'edit'], ['edit', 'category'], ['category', 'discrimination'], ['discrimination', 'academic']);
    expect(changed.c.step).toBe('review');
    expect(changed.c.answers).toMatchObject({ category: 'discrimination', discrimination: 'academic', affected: 'me' });
    expect(changed.c.answers.harassment).toBeUndefined(); // the old sub-category does not linger

    const when = run(review, ['review', 'edit'], ['edit', 'when'], 'в прошлом месяце');
    expect(when.c.step).toBe('review');
    expect(when.c.answers.when).toBe('в прошлом месяце');

    const account = run(review, ['review', 'edit'], ['edit', 'account'], 'new text', ['account', 'done']);
    expect(account.c.account).toEqual(['new text']);
    expect(account.c.step).toBe('review');

    expect(run(review, ['review', 'edit'], ['edit', 'back']).c.step).toBe('review');
  });

  it('returns from a side question (/language, /cancel) to the step it interrupted', () => {
    const at = fresh({ step: 'where', lang: 'ru' });
    const lang = run(interrupt(at, 'language'), ['language', 'en']).c;
    expect([lang.step, lang.lang, lang.back]).toEqual(['where', 'en', undefined]);

    const no = run(interrupt(at, 'confirm-cancel'), ['confirm-cancel', 'no']);
    expect(no.c.step).toBe('where');
    const yes = run(interrupt(at, 'confirm-cancel'), 'да');
    expect(yes.results[0]).toEqual({ type: 'action', action: 'cancel', from: 'confirm-cancel' });
  });

  it('hands a /resume answer back without storing it', () => {
    const { c, results } = run(interrupt(fresh({ step: 'consent' }), 'resume'), 'K7Q-4FD cold leaf image model');
    expect(results[0]).toEqual({ type: 'action', action: 'resume', from: 'resume', text: 'K7Q-4FD cold leaf image model' });
    expect(JSON.stringify(c)).not.toContain('cold leaf');
  });

  it('ends a question asked after the report (phase "after") instead of restarting the flow', () => {
    const after = fresh({ phase: 'after', step: 'confirm-forget' });
    expect(run(after, ['confirm-forget', 'no']).results[0]).toEqual({ type: 'ended', from: 'confirm-forget' });
    expect(run(after, ['confirm-forget', 'yes']).results[0]).toMatchObject({ type: 'action', action: 'forget' });
    expect(run(fresh({ phase: 'after', step: 'language' }), ['language', 'kk']).results[0]).toEqual({ type: 'ended', from: 'language' });
  });

  it('reaches every step from the start (no dead definitions)', () => {
    // Side questions are put in front by interrupt(), not reached by an answer (quiet: with the receipt, and by /quiet).
    const reachable = new Set<string>([intakeFlow.start, 'confirm-cancel', 'confirm-withdraw', 'confirm-forget', 'resume', 'more-questions', 'quiet']);
    for (const step of Object.values(intakeFlow.steps)) {
      for (const value of step.options) {
        const t = step.then(value, fresh({ step: 'x' }));
        if (typeof t === 'string') reachable.add(t);
      }
    }
    expect([...reachable].sort()).toEqual(Object.keys(intakeFlow.steps).sort());
  });
});

describe('commands', () => {
  it('are read with a slash, a bot name and arguments, or as a menu word sent alone', async () => {
    const { parseCommand } = await import('../../src/flows/commands.js');
    expect(parseCommand('/resume K7Q-4FD cold leaf image model')).toEqual({ command: 'resume', args: 'K7Q-4FD cold leaf image model' });
    expect(parseCommand('/help@trustline_bot')).toEqual({ command: 'help', args: '' });
    for (const [word, command] of [
      ['Помощь', 'help'],
      ['тіл', 'language'],
      ['MENU', 'help'],
      ['отмена!', 'cancel'],
      ['Статус', 'status'],
    ] as const) {
      expect(parseCommand(word), word).toEqual({ command, args: '' });
    }
    for (const text of ['помощь нужна срочно', '/unknown', 'help me please', 'language barrier']) expect(parseCommand(text), text).toBeUndefined();
  });

  it('menu words never collide with an option of any step, in any language', async () => {
    const { parseCommand } = await import('../../src/flows/commands.js');
    for (const [id, step] of Object.entries(intakeFlow.steps)) {
      for (const value of step.options) {
        for (const word of optionWords(id, value)) expect(parseCommand(word), `${id}:${value} "${word}"`).toBeUndefined();
      }
    }
  });
});
