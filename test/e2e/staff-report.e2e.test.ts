// `/report YEAR` in the staff chat: admins receive the annual monitoring report as
// files (HTML with charts, CSV), holding no case code, content or identity.
import { afterEach, describe, expect, it } from 'vitest';
import { fileReport } from '../support/intake-driver.js';
import { startHotline, type Hotline } from '../support/hotline.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('/report in the staff chat', () => {
  it('sends an admin the year’s report as HTML and CSV, and refuses counsellors', async () => {
    h = await startHotline({ threading: 'topics' });
    const hotline = h;
    const reporter = hotline.api.addUser({ firstName: 'Aigerim', username: 'aigerim_k', languageCode: 'ru' });
    const account = 'преподаватель требует встречи вне университета';
    const { code } = await fileReport(hotline.api, reporter, { account: [account] });
    const year = new Date().getFullYear();

    const documents = () => hotline.api.messagesIn(hotline.staffGroup.id).filter((m) => m.document);
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, `/report ${year}`);
    await hotline.api.waitFor(() => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.includes('только администраторы')), {
      timeoutMs: 10_000,
    });
    expect(documents()).toHaveLength(0);

    hotline.api.sendGroup(hotline.staffGroup, hotline.admin, `/report ${year}`);
    await hotline.api.waitFor(() => documents().length >= 2, { timeoutMs: 30_000, label: 'two report files' });
    expect(documents().map((m) => m.document!.file_name)).toEqual([`trustline-report-${year}.html`, `trustline-report-${year}.csv`]);
    const ready = hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.text?.startsWith('📊'));
    expect(ready?.text).toContain(String(year));

    const [html, csv] = documents().map((m) => hotline.api.fileContent(m.document!.file_id)!.toString('utf8'));
    expect(html).toMatch(/^<!doctype html>/i); // one case: every cell is suppressed, so no chart is drawn
    expect(html).toContain(String(year));
    expect(csv!.length).toBeGreaterThan(20);
    for (const file of [html!, csv!]) {
      for (const secret of [code, account, 'Aigerim', 'aigerim_k', String(reporter.id)]) expect(file, secret).not.toContain(secret);
    }
  }, 60_000);
});
