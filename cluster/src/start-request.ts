// The cluster validates `POST /v1/workspaces` bodies with the contract's one validation (shared/start-request.ts),
// the same the launcher applies before it sends a request: nothing the launcher accepts is refused here.

export { parseStartRequest } from '../../shared/start-request.ts';
