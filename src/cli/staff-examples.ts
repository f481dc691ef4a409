// The staff chat's own words, rendered from the catalogs for the counsellor and admin
// guides (docs/staff-messages.{en,ru,kk}.md), so the examples there are the real texts
// and cannot drift from them. Written by `npm run docs`; a test fails when out of date.
import { attribute, formatAge, formatDayTime, formatTime, t } from '../i18n/index.js';
import { caseCard, categoryName, isCaseLink, nameOf, noticeText, staffText, statusName, type StaffText } from '../routing/index.js';
import type { CaseRecord } from '../store/index.js';
import { reportMarked, type Marked, type Report } from '../cases/index.js';
import type { CounsellorId, Lang } from '../shared/index.js';

const NAMES: Record<string, string> = { dana: 'Dana', arman: 'Arman', aliya: 'Aliya' };
const who = (id: string) => id as CounsellorId;
const TZ = 'Asia/Almaty';
/** 2026-03-02 09:40 in Almaty: a Monday morning. */
const AT = Date.UTC(2026, 2, 2, 4, 40);

const SAMPLE: Report = {
  v: 1,
  complete: true,
  urgent: false,
  category: 'harassment',
  subcategory: 'verbal',
  affected: 'me',
  when: 'week',
  where: 'campus',
  ongoing: 'yes',
  account: [],
  notes: [],
  evidence: 1,
};

/** The reporter's account, in the language they wrote in. */
const ACCOUNT: Record<Lang, string> = {
  en: 'The lab assistant keeps commenting on how I dress, in front of the group. Yesterday he said it again during the exam.',
  ru: 'Лаборант постоянно комментирует мою одежду при всей группе. Вчера он снова сказал это на экзамене.',
  kk: 'Зертхана көмекшісі топтың алдында киімім туралы үнемі сөз айтады. Кеше емтихан кезінде тағы да айтты.',
};

/** As Telegram shows it: mentions as @names, the reporter's words as a quote (▍). */
function staffPlain(text: StaffText): string {
  return text.parts
    .map((p) => (typeof p === 'string' ? p : isCaseLink(p) ? p.text : 'mention' in p ? `@${NAMES[p.mention] ?? '?'}` : (NAMES[p.name] ?? '?')))
    .join('');
}

function markedPlain(marked: Marked): string {
  return marked
    .map((s) =>
      typeof s === 'string'
        ? s
        : s.reporter
            .split('\n')
            .map((l) => `▍ ${l}`)
            .join('\n'),
    )
    .join('');
}

const TITLES: Record<Lang, { title: string; intro: string; sections: string[] }> = {
  en: {
    title: 'What the staff chat shows',
    intro:
      "The bot's own messages as they appear in the staff chat (STAFF_LANG=en), rendered from the catalogs by `npm run docs`. A line starting with ▍ is the reporter's own words, shown as a quote in Telegram. Names are examples.",
    sections: [
      'A new case',
      'Assigned to the counsellor on duty',
      'An urgent case',
      'Nobody on duty',
      'Not acknowledged in time',
      'A time limit of the policy: a day before, and when it passed',
      '/help',
      'A command typed wrong',
      'Someone not on the roster',
      'Need-to-know mode: the case card in the staff chat',
      'Need-to-know mode: a later message, in the counsellor’s private chat',
      '/cases',
      '/cases waiting: reporters waiting for an answer, longest first, over several pages',
      '/label in a case',
      '/record in a case, with its buttons',
      '/history in a case',
      'Need-to-know mode: a supervisor opened the case (what its counsellor sees)',
    ],
  },
  ru: {
    title: 'Что показывает чат сотрудников',
    intro:
      'Сообщения бота так, как они выглядят в чате сотрудников (STAFF_LANG=ru), собранные из каталогов командой `npm run docs`. Строка, начинающаяся с ▍, — слова самого заявителя, в Telegram это цитата. Имена — примеры.',
    sections: [
      'Новое обращение',
      'Назначено дежурному консультанту',
      'Срочное обращение',
      'Никто не дежурит',
      'Не подтверждено вовремя',
      'Срок по политике: за день и когда он прошёл',
      '/help',
      'Команда набрана неверно',
      'Человек не из графика',
      'Режим «только ответственному»: карточка обращения в чате сотрудников',
      'Режим «только ответственному»: следующее сообщение, в личном чате консультанта',
      '/cases',
      '/cases waiting: заявители, которые ждут ответа, дольше всех — первыми, на нескольких страницах',
      '/label в обращении',
      '/record в обращении, с кнопками',
      '/history в обращении',
      'Режим «только ответственному»: супервизор открыл обращение (что видит консультант)',
    ],
  },
  kk: {
    title: 'Қызметкерлер чаты не көрсетеді',
    intro:
      'Боттың хабарламалары қызметкерлер чатында қалай көрінеді (STAFF_LANG=kk), `npm run docs` каталогтардан жинаған. ▍ белгісімен басталатын жол — өтініш берушінің өз сөзі, Telegram-да дәйексөз. Есімдер — мысал.',
    sections: [
      'Жаңа өтініш',
      'Кезекші кеңесшіге тағайындалды',
      'Шұғыл өтініш',
      'Ешкім кезекші емес',
      'Уақытында расталмады',
      'Саясат мерзімі: бір күн бұрын және өткенде',
      '/help',
      'Команда қате терілді',
      'Кестеде жоқ адам',
      '«Тек жауаптыға» режимі: қызметкерлер чатындағы өтініш картасы',
      '«Тек жауаптыға» режимі: кеңесшінің жеке чатындағы келесі хабарлама',
      '/cases',
      '/cases waiting: жауап күтіп отырған өтініш берушілер, ең ұзақ күткені бірінші, бірнеше бетте',
      '/label өтініш ішінде',
      '/record өтініш ішінде, түймелерімен',
      '/history өтініш ішінде',
      '«Тек жауаптыға» режимі: супервизор өтінішті ашты (кеңесші не көреді)',
    ],
  },
};

