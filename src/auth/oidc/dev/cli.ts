// npm run oidc:dev — a local stand-in for UNI-Login on port 4000 (OIDC_DEV_PORT), for the demo's users.
// Connect Prøvesal by uncommenting the OIDC_* lines of .env.example.
import { DEMO_SECOND_FACTOR, DEV_CLIENT, demoUniLoginUsers } from './demoUsers.ts';
import { startUniLoginStandIn } from './standIn.ts';

const port = Number(process.env.OIDC_DEV_PORT ?? 4000);
const standIn = await startUniLoginStandIn({ port, users: demoUniLoginUsers(), clients: [DEV_CLIENT] });
console.log(
  [
    '',
    `  UNI-Login stand-in: ${standIn.issuer} (client ${DEV_CLIENT.clientId}, callback ${DEV_CLIENT.redirectUris[0]})`,
    '    pupils   elev01 … elev30   password elev-demo          → EnFaktor',
    '    staff    tilsyn1, skoleadmin, censor1, ministeriet, with their demo passwords (see npm start)',
    `             + code ${DEMO_SECOND_FACTOR} in the code field     → ToFaktor (without it: EnFaktor, refused for staff)`,
    '',
  ].join('\n'),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void standIn.close().then(() => process.exit(0)));
}
