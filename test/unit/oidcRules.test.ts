import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/http/context.ts';
import {
  decideIdentity,
  levelFromClaims,
  meetsLevel,
  safeReturnTo,
  strongestOf,
  uniLoginClaims,
  type Level,
  type MatchedAccount,
  type UniLoginClaims,
} from '../../src/auth/oidc/rules.ts';

describe('safeReturnTo', () => {
  it.each([
    [undefined, '/'],
    ['', '/'],
    ['/', '/'],
    ['/exam?x=1#top', '/exam?x=1#top'],
    ['/a/../b', '/b'],
    ['/søg', '/s%C3%B8g'],
  ])('accepts the relative path %j as %j', (raw, expected) => {
    expect(safeReturnTo(raw)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    'http:/evil.example',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'exam',
    '/\tevil',
    '/\nevil',
    ' /x',
    `/${'a'.repeat(2001)}`,
  ])('refuses %j, which could leave the site', (raw) => {
    expect(safeReturnTo(raw)).toBeNull();
  });
});

describe('levels of assurance', () => {
  it('reads acr or unilogin_loa, and the weaker one when they disagree', () => {
    expect(levelFromClaims({ acr: 'ToFaktor' })).toBe('ToFaktor');
    expect(levelFromClaims({ unilogin_loa: 'EnFaktor' })).toBe('EnFaktor');
    expect(levelFromClaims({ acr: 'ToFaktor', unilogin_loa: 'EnFaktor' })).toBe('EnFaktor');
    expect(levelFromClaims({ acr: 'urn:something', unilogin_loa: 7 })).toBeNull();
    expect(levelFromClaims({})).toBeNull();
  });

  it('compares a level with a minimum; no level never suffices', () => {
    expect(meetsLevel('ToFaktor', 'EnFaktor')).toBe(true);
    expect(meetsLevel('EnFaktor', 'EnFaktor')).toBe(true);
    expect(meetsLevel('EnFaktor', 'ToFaktor')).toBe(false);
    expect(meetsLevel(null, 'EnFaktor')).toBe(false);
    expect(strongestOf(['EnFaktor', 'ToFaktor', 'EnFaktor'])).toBe('ToFaktor');
    expect(strongestOf([])).toBe('EnFaktor');
  });
});

const minimum: Record<Role, Level> = { candidate: 'EnFaktor', invigilator: 'ToFaktor', school_admin: 'ToFaktor', grader: 'ToFaktor', ministry: 'ToFaktor' };
const pupil = (o: Partial<UniLoginClaims> = {}): UniLoginClaims => ({
  uniid: 'elev01',
  aktoerGruppe: 'Elev',
  institutionIds: ['280999'],
  level: 'EnFaktor',
  ...o,
});
const staff = (o: Partial<UniLoginClaims> = {}): UniLoginClaims => ({
  uniid: 'tilsyn1',
  aktoerGruppe: 'Medarbejder',
  institutionIds: ['280999'],
  level: 'ToFaktor',
  ...o,
});
const account = (role: Role, o: Partial<MatchedAccount> = {}): MatchedAccount => ({ userId: 7, role, institutionNo: '280999', disabled: false, ...o });

describe('decideIdentity', () => {
  it('signs a pupil in as the candidate at the school in institution_ids', () => {
    expect(decideIdentity(pupil(), [account('candidate')], minimum)).toEqual({ userId: 7, role: 'candidate', level: 'EnFaktor' });
  });

  it('picks the candidate row of the school UNI-Login names when the pupil is known at two schools', () => {
    const d = decideIdentity(pupil(), [account('candidate', { userId: 1, institutionNo: '111111' }), account('candidate', { userId: 2 })], minimum);
    expect(d).toEqual({ userId: 2, role: 'candidate', level: 'EnFaktor' });
  });

  it('refuses an unknown uniid with a Danish message sending the pupil to the school', () => {
    const d = decideIdentity(pupil(), [], minimum);
    expect(d).toMatchObject({ id: 'oidc-unknown-user' });
    expect('da' in d && d.da).toMatch(/Vi kender ikke dit UNI-Login.*Tal med din skole/);
  });

  it('never makes an Elev staff, even when the uniid belongs to a staff account', () => {
    expect(decideIdentity(pupil({ uniid: 'tilsyn1' }), [account('invigilator')], minimum)).toMatchObject({ id: 'oidc-role-mismatch' });
  });

  it('never makes a Medarbejder a candidate', () => {
    expect(decideIdentity(staff(), [account('candidate')], minimum)).toMatchObject({ id: 'oidc-role-mismatch' });
  });

  it('refuses groups other than Elev and Medarbejder, and a token without uniid', () => {
    expect(decideIdentity(pupil({ aktoerGruppe: 'Kontaktperson' }), [account('candidate')], minimum)).toMatchObject({ id: 'oidc-group-refused' });
    expect(decideIdentity(pupil({ uniid: null }), [account('candidate')], minimum)).toMatchObject({ id: 'oidc-claims-missing' });
  });

  it('refuses school staff whose institution_ids lack their school; ministry and graders need none', () => {
    expect(decideIdentity(staff({ institutionIds: ['123456'] }), [account('school_admin')], minimum)).toMatchObject({ id: 'oidc-wrong-institution' });
    expect(decideIdentity(staff({ institutionIds: [] }), [account('ministry', { institutionNo: null })], minimum)).toMatchObject({ role: 'ministry' });
    expect(decideIdentity(staff({ institutionIds: [] }), [account('grader', { institutionNo: null })], minimum)).toMatchObject({ role: 'grader' });
  });

  it('refuses staff with one factor, telling them how to sign in with two', () => {
    const d = decideIdentity(staff({ level: 'EnFaktor' }), [account('invigilator')], minimum);
    expect(d).toMatchObject({ id: 'oidc-level-too-low' });
    expect('da' in d && d.da).toMatch(/to faktorer/);
  });

  it('refuses a token that names no level, and follows a configured stricter minimum for pupils', () => {
    expect(decideIdentity(pupil({ level: null }), [account('candidate')], minimum)).toMatchObject({ id: 'oidc-level-too-low' });
    expect(decideIdentity(pupil(), [account('candidate')], { ...minimum, candidate: 'ToFaktor' })).toMatchObject({ id: 'oidc-level-too-low' });
  });

  it('refuses a disabled account', () => {
    expect(decideIdentity(pupil(), [account('candidate', { disabled: true })], minimum)).toMatchObject({ id: 'oidc-account-disabled' });
  });
});

describe('uniLoginClaims', () => {
  it('reads the claims, accepting institution_ids as a list or a string', () => {
    expect(uniLoginClaims({ uniid: 'a1', aktoer_gruppe: 'Elev', institution_ids: '280999, 111111', acr: 'EnFaktor' })).toEqual({
      uniid: 'a1',
      aktoerGruppe: 'Elev',
      institutionIds: ['280999', '111111'],
      level: 'EnFaktor',
    });
    expect(uniLoginClaims({ uniid: '', institution_ids: [1, '2'] })).toEqual({ uniid: null, aktoerGruppe: null, institutionIds: ['2'], level: null });
  });
});