/** What a case card reads from (no content: a card shows none). */
const CARD_CASE = {
  code: 'K7Q-4FD',
  category: 'harassment.verbal',
  lang: 'ru',
  urgent: false,
  status: 'new',
  createdAt: AT - 5 * 60_000,
} as CaseRecord;

const FOLLOW_UP: Record<Lang, string> = {
  en: 'He did it again today.',
  ru: 'Сегодня он снова это сделал.',
  kk: 'Бүгін ол тағы да солай істеді.',
};

function caseLine(
  lang: Lang,
  code: string,
  urgent: boolean,
  status: string,
  holder: string,
  age: number,
  due?: string,
  labels: string[] = [],
  waited?: number,
): StaffText {
  return staffText(
    lang,
    'cases-line',
    {
      code,
      status: statusName(lang, status),
      age: formatAge(age, lang),
      urgent: urgent ? 'yes' : 'no',
      hasLabels: labels.length ? 'yes' : 'no',
      labels: labels.join(', '),
      dueKind: due ? 'ack' : 'none',
      overdue: 'no',
      due: due ?? '',
      hasWaited: waited === undefined ? 'no' : 'yes',
      waited: waited === undefined ? '' : formatAge(waited, lang),
    },
    { who: nameOf(who(holder)) },
  );
}

