/** The parts of the `zipcodes` package (US ZIP code centroids) the registry uses. */
declare module 'zipcodes' {
  export interface ZipCode {
    zip: string;
    latitude: number;
    longitude: number;
    city: string;
    state: string;
    country: string;
  }
  export function lookup(zip: string | number): ZipCode | undefined;
  export function lookupByState(state: string): ZipCode[];
}
