/**
 * The vault's context for each encrypted column: bound as additional data, so a ciphertext copied into
 * another row or column does not decrypt. Every encrypt and decrypt of these columns uses these.
 */
export const accessContext = (connectionId: string) => `connections.access_token:${connectionId}`;
export const refreshContext = (connectionId: string) => `connections.refresh_token:${connectionId}`;
export const clientSecretContext = (provider: string) => `provider_apps.client_secret:${provider}`;
export const simulatedClientSecretContext = (provider: string) => `simulated-client-secret:${provider}`;
export const verifierContext = (stateHash: string) => `oauth_requests.code_verifier:${stateHash}`;
