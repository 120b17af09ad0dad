/**
 * When a secret is due for rotation: the policy that covers it (its own, else the one of the
 * longest prefix above it) and the interval (the policy's, else the default for the secret's type
 * and tier, after seed 001's schedule). A disabled policy still says when the secret was due, so a
 * schedule that stopped is visible instead of silent.
 */
import type { SecretType, Tier } from './model.js';
import { isUnderPrefix } from './paths.js';

const DAY = 86_400;

/**
 * Default intervals by tier and type. Critical: payment and other critical API keys 14 days,
 * production database credentials, SSH and signing keys 30 days. Sensitive: OAuth and other
 * tokens 60 days, write-capable API keys and the rest 90 days. Standard (read-only, non-production)
 * a year. Staging keys and webhook secrets that want 180 days say so with --every.
 */
export function defaultIntervalSeconds(type: SecretType, tier: Tier): number {
  if (tier === 'critical') return (type === 'api_key' ? 14 : 30) * DAY;
  if (tier === 'sensitive') return (type === 'token' ? 60 : 90) * DAY;
  return 365 * DAY;
}

/** A policy path: a secret's own path, or `prefix/*` for every secret below the prefix. */
export function policyCovers(policyPath: string, secretPath: string): boolean {
  if (policyPath.endsWith('/*')) return isUnderPrefix(secretPath, policyPath.slice(0, -2)) && secretPath !== policyPath.slice(0, -2);
  return policyPath === secretPath;
}

/** The policy that governs a secret: its own, else the longest covering prefix. */
export function policyFor<P extends { path: string }>(secretPath: string, policies: readonly P[]): P | undefined {
  let best: P | undefined;
  for (const p of policies) {
    if (!policyCovers(p.path, secretPath)) continue;
    if (!p.path.endsWith('/*')) return p;
    if (!best || p.path.length > best.path.length) best = p;
  }
  return best;
}

export interface DueStatus {
  intervalSeconds: number;
  nextDue: number;
  due: boolean;
  overdueSeconds: number;
}

/** When the secret is next due: its current version's age against the interval. */
export function dueStatus(
  secret: { type: SecretType; tier: Tier; currentSince: number },
  policy: { intervalSeconds: number | null },
  now: number,
): DueStatus {
  const intervalSeconds = policy.intervalSeconds ?? defaultIntervalSeconds(secret.type, secret.tier);
  const nextDue = secret.currentSince + intervalSeconds * 1000;
  return { intervalSeconds, nextDue, due: nextDue <= now, overdueSeconds: Math.max(0, Math.floor((now - nextDue) / 1000)) };
}
