// The EvaluationService of `modelops serve`: its handlers and the role each RPC needs.
import { loadProtos } from '../../proto/load';
import type { ServiceFactory } from '../common/context';

export const create: ServiceFactory = () => ({
  definition: loadProtos().v1.EvaluationService.service,
  // RPCs without a handler answer UNIMPLEMENTED until their issue lands.
  handlers: {},
  roles: {},
});
