/** Page-wide defaults: the embed build points every element at the Worker that served it. */
let defaultApi: string | undefined;

/** Sets the API origin elements use when they have no `api` attribute. */
export function setDefaultApi(origin: string): void {
  defaultApi = origin.replace(/\/+$/, '');
}

export function getDefaultApi(): string | undefined {
  return defaultApi;
}
