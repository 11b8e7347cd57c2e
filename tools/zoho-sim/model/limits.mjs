// Zoho CRM's limits as the simulator enforces them. Facts and their sources:
// /work/shared/zoho-api-facts.md (section numbers below are its §).

/** Concurrent calls per edition (§1.2, K35/K203); CRM Plus takes the safer 20 via `concurrency`. */
export const EDITION_CONCURRENCY = { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };
/** Credits per licence and edition cap (§1.1 LIM; caps take the lower K93 figures, the safe side). */
export const EDITION_CREDITS = {
  free: { base: 5_000, perLicense: 0, cap: 5_000 },
  standard: { base: 50_000, perLicense: 250, cap: 100_000 },
  professional: { base: 50_000, perLicense: 500, cap: 1_000_000 },
  enterprise: { base: 50_000, perLicense: 1_000, cap: 2_000_000 },
  ultimate: { base: 50_000, perLicense: 2_000, cap: Infinity },
};
/** The complex-API sub-pool, the same for every edition (§1.3 SUBC). */
export const SUB_CONCURRENCY = 10;
/** Concurrency slots one composite call takes (§1.2, V7DOC composite). */
export const COMPOSITE_SLOTS = 5;
/** Rolling credit window (§1.1 K93). */
export const CREDIT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Records per write call (§3 V7DOC). */
export const MAX_RECORDS_PER_WRITE = 100;
/** Writes with more records than this are complex (§1.3, third-party; conservative). */
export const COMPLEX_WRITE_THRESHOLD = 10;
/** Records per credit on writes (§2, AEV, unverified). */
export const WRITE_RECORDS_PER_CREDIT = 10;
/** Credits of Convert Lead (§2 LIM). */
export const CONVERT_CREDITS = 5;
/** Access-token lifetime (§8 token endpoint `expires_in` 3600 s). */
export const DEFAULT_TOKEN_TTL_MS = 3_600_000;
/** Access tokens a refresh token may mint per 10 minutes (§8, accounts access-token-expiry page). */
export const REFRESHES_PER_10_MIN = 10;
/** Sub-requests per composite call (§3 V7DOC composite). */
export const MAX_COMPOSITE_SUB_REQUESTS = 5;
/** Get Records: `per_page` max, `page`-only reach, `fields` max (§3 V7DOC get-records). */
export const MAX_PER_PAGE = 200;
export const MAX_RECORDS_WITHOUT_PAGE_TOKEN = 2_000;
export const MAX_RECORDS_WITH_PAGE_TOKEN = 100_000;
export const MAX_FIELDS_PER_GET = 50;
/** Search: records reachable and criteria (§3 V7DOC search). */
export const MAX_SEARCH_RECORDS = 2_000;
export const MAX_SEARCH_CRITERIA = 10;
/** COQL: rows per call and in all (§3 v8 COQL-Limitations), default LIMIT 200. */
export const MAX_COQL_LIMIT = 2_000;
export const MAX_COQL_ROWS = 100_000;
export const DEFAULT_COQL_LIMIT = 200;