export function staffMessageExamples(lang: Lang): string {
  const code = 'K7Q-4FD';
  const report = [
    t(lang, 'staff-case-opened', { code, channel: 'Telegram', lang, threading: 'topics', kind: 'report' }),
    '',
    t(lang, 'staff-report', { code, urgent: 'no', complete: 'yes' }),
    '',
    markedPlain(reportMarked({ ...SAMPLE, account: [ACCOUNT[lang]] }, lang)),
  ].join('\n');
  const messages = [
    report,
    staffPlain(noticeText({ kind: 'assigned', who: who('dana'), urgent: false, alsoNotify: [], slaMinutes: 15 }, lang, TZ)),
    staffPlain(noticeText({ kind: 'assigned', who: who('dana'), urgent: true, alsoNotify: [who('arman'), who('aliya')], slaMinutes: 5 }, lang, TZ)),
    staffPlain(noticeText({ kind: 'waiting', next: AT + 24 * 3600_000, urgent: false, alsoNotify: [] }, lang, TZ)),
    staffPlain(noticeText({ kind: 'escalated', who: who('arman'), minutes: 15 }, lang, TZ)),
    [
      staffPlain(noticeText({ kind: 'deadline', stage: 'investigation', dueAt: Date.UTC(2026, 2, 2, 19, 0), passed: false, who: [who('dana')] }, lang, TZ)),
      staffPlain(noticeText({ kind: 'deadline', stage: 'investigation', dueAt: Date.UTC(2026, 2, 1, 19, 0), passed: true, who: [who('dana')] }, lang, TZ)),
    ].join('\n\n'),
    `${t(lang, 'help-staff')}\n\n${t(lang, 'help-supervisor')}\n\n${t(lang, 'help-admin')}`,
    attribute(lang, 'staff-usage', 'status', { statuses: 'acknowledged, under-consideration, investigation, measures-taken, closed' }) ?? '',
    t(lang, 'cmd-not-staff'),
    staffPlain(caseCard(CARD_CASE, who('dana'), lang, AT, formatTime(AT + 15 * 60_000, lang, TZ))),
    `${t(lang, 'staff-case-prefix', { code })}\n${markedPlain([{ reporter: FOLLOW_UP[lang] }])}`,
    [
      staffPlain(staffText(lang, 'cases-title', { filter: 'open', label: '', count: 2, page: 1, pages: 1 })),
      staffPlain(caseLine(lang, 'M2R-9TX', true, 'under-consideration', 'arman', 3 * 3600_000, undefined, ['referred'])),
      staffPlain(caseLine(lang, code, false, 'new', 'dana', 5 * 60_000, formatTime(AT + 15 * 60_000, lang, TZ))),
    ].join('\n'),
    [
      staffPlain(staffText(lang, 'cases-title', { filter: 'waiting', label: '', count: 31, page: 1, pages: 3 })),
      staffPlain(caseLine(lang, 'M2R-9TX', true, 'under-consideration', 'arman', 3 * 3600_000, undefined, ['referred'], 2 * 3600_000)),
      staffPlain(caseLine(lang, code, false, 'new', 'dana', 5 * 60_000, formatTime(AT + 15 * 60_000, lang, TZ), [], 5 * 60_000)),
      '[ ◀ ]  [ 1/3 ]  [ ▶ ]',
    ].join('\n'),
    t(lang, 'cmd-labels-list', { code, labels: 'needs-follow-up', words: 'needs-follow-up, referred, formal-complaint' }),
    [
      t(lang, 'record-title', { code }),
      t(lang, 'record-line', { field: 'category', value: categoryName(lang, 'harassment.verbal') }),
      t(lang, 'record-line', { field: 'breach', value: t(lang, 'record-breach', { v: 'yes' }) }),
      t(lang, 'record-line', { field: 'measures', value: ['advice', 'mediation'].map((v) => t(lang, 'record-measures', { v })).join(', ') }),
      t(lang, 'record-line', { field: 'outcome', value: t(lang, 'record-not-set') }),
      `[ ${(['category', 'breach', 'measures', 'outcome'] as const).map((field) => t(lang, 'record-field', { field })).join(' ] [ ')} ]`,
    ].join('\n'),
    [
      t(lang, 'history-title', { code }),
      t(lang, 'history-opened', { when: formatDayTime(AT - 3 * 86_400_000, lang, TZ) }),
      staffPlain({
        parts: [
          `${formatDayTime(AT - 3 * 86_400_000 + 60_000, lang, TZ)} · `,
          t(lang, 'view-audit-actor', { actor: 'system' }),
          ' · ',
          ...staffText(lang, 'history-action', { action: 'assign', desk: '' }, { who: nameOf(who('dana')) }).parts,
        ],
      }),
      staffPlain({
        parts: [
          `${formatDayTime(AT - 3 * 86_400_000 + 600_000, lang, TZ)} · `,
          nameOf(who('dana')),
          ' · ',
          ...staffText(lang, 'history-status', { from: statusName(lang, 'new'), to: statusName(lang, 'under-consideration') }).parts,
        ],
      }),
      staffPlain({
        parts: [
          `${formatDayTime(AT - 86_400_000, lang, TZ)} · `,
          nameOf(who('dana')),
          ' · ',
          t(lang, 'history-label', { change: 'add', label: 'needs-follow-up' }),
        ],
      }),
      t(lang, 'history-waiting', { when: formatDayTime(AT - 3600_000, lang, TZ) }),
    ].join('\n'),
    `${t(lang, 'staff-case-prefix', { code })}\n${staffPlain(noticeText({ kind: 'opened', who: who('aliya') }, lang, TZ))}`,
  ];
  const { title, intro, sections } = TITLES[lang];
  const others = (['en', 'ru', 'kk'] as const).filter((l) => l !== lang).map((l) => `[${l}](staff-messages.${l}.md)`);
  const out = [
    `# ${title}`,
    '',
    '<!-- Generated by `npm run docs` from the catalogs in src/i18n/locales; edit those, not this. -->',
    '',
    others.join(' · '),
    '',
    intro,
  ];
  messages.forEach((m, i) => out.push('', `## ${sections[i]}`, '', '```text', m, '```'));
  return `${out.join('\n')}\n`;
}
