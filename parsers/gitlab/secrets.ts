// GitLab: its JSON request logs (production_json.log, api_json.log) list a request's parameters as
// `{"key":"NAME","value":"VALUE"}` pairs, which Rails filters to `[FILTERED]` only for the names its
// filter lists; a parameter named for a secret (`password`, `private_token`, `secret_token`) that it
// missed would stand in clear, where the generic JSON forms (`"password":"X"`) do not look. Rails'
// own mask, `[FILTERED]`, is kept as it stands.

import { form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const gitlabSecrets: SecretGrammar = [
  form('"key"', rx('i')`"key"\s*:\s*"[\w.\[\]-]{0,64}(?:password|passwd|secret|token|private_key|api_key)[\w.\[\]-]{0,64}"\s*,\s*"value"\s*:\s*"(?!\[FILTERED\]")(?<vq>(?:[^"\\\n]|\\.)*)"`),
];
