import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { schoolRoutes } from './routes.ts';

/** School administration: rooms, candidates (CSV), registrations, staff, access-code sheets. */
export function schoolsModule(deps: AppDeps): Module {
  return { name: 'schools', routes: [['/api/schools', schoolRoutes(deps)]] };
}
