// auditJob, the soak's judge, on hand-made outcomes: it must see every defect issue 14 names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditJob, acceptance } from '../../tools/soak/audit-job.mjs';

const ok = (index, id, extra = {}) => ({ index, ok: true, code: 'SUCCESS', reason: 'success', id, attempts: 1, details: {}, ...extra });
const fail = (index, code, reason, extra = {}) => ({ index, ok: false, code, reason, id: null, attempts: 1, details: {}, ...extra });

test('auditJob: a clean job is accepted', () => {
  const expect = [{ kind: 'create', key: 'a', values: { Company: 'A' } }, { kind: 'update', key: 'b', id: '2' }, { kind: 'invalid', key: 'c' }, { kind: 'duplicate', key: 'd', id: '9' }];
  const results = [ok(0, '1'), ok(1, '2'), fail(2, 'INVALID_DATA', 'invalid_before_sending', { attempts: 0 }), fail(3, 'DUPLICATE_DATA', 'permanent', { details: { duplicate_record: { id: '9' } } })];
  const audit = { writes: { Leads: { a: { created: 1, updated: 0, id: '1' }, b: { created: 0, updated: 2, id: '2' } } }, maxRefreshesIn10Min: 10 };
  const a = auditJob({ expect, results, audit, records: [{ id: '1', Company: 'A' }, { id: '2' }] });
  assert.deepEqual(acceptance(a), []);
  assert.deepEqual([a.valid, a.ok, a.createdOnce, a.updated, a.updatedTwice, a.rejectedBeforeSending, a.duplicateRefused], [2, 2, 1, 1, 1, 1, 1]);
});

test("auditJob: Old's id, a double creation, a missing record, ambiguity, refresh failures and too many refreshes are all caught", () => {
  const expect = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ kind: 'create', key }));
  const results = [
    ok(0, 'old'), // reported the older lead's id: the job's record was never created
    ok(1, '2'), // created twice
    fail(2, 'AMBIGUOUS_WRITE', 'verify_failed'),
    fail(3, 'TOKEN_REFRESH_FAILED', 'token_revoked'),
    fail(4, 'NO_RESULT', 'success'), // created, reported failed
    ok(5, '5', { index: 4 }), // a result at the wrong place
  ];
  const audit = { writes: { Leads: { b: { created: 2, updated: 0, id: '2' }, e: { created: 1, updated: 0, id: '4' } } }, maxRefreshesIn10Min: 11 };
  const a = auditJob({ expect, results, audit, records: [] });
  assert.equal(a.twice, 1);
  assert.equal(a.ambiguous, 1);
  assert.equal(a.refreshFailed, 1);
  assert.ok(a.missing >= 2);
  assert.ok(a.problems.some((p) => p.startsWith('#0 reported ok')));
  assert.ok(a.problems.some((p) => p.startsWith('#4 reported NO_RESULT/success but created')));
  assert.ok(a.problems.some((p) => p.startsWith('#5 no result')));
  const bad = acceptance(a).join('; ');
  for (const w of ['created twice', 'missing', 'AMBIGUOUS_WRITE', 'TOKEN_REFRESH_FAILED', '11 refreshes in 10 minutes', 'not ok']) assert.match(bad, new RegExp(w));
});

test('auditJob: a DUPLICATE_DATA that the job itself caused, or that names another record, is wrong; deadline only when allowed', () => {
  const expect = [{ kind: 'duplicate', key: 'd', id: '9' }, { kind: 'duplicate', key: 'e', id: '8' }, { kind: 'create', key: 'f' }];
  const results = [ok(0, '9'), fail(1, 'DUPLICATE_DATA', 'permanent', { details: { duplicate_record: { id: '7' } } }), fail(2, 'NOT_SENT', 'deadline')];
  const audit = { writes: { Leads: {} }, maxRefreshesIn10Min: 0 };
  const a = auditJob({ expect, results, audit, records: [], allowDeadline: true });
  assert.equal(a.wrong, 2);
  assert.equal(a.deadline, 1);
  assert.equal(a.missing, 0, 'an unfinished record is not missing when the deadline is allowed');
  assert.ok(!acceptance(a, { allowDeadline: true }).some((s) => /not ok/.test(s)));
  assert.ok(acceptance(auditJob({ expect, results, audit, records: [] })).some((s) => /not ok/.test(s)));
  assert.ok(acceptance({ ...a, ratio: 1.6 }, { maxRatio: 1.5, allowDeadline: true }).some((s) => /1.60× the bound/.test(s)));
});
