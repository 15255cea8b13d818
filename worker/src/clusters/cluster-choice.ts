// Which workspace cluster serves a launch: only available clusters with capacity (score > 0), the requested region
// first, then nearest to the user by great-circle distance, weighted by score among near equals. Answers an ordered
// list so a start can fail over to the next. Pure: location, health and randomness come in as arguments.

import type { ClusterDescription } from '../../../shared/cluster-contract.ts';
import type { ClusterConfig } from '../config.ts';

export interface UserLocation {
  readonly latitude?: number;
  readonly longitude?: number;
  /** Cloudflare's two-letter continent code (`EU`, `NA`…), used when coordinates are missing. */
  readonly continent?: string;
}

export interface ClusterHealth {
  readonly description?: ClusterDescription;
  /** Why the last health check failed, when it did. */
  readonly problem?: string;
  /** A start timed out here: still usable, tried after the others until it answers a health check. */
  readonly slow?: boolean;
  readonly checkedAt: number;
}

export interface ClusterCandidate {
  readonly cluster: ClusterConfig;
  readonly distanceKm?: number;
  readonly score: number;
}

export interface ChoiceInput {
  readonly clusters: readonly ClusterConfig[];
  readonly health: Readonly<Record<string, ClusterHealth>>;
  readonly location: UserLocation;
  readonly region?: string;
  /** A cluster to try first when it is usable (where a prebuild's snapshot lives). */
  readonly preferred?: string;
  readonly random?: () => number;
}

// Rough centres, for users whose request carries a continent but no coordinates.
const CONTINENT_CENTRES: Readonly<Record<string, [number, number]>> = {
  AF: [1.5, 17.3],
  AN: [-82.9, 135],
  AS: [34, 100],
  EU: [50, 10],
  NA: [40, -100],
  OC: [-25, 135],
  SA: [-15, -60],
};

/** Two clusters whose distances differ by less than this are "near equals", chosen between by score. */
const NEAR_EQUAL_KM = 1000;

/** Usable clusters, best first. Empty when none is available with capacity. */
export function chooseClusters(input: ChoiceInput): ClusterCandidate[] {
  const random = input.random ?? Math.random;
  const usable: ClusterCandidate[] = [];
  for (const cluster of input.clusters) {
    const description = input.health[cluster.name]?.description;
    if (description === undefined || description.state !== 'available') continue;
    const score = Math.min(description.score, description.maxScore);
    if (!(score > 0)) continue;
    const distanceKm = distanceTo(cluster, input.location);
    usable.push(distanceKm === undefined ? { cluster, score } : { cluster, score, distanceKm });
  }
  const inRegion = usable.filter((c) => input.region !== undefined && c.cluster.region === input.region);
  const elsewhere = usable.filter((c) => !inRegion.includes(c));
  const ordered = [...byDistanceThenScore(inRegion, random), ...byDistanceThenScore(elsewhere, random)];
  const preferred = ordered.findIndex((c) => c.cluster.name === input.preferred);
  if (preferred > 0) ordered.unshift(...ordered.splice(preferred, 1));
  // A cluster that was slow to answer a start comes last, until a health check clears it.
  const slow = (c: ClusterCandidate) => input.health[c.cluster.name]?.slow === true;
  return [...ordered.filter((c) => !slow(c)), ...ordered.filter(slow)];
}

function byDistanceThenScore(
  candidates: readonly ClusterCandidate[],
  random: () => number,
): ClusterCandidate[] {
  const remaining = [...candidates].sort((a, b) => (a.distanceKm ?? 0) - (b.distanceKm ?? 0));
  const out: ClusterCandidate[] = [];
  while (remaining.length > 0) {
    const nearest = remaining[0]?.distanceKm ?? 0;
    const group = remaining.filter((c) => (c.distanceKm ?? 0) - nearest < NEAR_EQUAL_KM);
    const pick = weightedPick(group, random);
    out.push(pick);
    remaining.splice(remaining.indexOf(pick), 1);
  }
  return out;
}

function weightedPick(group: readonly ClusterCandidate[], random: () => number): ClusterCandidate {
  const total = group.reduce((sum, c) => sum + c.score, 0);
  let r = random() * total;
  for (const candidate of group) {
    r -= candidate.score;
    if (r < 0) return candidate;
  }
  const last = group[group.length - 1];
  if (last === undefined) throw new Error('weightedPick needs a non-empty group');
  return last;
}

function distanceTo(cluster: ClusterConfig, location: UserLocation): number | undefined {
  let { latitude, longitude } = location;
  if (
    latitude === undefined ||
    longitude === undefined ||
    !Number.isFinite(latitude) ||
    !Number.isFinite(longitude)
  ) {
    const centre = location.continent === undefined ? undefined : CONTINENT_CENTRES[location.continent];
    if (centre === undefined) return undefined;
    [latitude, longitude] = centre;
  }
  return haversineKm(latitude, longitude, cluster.latitude, cluster.longitude);
}

/** Great-circle distance on a sphere of the Earth's mean radius. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * What to tell someone whose `?region=` could not be honoured, or undefined when it was (or none was asked for). The
 * launch goes on: the message names the regions that exist and where the workspace starts instead.
 */
export function regionNotice(
  region: string | undefined,
  clusters: readonly ClusterConfig[],
  chosen: ClusterCandidate | undefined,
): string | undefined {
  if (region === undefined || chosen?.cluster.region === region) return undefined;
  const instead =
    chosen === undefined
      ? ''
      : ` The workspace starts on ${chosen.cluster.name} (${chosen.cluster.region}) instead.`;
  if (clusters.some((c) => c.region === region))
    return `No cluster in region "${region}" can take a workspace now.${instead}`;
  const regions = [...new Set(clusters.map((c) => c.region))].sort().map((r) => `"${r}"`);
  const known =
    regions.length === 1
      ? `the one region here is ${regions[0]}`
      : `the regions here are ${regions.join(', ')}`;
  return `There is no region "${region}": ${known}.${instead}`;
}
