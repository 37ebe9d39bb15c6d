import { appRequest } from '../../fake_app.mjs';
export default {
  request: (method, url, body, params) => appRequest(method, url, body, params),
  expectedStatuses: (...codes) => ({ codes }),
};
