// What every bundled page runs: instantiate, then classify, the Guard and the client
// (its transport answers in memory), and report on <body data-result> for the test.
const CREATED = { data: [{ code: 'SUCCESS', details: { id: '1' }, message: 'record added', status: 'success' }] };

export async function report(init, { classify, Guard, createClient }) {
  try {
    await init();
    const reply = { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(CREATED) };
    const verdict = classify(reply, { kind: 'insert', recordCount: 1 });
    const guard = new Guard({ edition: 'enterprise', licenses: 10 });
    const admission = guard.admit({ kind: 'insert', recordCount: 1 }, 0);
    const decision = guard.settle(admission.ticket, reply, 5);
    const client = createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 'token', transport: async () => reply });
    const job = await client.insert('Leads', [{ Last_Name: 'Bundled' }], { validate: false });
    const result = { outcome: verdict.outcome, admitted: admission.ok, action: decision.action, insert: job.results[0].code };
    document.body.dataset.result = JSON.stringify(result);
  } catch (e) {
    document.body.dataset.error = String(e?.stack ?? e);
  }
}
