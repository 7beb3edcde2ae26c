// How each decision reached the store (issue 15, src/reconcile/decision-path.ts): web (a session),
// api (a token), cli (self-asserted, with the OS user), system. Rows from before carry none and read
// as unknown: nothing recorded then tells a signed-in decision from a typed --by.
export default `
ALTER TABLE finding_history ADD COLUMN path TEXT;
ALTER TABLE finding_history ADD COLUMN path_user TEXT;
ALTER TABLE finding_history ADD COLUMN path_token TEXT;
`;
