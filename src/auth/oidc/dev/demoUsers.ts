import { DEMO_CANDIDATES, DEMO_INSTITUTION_NO, DEMO_PASSWORDS } from '../../../demo/seed.ts';
import type { StandInClient, StandInUser } from './standIn.ts';

/** The second factor of every demo staff user (the code their Unilogin app would show). */
export const DEMO_SECOND_FACTOR = '123456';

/** The client `npm run oidc:dev` registers; `.env.example` holds the same values (test/unit/oidcDevClient.test.ts). */
export const DEV_CLIENT: StandInClient = {
  clientId: 'provesal-dev',
  clientSecret: 'provesal-dev-secret',
  redirectUris: ['http://127.0.0.1:3000/api/auth/oidc/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1:3000/'],
};

/**
 * The demo's people as UNI-Login knows them: pupils elev01… (one factor, the demo password) and the staff of
 * src/demo/seed.ts, who reach two factors by also typing DEMO_SECOND_FACTOR.
 */
export function demoUniLoginUsers(): StandInUser[] {
  const pupils: StandInUser[] = Array.from({ length: DEMO_CANDIDATES }, (_, i) => {
    const uniid = `elev${String(i + 1).padStart(2, '0')}`;
    return { uniid, name: `Elev ${uniid}`, aktoerGruppe: 'Elev', institutionIds: [DEMO_INSTITUTION_NO], password: DEMO_PASSWORDS.candidate };
  });
  const staff = (uniid: string, name: string, password: string, institutionIds: string[]): StandInUser => ({
    uniid,
    name,
    aktoerGruppe: 'Medarbejder',
    institutionIds,
    password,
    secondFactor: DEMO_SECOND_FACTOR,
  });
  return [
    ...pupils,
    staff('tilsyn1', 'Tilsynsførende Hansen', DEMO_PASSWORDS.invigilator, [DEMO_INSTITUTION_NO]),
    staff('skoleadmin', 'Skoleadministrator', DEMO_PASSWORDS.school_admin, [DEMO_INSTITUTION_NO]),
    staff('censor1', 'Censor Jensen', DEMO_PASSWORDS.grader, []),
    staff('ministeriet', 'Børne- og Undervisningsministeriet', DEMO_PASSWORDS.ministry, []),
  ];
}
