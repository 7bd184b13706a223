import type { JobHandlers } from './job-handler';
import { notifyHandler } from './notify';
import { onboardHandler } from './onboard';
import { lxpCheckHandler } from './lxp-check';

/** Every job kind the scheduler can run. Add a kind here, next to its handler's import. */
export function jobHandlers(): JobHandlers {
  return {
    notify: notifyHandler,
    onboard: onboardHandler,
    lxp_check: lxpCheckHandler,
  };
}
