// Compiled (tsc --noEmit) against the types that openapi-typescript generates from
// openapi/openapi.json into target/clients/typescript/motcua.d.ts (see .ci/clients.sh): the
// shapes a TypeScript front end relies on exist, and a wrong one does not compile.
import type { components, operations, paths } from 'motcua-api';

type Schemas = components['schemas'];
type NewDossier = Schemas['NewDossier'];
type Dossier = Schemas['Dossier'];
type Problem = Schemas['Problem'];
type ProcedurePage =
  paths['/api/v1/procedures']['get']['responses'][200]['content']['application/json'];
type SummaryQuery = NonNullable<operations['reports_summary']['parameters']['query']>;
type TokenRequest = NonNullable<
  operations['auth_issue_token']['requestBody']
>['content']['application/json'];

export const signIn: TokenRequest = { username: 'cuong.tt', password: 'motcua-demo-2024' };

export const intake: NewDossier = {
  procedure_id: '6f1c2d3e-0000-4000-8000-000000000001',
  agency_id: '0b6f2a9c-0000-4000-8000-000000000002',
  channel: 'direct',
  applicant: { kind: 'citizen', full_name: 'Nguyễn Văn An', phone: '0912345678' },
  components: [{ name: 'Tờ khai đăng ký khai sinh', digitized: true }],
  fee_paid: { method: 'cash', amount: 8000 },
};

// @ts-expect-error: not a channel of the contract
export const byFax: NewDossier = { ...intake, channel: 'fax' };

// @ts-expect-error: the applicant is required
export const nobody: NewDossier = { procedure_id: 'p', agency_id: 'a', channel: 'online' };

export const quarter: SummaryQuery = {
  agency_id: '0b6f2a9c-0000-4000-8000-000000000002',
  from: '2024-01-01',
  to: '2024-03-31',
  format: 'json',
};

export function firstProcedureCode(page: ProcedurePage): string | undefined {
  return page.items[0]?.code;
}

export function describe(problem: Problem): string {
  return `${problem.status} ${problem.title}${problem.rule ? ` (${problem.rule})` : ''}`;
}

export async function receive(base: string, token: string, body: NewDossier): Promise<Dossier> {
  const response = await fetch(`${base}/api/v1/dossiers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(describe((await response.json()) as Problem));
  }
  return (await response.json()) as Dossier;
}

/** Online intake waits for `accept`; desk and postal intake is accepted at once. */
export function awaitsAcceptance(dossier: Dossier): boolean {
  return dossier.status === 'submitted';
}
