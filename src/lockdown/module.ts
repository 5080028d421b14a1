import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { lockdownRoutes } from './routes.ts';

/** Lockdown: Safe Exam Browser configuration and verification, and in-browser exam policy events. */
export function lockdownModule(deps: AppDeps): Module {
  return { name: 'lockdown', routes: [['/api/lockdown', lockdownRoutes(deps)]] };
}
