import type { Api } from './api';
import type { Key, Lang } from './i18n';

/** What every view needs: the API with the officer's token, the language and this node's party. */
export interface Ctx {
  api: Api;
  lang: Lang;
  party: string;
  t: (key: Key, vars?: Record<string, string | number>) => string;
}
