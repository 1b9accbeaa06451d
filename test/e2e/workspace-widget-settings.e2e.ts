import { factories, type AgentWithCredentials } from '../factories';
import { pageSession, postForms, type PageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

/** Settings → Web widget and Business hours, as a browser without script uses them. */
describe('widget and business hours settings pages', () => {
  let app: TestApp;
  let s: PageSession;
  let agent: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp();
    s = await pageSession(app, app.admin.email, app.admin.password);
    agent = await factories(app.app).agent({ role: 'agent' });
  });
  afterAll(() => app?.stop());

  /** Follows a form's redirect with the flash cookie it set, as a browser would; returns the page. */
  async function follow(res: Response): Promise<string> {
    expect(res.status).toBe(303);
    const flash = /sori_flash=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0];
    const next = await fetch(`${app.url}${res.headers.get('location')}`, {
      headers: { cookie: [s.cookie, flash].filter(Boolean).join('; ') },
    });
    return next.text();
  }
  const flashOf = (html: string) => /data-flash="(\w+)">([^<]*)</.exec(html)?.slice(1) ?? null;
  const widgetQ = `query($id: ID!) { widget(id: $id) { name mode color position launcherText greeting locale
    greetingKo logoUrl requireIdentified allowedOrigins unreadEmailDelaySeconds inactivityMinutes isActive businessHoursId
    preChatFields { key label labelKo required } } }`;
  const widgetOf = async (id: string) =>
    (await app.gql<{ widget: Record<string, unknown> }>(widgetQ, { id }, { cookie: s.cookie })).data!.widget;
  const editForm = (over: Record<string, string> = {}) => ({
    name: 'Acme Support',
    mode: 'live_chat',
    color: '#0F766E',
    position: 'left',
    launcherText: 'Talk to us',
    greeting: 'Hi! Ask us anything.',
    greetingKo: '안녕하세요! 무엇이든 물어보세요.',
    locale: 'ko',
    logoUrl: 'https://cdn.example.com/acme.png',
    pre_name: 'on',
    pre_name_label: 'Your name',
    pre_name_labelKo: '성함',
    pre_name_required: 'on',
    pre_phone: 'on',
    pre_phone_label: '',
    requireIdentified: 'on',
    unreadEmailDelayMinutes: '5',
    inactivityMinutes: '20',
    allowedOrigins: 'https://www.acme.test/\nhttps://shop.acme.test',
    isActive: 'on',
    ...over,
  });

  it('creates a widget (secret shown once), saves every setting, lists it, and previews unsaved looks', async () => {
    const created = await s.post('/app/settings/channels/widget', { name: 'Acme Support', mode: 'messaging' });
    expect(created.status).toBe(200);
    const html = await created.text();
    const secret = /id="secret-value" value="(whs_[\w-]+)"/.exec(html)?.[1];
    expect(secret).toBeDefined();
    const id = /action="\/app\/settings\/channels\/widget\/([0-9a-f-]{36})"/.exec(html)![1];
    expect(html).toContain(`/widget.js&quot; data-sori-widget&#x3D;&quot;${id}&quot;`); // the snippet to copy
    expect(postForms(html).every((f) => f.hasCsrf)).toBe(true);

    // opening the editor again never shows the secret
    const again = await (await s.get(`/app/settings/channels/widget/${id}`)).text();
    expect(again).not.toContain(secret);
    expect(again).not.toContain('id="secret-value"');

    const saved = await follow(await s.post(`/app/settings/channels/widget/${id}`, editForm()));
    expect(flashOf(saved)).toEqual(['ok', 'Saved.']);
    expect(await widgetOf(id)).toEqual({
      name: 'Acme Support',
      mode: 'live_chat',
      color: '#0f766e',
      position: 'left',
      launcherText: 'Talk to us',
      greeting: 'Hi! Ask us anything.',
      greetingKo: '안녕하세요! 무엇이든 물어보세요.',
      locale: 'ko',
      logoUrl: 'https://cdn.example.com/acme.png',
      requireIdentified: true,
      allowedOrigins: ['https://www.acme.test', 'https://shop.acme.test'],
      unreadEmailDelaySeconds: 300,
      inactivityMinutes: 20,
      isActive: true,
      businessHoursId: null,
      preChatFields: [
        { key: 'name', label: 'Your name', labelKo: '성함', required: true },
        { key: 'phone', label: 'phone', labelKo: '', required: false },
      ],
    });
    // the editor shows the built-in question's Korean label again, so saving keeps it
    expect(await (await s.get(`/app/settings/channels/widget/${id}`)).text()).toContain(
      'name="pre_name_labelKo" value="성함"',
    );
    // unticked checkboxes switch settings off
    await follow(await s.post(`/app/settings/channels/widget/${id}`, { ...editForm(), requireIdentified: '' }));
    expect((await widgetOf(id)).requireIdentified).toBe(false);

    const list = await (await s.get('/app/settings/channels/widget')).text();
    expect(list).toContain('Acme Support');
    expect(list).toContain(`/app/settings/channels/widget/${id}`);

    const preview = await (
      await fetch(`${app.url}/widget/${id}/preview?color=%23b91c1c&launcherText=Hi%20%3Cb%3E&position=right&open=1`)
    ).text();
    const look = JSON.parse(
      /data-sori-preview="([^"]*)"/
        .exec(preview)![1]
        .replace(/&#34;/g, '"')
        .replace(/&#60;/g, '<')
        .replace(/&#62;/g, '>'),
    );
    expect(look).toMatchObject({ color: '#b91c1c', onColor: '#ffffff', launcherText: 'Hi <b>', position: 'right' });
    expect(preview).not.toContain('<b>');
    expect(preview).toContain("Sori('open')");
    // a malformed colour is ignored, not reflected
    const bad = await (await fetch(`${app.url}/widget/${id}/preview?color=red;x`)).text();
    expect(bad).not.toContain('red;x');
  });

  it('says which value is wrong and keeps the saved settings', async () => {
    const html = await (await s.post('/app/settings/channels/widget', { name: 'Shop', mode: 'messaging' })).text();
    const id = /action="\/app\/settings\/channels\/widget\/([0-9a-f-]{36})"/.exec(html)![1];
    const cases: Array<[Record<string, string>, string]> = [
      [{ allowedOrigins: 'https://ok.test/path' }, 'Allowed websites are origins like https://www.example.com'],
      [{ logoUrl: 'javascript:alert(1)' }, 'The logo URL must start with https://'],
      [{ color: 'teal' }, 'Pick a colour like #4f46e5.'],
      [{ mode: 'pager' }, 'Choose live chat or messaging.'],
      [{ unreadEmailDelayMinutes: '-1' }, 'The email delay is a whole number of minutes from 0 to 1440.'],
      [{ name: ' ' }, 'Give the widget a name'],
    ];
    for (const [over, message] of cases) {
      const page = await follow(await s.post(`/app/settings/channels/widget/${id}`, editForm(over)));
      expect(flashOf(page)?.[0]).toBe('error');
      expect(flashOf(page)?.[1]).toContain(message);
    }
    expect(await widgetOf(id)).toMatchObject({ name: 'Shop', mode: 'messaging', color: '#4f46e5', logoUrl: null });
  });

  it('adds, edits and deletes proactive rules', async () => {
    const html = await (await s.post('/app/settings/channels/widget', { name: 'Rules', mode: 'messaging' })).text();
    const id = /action="\/app\/settings\/channels\/widget\/([0-9a-f-]{36})"/.exec(html)![1];
    const rule = {
      name: 'Pricing help',
      message: 'Questions about plans?',
      urlPattern: 'https://acme.test/pricing*',
      minSecondsOnPage: '30',
      minVisitCount: '',
      audience: 'anonymous',
      isActive: 'on',
    };
    let page = await follow(await s.post(`/app/settings/channels/widget/${id}/rules`, rule));
    expect(flashOf(page)?.[0]).toBe('ok');
    expect(page).toContain('https://acme.test/pricing*');
    const rulesQ = `query($w: ID!) { proactiveRules(widgetId: $w) { id name message urlPattern minSecondsOnPage
      minVisitCount audience isActive } }`;
    let rules = (await app.gql<{ proactiveRules: Array<{ id: string }> }>(rulesQ, { w: id }, { cookie: s.cookie }))
      .data!.proactiveRules;
    expect(rules).toEqual([
      {
        id: expect.any(String),
        name: 'Pricing help',
        message: 'Questions about plans?',
        urlPattern: 'https://acme.test/pricing*',
        minSecondsOnPage: 30,
        minVisitCount: null,
        audience: 'anonymous',
        isActive: true,
      },
    ]);
    page = await follow(
      await s.post(`/app/settings/channels/widget/${id}/rules`, { ...rule, minSecondsOnPage: 'soon' }),
    );
    expect(flashOf(page)).toEqual(['error', 'Seconds on the page is a whole number from 0 to 86400.']);
    await follow(
      await s.post(`/app/settings/channels/widget/${id}/rules/${rules[0].id}`, {
        ...rule,
        audience: 'identified',
        isActive: '',
      }),
    );
    rules = (await app.gql<{ proactiveRules: Array<{ id: string }> }>(rulesQ, { w: id }, { cookie: s.cookie })).data!
      .proactiveRules;
    expect(rules[0]).toMatchObject({ audience: 'identified', isActive: false });
    await follow(await s.post(`/app/settings/channels/widget/${id}/rules/${rules[0].id}`, { delete: '1' }));
    rules = (await app.gql<{ proactiveRules: Array<{ id: string }> }>(rulesQ, { w: id }, { cookie: s.cookie })).data!
      .proactiveRules;
    expect(rules).toEqual([]);
  });

  it('regenerates the identity secret (shown once) and deletes a widget', async () => {
    const html = await (await s.post('/app/settings/channels/widget', { name: 'Temp', mode: 'messaging' })).text();
    const id = /action="\/app\/settings\/channels\/widget\/([0-9a-f-]{36})"/.exec(html)![1];
    const first = /id="secret-value" value="(whs_[\w-]+)"/.exec(html)![1];
    const rotated = await (await s.post(`/app/settings/channels/widget/${id}/secret`, {})).text();
    const second = /id="secret-value" value="(whs_[\w-]+)"/.exec(rotated)![1];
    expect(second).not.toBe(first);
    expect(rotated).toContain('New identity secret');
    const page = await follow(await s.post(`/app/settings/channels/widget/${id}/delete`, {}));
    expect(flashOf(page)).toEqual(['ok', 'Widget deleted.']);
    expect(page).not.toContain(`/app/settings/channels/widget/${id}`);
  });

  it('edits business hours with split shifts and closed dates, and explains what is wrong', async () => {
    const week = {
      name: 'Seoul office',
      timezone: 'Asia/Seoul',
      open_1_0: '09:00',
      close_1_0: '12:00',
      open_1_1: '13:00',
      close_1_1: '18:00',
      open_6_0: '10:00',
      close_6_0: '00:00',
      holidays: '2026-12-25 Christmas\n2027-01-01',
    };
    let page = await follow(await s.post('/app/settings/business-hours', { ...week, open_1_1: '11:30' }));
    expect(flashOf(page)).toEqual(['error', 'Not saved. Monday: 09:00–12:00 and 11:30–18:00 overlap.']);
    page = await follow(
      await s.post('/app/settings/business-hours', { ...week, close_1_0: '08:00', open_2_0: '10:00' }),
    );
    expect(flashOf(page)?.[1]).toBe(
      'Not saved. Monday: 09:00–08:00 ends before it starts. Tuesday: “10:00–” needs both an opening and a closing time.',
    );
    page = await follow(await s.post('/app/settings/business-hours', { ...week, timezone: 'Mars/Olympus' }));
    expect(flashOf(page)?.[1]).toContain('that timezone is unknown');
    page = await follow(await s.post('/app/settings/business-hours', { ...week, holidays: '2026-02-30 Nope' }));
    expect(flashOf(page)?.[1]).toBe('Not saved. “2026-02-30” is not a date like 2026-12-25.');

    page = await follow(await s.post('/app/settings/business-hours', week));
    expect(flashOf(page)).toEqual(['ok', 'Saved.']);
    const list = await app.gql<{ businessHours: Array<Record<string, unknown>> }>(
      `{ businessHours { id name timezone weekly { day open close } holidays { date name } } }`,
      {},
      { cookie: s.cookie },
    );
    const [hours] = list.data!.businessHours;
    expect(hours).toEqual({
      id: expect.any(String),
      name: 'Seoul office',
      timezone: 'Asia/Seoul',
      weekly: [
        { day: 1, open: '09:00', close: '12:00' },
        { day: 1, open: '13:00', close: '18:00' },
        { day: 6, open: '10:00', close: '24:00' },
      ],
      holidays: [
        { date: '2026-12-25', name: 'Christmas' },
        { date: '2027-01-01', name: '' },
      ],
    });
    // the page shows midnight as 24:00, and the schedule in the widget editor
    expect(page).toContain('name="close_6_0" value="24:00"');
    const w = await (await s.post('/app/settings/channels/widget', { name: 'Hours', mode: 'live_chat' })).text();
    expect(w).toContain(`<option value="${hours.id as string}" >Seoul office</option>`);

    // the API refuses the same overlap with the problems listed
    const r = await app.gql(
      `mutation($i: BusinessHoursInput!, $id: ID) { saveBusinessHours(input: $i, id: $id) { id } }`,
      {
        id: hours.id,
        i: {
          weekly: [
            { day: 2, open: '09:00', close: '17:00' },
            { day: 2, open: '16:00', close: '20:00' },
          ],
        },
      },
      { cookie: s.cookie },
    );
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      problems: ['On Tue, 09:00–17:00 and 16:00–20:00 overlap.'],
    });

    page = await follow(await s.post(`/app/settings/business-hours/${hours.id as string}`, { delete: '1' }));
    expect(flashOf(page)).toEqual(['ok', 'Business hours deleted.']);
  });

  it('is for administrators only, and every change needs the CSRF token', async () => {
    const as = await pageSession(app, agent.agent.email, agent.password);
    for (const path of ['/app/settings/channels/widget', '/app/settings/business-hours']) {
      expect((await as.get(path)).status).toBe(403);
      expect((await as.post(path, { name: 'Nope', mode: 'messaging', timezone: 'UTC' })).status).toBe(303);
    }
    expect(
      (await app.gql<{ widgets: unknown[] }>(`{ widgets { id name } }`, {}, { cookie: s.cookie })).data!.widgets,
    ).not.toContainEqual(expect.objectContaining({ name: 'Nope' }));
    const noCsrf = await s.post(
      '/app/settings/channels/widget',
      { name: 'Forged', mode: 'messaging' },
      { csrf: false },
    );
    expect(noCsrf.status).toBe(403);
    const hoursPage = await (await s.get('/app/settings/business-hours')).text();
    expect(postForms(hoursPage).every((f) => f.hasCsrf)).toBe(true);
  });
});
